#!/usr/bin/env bash
# Runs the committed windows-x86_64 library under Wine (Debian's wine64): windows-check.c, built
# with x86_64-w64-mingw32-gcc around SQLite 3.54.1 (the amalgamation and sqlite-jdbc's compile
# options from reference-sqlite.sh), loads it as sqlite-jdbc's SQLite does on every connection
# (NativeConnection.attach) and checks what that does: the init, aiosqlite4j_handle(), load_extension
# off again, and the JNI entry points that need no JNIEnv. The rest (JNI_OnLoad, the entry points
# that use their JNIEnv, the callbacks into Java) needs a Windows JVM, which Debian does not have.
#
#   native/windows-check.sh [DLL]     DLL: another aiosqlite4j.dll to check (default: the committed one)
#
# Needs root the first time: apt-get installs wine64 (about 100 MB to download, 670 MB installed,
# 20 s), gcc-mingw-w64-x86-64 and what reference-sqlite.sh needs (npm, gcc, python3) if missing.
# Builds into target/windows-check (SQLite's object kept); each run makes a new Wine prefix in
# a temporary directory (about 700 MB, 5 s), deleted after.
set -euo pipefail
cd "$(dirname "$0")/.."

dll="${1:-core/src/main/resources/io/github/aiosqlite4j/native/windows-x86_64/aiosqlite4j.dll}"
[ -f "$dll" ] || { echo "windows-check.sh: no $dll" >&2; exit 1; }

wine=/usr/lib/wine/wine64
need=()
[ -x "$wine" ] || need+=(wine64)
command -v x86_64-w64-mingw32-gcc > /dev/null || need+=(gcc-mingw-w64-x86-64)
for tool in npm gcc python3; do # reference-sqlite.sh's
  command -v "$tool" > /dev/null || need+=("$tool")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" > /dev/null
fi

ref="$(native/reference-sqlite.sh)"
build="target/windows-check"
mkdir -p "$build"
mapfile -t flags < "$ref/sqlite3.flags"
if [ ! -f "$build/sqlite3.o" ] || [ "$ref/sqlite3.c" -nt "$build/sqlite3.o" ] \
    || [ "$ref/sqlite3.flags" -nt "$build/sqlite3.o" ]; then
  x86_64-w64-mingw32-gcc -O1 -w "${flags[@]}" -c -o "$build/sqlite3.o.tmp" "$ref/sqlite3.c"
  mv "$build/sqlite3.o.tmp" "$build/sqlite3.o"
fi
x86_64-w64-mingw32-gcc -std=c99 -O1 -Wall -Wextra -Werror -I "$ref" -static \
  -o "$build/windows-check.exe" native/windows-check.c "$build/sqlite3.o"

# As NativeLibrary does: a copy named aiosqlite4j.dll in a new directory, loaded by its full path.
work="$(mktemp -d)"
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" # no Mono, no Gecko
unset DISPLAY
trap '"$(dirname "$wine")/wineserver64" -k 2> /dev/null || true; rm -rf "$work"' EXIT
cp "$dll" "$work/aiosqlite4j.dll"
status=0
out="$(timeout 300 "$wine" "$build/windows-check.exe" "Z:${work//\//\\}\\aiosqlite4j.dll" 2> "$work/stderr")" \
  || status=$?
out="${out//$'\r'/}" # a Windows program's text-mode stdout ends lines with CR LF
echo "$out"
if [ "$status" != 0 ] || [ "$(tail -1 <<< "$out")" != "all checks passed" ]; then
  echo "windows-check.sh: the check failed under Wine (exit status $status); Wine's stderr:" >&2
  cat "$work/stderr" >&2
  exit 1
fi
echo "windows-x86_64: the native library loads and works as an extension (under Wine)"
