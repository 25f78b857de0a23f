# CPython's sqlite3 set_authorizer over a corpus: the reference for AuthorizerDifferentialTest.
# argv: setup.sql corpus.sql base_dir. Statement i runs on a fresh :memory: database (setup
# without the authorizer), with '{dir}' replaced by base_dir/i. Prints the SQLite it runs on
# ("V version", then "O option" per compile option), then per statement: its number, each
# authorizer call "A action arg1 arg2 db source", then "R" rows or "E" error.
import os, sqlite3, sys

DENY, IGNORE, OK = sqlite3.SQLITE_DENY, sqlite3.SQLITE_IGNORE, sqlite3.SQLITE_OK

def policy(action, arg1, arg2, db, source):
    # Kept identical to AuthorizerDifferentialTest.policy.
    if action == 20 and arg1 is not None and arg1.lower() == 'secret':
        return DENY
    if action == 20 and arg2 == 'pw':
        return IGNORE
    if action in (9, 11, 17) and arg1 in ('audit', 'secret', 'v_users'):
        return DENY
    if action == 23 and arg2 == 'owner':
        return DENY
    if action == 31 and arg2 == 'load_extension':
        return DENY
    if action == 18 and arg1 == 'audit' and source is None:
        return IGNORE
    return OK

def show(v):
    if v is None:
        return 'NULL'
    if isinstance(v, bytes):
        return 'x' + v.hex()
    return str(v)

def main():
    setup = open(sys.argv[1], encoding='utf-8').read()
    corpus = open(sys.argv[2], encoding='utf-8').read().split('\n----\n')
    base = sys.argv[3]
    c = sqlite3.connect(':memory:')
    out = ['V ' + sqlite3.sqlite_version] + ['O ' + r[0] for r in c.execute('pragma compile_options')]
    c.close()
    for i, stmt in enumerate(corpus):
        os.makedirs(base + '/' + str(i), exist_ok=True)
        stmt = stmt.strip('\n').replace('{dir}', base + '/' + str(i))
        c = sqlite3.connect(':memory:', isolation_level=None)
        c.executescript(setup)
        calls = []
        def auth(action, arg1, arg2, db, source):
            calls.append('A %d %s %s %s %s' % (action, arg1, arg2, db, source))
            return policy(action, arg1, arg2, db, source)
        c.set_authorizer(auth)
        try:
            rows = c.execute(stmt).fetchall()
            result = 'R ' + ' | '.join(','.join(show(v) for v in r) for r in rows)
        except sqlite3.Error as e:
            result = 'E ' + str(e)
        c.set_authorizer(None)
        c.close()
        out.append('# %d' % i)
        out.extend(calls)
        out.append(result)
    sys.stdout.write('\n'.join(out) + '\n')

main()
