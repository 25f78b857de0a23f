#!/usr/bin/env bash
# Builds the reference SQLite for the authorizer differential test: SQLite 3.54.1, the version
# sqlite-jdbc 3.54.1.0 bundles, as libsqlite3.so.0, with the compile options sqlite-jdbc's SQLite
# reports (`pragma compile_options`), so that CPython's sqlite3 module (which links
# libsqlite3.so.0 dynamically) runs on it through LD_LIBRARY_PATH.
#
# The amalgamation comes from the npm package better-sqlite3@13.2.0 (package/deps/sqlite3/:
# sqlite3.c, and a sqlite3.h identical to native/sqlite/sqlite3.h, source id 2026-10-16 14:45:20
# 555e07ef...), fetched with `npm pack`; its sqlite3.c is checked against a pinned SHA-256.
#
#   native/reference-sqlite.sh [DIR]
#     DIR: where to build (default: target/reference-sqlite in the checkout, outside the sources);
#     a finished build there is reused. DIR also keeps the checked sqlite3.c and sqlite3.h, and
#     the -D flags of the options above, one a line, in sqlite3.flags (windows-check.sh compiles
#     them for Windows). Prints DIR's absolute path (the only stdout line):
#       export AIOSQLITE4J_REFERENCE_SQLITE="$(native/reference-sqlite.sh)"
#     Needs npm, gcc and python3; checks that python3 then reports sqlite_version 3.54.1.
set -euo pipefail
cd "$(dirname "$0")/.."

version=3.54.1
package=better-sqlite3@13.2.0
sqlite3_c_sha256=75a4760a7b9727a4c4c877aec92eacf39e52a8f2921ce00bd33be6d3a8e8e254

# sqlite-jdbc 3.54.1.0's `pragma compile_options`, less what SQLite derives itself (COMPILER,
# ATOMIC_INTRINSICS, MUTEX_PTHREADS, MAX_WORKER_THREADS) or always lists (DEFAULT_AUTOVACUUM,
# DEFAULT_RECURSIVE_TRIGGERS: defined as 0 by default), and sqlite-jdbc's own JDBC_EXTENSIONS (its
# extra SQL functions). AuthorizerDifferentialTest compares both lists.
options=(
  DEFAULT_CACHE_SIZE=-2000 DEFAULT_FILE_FORMAT=4 DEFAULT_FILE_PERMISSIONS=0666
  DEFAULT_JOURNAL_SIZE_LIMIT=-1 DEFAULT_MEMSTATUS=0 DEFAULT_MMAP_SIZE=0 DEFAULT_PAGE_SIZE=4096
  DEFAULT_PCACHE_INITSZ=20 DEFAULT_SECTOR_SIZE=4096 DEFAULT_SYNCHRONOUS=2
  DEFAULT_WAL_AUTOCHECKPOINT=1000 DEFAULT_WAL_SYNCHRONOUS=2 DEFAULT_WORKER_THREADS=0
  DIRECT_OVERFLOW_READ DISABLE_PAGECACHE_OVERFLOW_STATS ENABLE_COLUMN_METADATA ENABLE_DBSTAT_VTAB
  ENABLE_FTS3 ENABLE_FTS3_PARENTHESIS ENABLE_FTS5 ENABLE_LOAD_EXTENSION ENABLE_MATH_FUNCTIONS
  ENABLE_PERCENTILE ENABLE_RTREE ENABLE_STAT4 ENABLE_UPDATE_DELETE_LIMIT HAVE_ISNAN
  MALLOC_SOFT_LIMIT=1024 MAX_ATTACHED=125 MAX_COLUMN=32767 MAX_COMPOUND_SELECT=500
  MAX_DEFAULT_PAGE_SIZE=8192 MAX_EXPR_DEPTH=1000 MAX_FUNCTION_ARG=127 MAX_LENGTH=2147483647
  MAX_LIKE_PATTERN_LENGTH=50000 MAX_MMAP_SIZE=1099511627776 MAX_PAGE_COUNT=4294967294
  MAX_PAGE_SIZE=65536 MAX_SCHEMA=10000000 MAX_SQL_LENGTH=1073741824 MAX_TRIGGER_DEPTH=1000
  MAX_VARIABLE_NUMBER=250000 MAX_VDBE_OP=250000000 SYSTEM_MALLOC TEMP_STORE=1 THREADSAFE=1
)

dir="${1:-target/reference-sqlite}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
stamp="$dir/built-from"
want="$package $sqlite3_c_sha256 ${options[*]}"

if [ ! -f "$dir/libsqlite3.so.0" ] || [ ! -f "$dir/sqlite3.c" ] || [ ! -f "$dir/sqlite3.h" ] \
    || [ ! -f "$dir/sqlite3.flags" ] || [ "$(cat "$stamp" 2> /dev/null)" != "$want" ]; then
  for tool in npm gcc python3; do
    command -v "$tool" > /dev/null || { echo "reference-sqlite.sh: $tool is not installed" >&2; exit 1; }
  done
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$package" > /dev/null)
  tar -xzf "$work"/better-sqlite3-*.tgz -C "$work" package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
  src="$work/package/deps/sqlite3"
  if [ "$(sha256sum < "$src/sqlite3.c" | cut -d' ' -f1)" != "$sqlite3_c_sha256" ]; then
    echo "reference-sqlite.sh: $package's sqlite3.c does not have the pinned SHA-256" >&2
    exit 1
  fi
  flags=()
  for o in "${options[@]}"; do flags+=("-DSQLITE_$o"); done
  rm -f "$stamp"
  gcc -O1 -fPIC -shared -w "${flags[@]}" -Wl,-soname,libsqlite3.so.0 \
    -o "$dir/libsqlite3.so.0" "$src/sqlite3.c" -lpthread -lm -ldl
  cp "$src/sqlite3.c" "$src/sqlite3.h" "$dir/"
  printf '%s\n' "${flags[@]}" > "$dir/sqlite3.flags"
  echo "$want" > "$stamp"
fi

got="$(LD_LIBRARY_PATH="$dir" python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')"
if [ "$got" != "$version" ]; then
  echo "reference-sqlite.sh: python3's sqlite3 reports $got with LD_LIBRARY_PATH=$dir, not $version" >&2
  exit 1
fi
echo "$dir"
