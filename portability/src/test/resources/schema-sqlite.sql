-- SQLite: the platform's schema (schema-{platform}.sql, platform = the R2DBC metadata name in
-- lower case). Only the id column differs from schema-postgresql.sql. AUTOINCREMENT: ids are
-- never reused after a delete, as a PostgreSQL sequence; without it SQLite reuses the largest id.
DROP TABLE IF EXISTS item;
DROP TABLE IF EXISTS counter;
CREATE TABLE item (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name VARCHAR(100) NOT NULL,
  active BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  price NUMERIC(12, 2),
  position INTEGER
);
CREATE TABLE counter (
  name VARCHAR(100) PRIMARY KEY,
  hits BIGINT NOT NULL
);
