select * from users
----
select name, pw from users
----
select id, name from users
----
select * from v_secret
----
select * from v_users
----
select val from secret
----
select (select val from secret)
----
select * from users where id in (select id from secret)
----
select * from users where exists (select 1 from secret)
----
select * from users where name = (select val from secret)
----
select * from users u join secret s on u.id = s.id
----
select id, name from users union select id, val from secret
----
with s as (select val from secret) select * from s
----
with recursive c(x) as (select 1 union all select x + 1 from c where x < 3) select x from c
----
with x as (select * from users) update users set name = 'n' where id in (select id from x)
----
insert into users(name, pw, owner) values ('carol', 'p', 'o') returning id, pw
----
insert into users(name, owner) values ('carol', 'o') returning id, name
----
insert into audit(msg) select val from secret
----
insert into audit(msg) values ('m') returning msg
----
insert into users(id, name) values (1, 'alice2') on conflict(id) do update set owner = excluded.name
----
insert into users(id, name) values (1, 'x') on conflict(id) do update set name = 'y'
----
insert into users(id, name) values (1, 'x') on conflict(id) do nothing
----
insert or ignore into users(id, name) values (1, 'a')
----
replace into users(id, name) values (2, 'bobby')
----
insert into users(name) values ('dave')
----
update users set name = 'z' where id = 2
----
update users set owner = 'z' where id = 2
----
update users set pw = 'q' where id = 1
----
delete from users where id = 2
----
delete from users
----
delete from parent where id = 1
----
update parent set id = 5 where id = 2
----
delete from child where id = 10
----
select * from child where pid in (select id from parent)
----
delete from audit
----
delete from audit where id = 1
----
drop table audit
----
drop table if exists nonexistent
----
drop table secret
----
drop view v_users
----
drop trigger tr_users_ins
----
drop index users_name
----
attach database '{dir}/other.db' as other
----
vacuum into '{dir}/copy.db'
----
vacuum
----
select * from "Mixed Case"
----
select "Col Name" from "MIXED CASE"
----
select * from main.users
----
select * from MAIN.Secret
----
select * from [secret]
----
select * from `SECRET`
----
select /* comment */ val from secret -- trailing
----
;select val from secret
----
;;  select val from secret
----
-- a comment
select val from secret
----
select length(pw), upper(name) from users
----
select count(*) from users
----
select count(*) from secret
----
select rowid, * from users
----
select printf('%s', pw) from users
----
select sqlite_version() is not null
----
select load_extension('x')
----
select x'00' || val from secret
----
select * from sqlite_master where type = 'view'
----
select * from pragma_table_info('secret')
----
pragma table_info(users)
----
pragma user_version
----
pragma user_version = 5
----
pragma foreign_keys
----
begin
----
begin immediate
----
commit
----
savepoint sp1
----
create table t2(a)
----
create table if not exists users(a)
----
create temp table t3(a)
----
create index i1 on users(owner)
----
create view v2 as select * from secret
----
create trigger t9 after insert on audit begin select 1; end
----
create table t4 as select * from secret
----
alter table users add column extra text
----
alter table users rename to people
----
alter table users rename column owner to holder
----
reindex
----
analyze
----
values (1), (2)
----
select 1
----
detach database other
