#!/usr/bin/env bash
# Builds aiosqlite4j's native library (native/src/aiosqlite4j.c) for each platform whose compiler
# is installed, into core/src/main/resources/io/github/aiosqlite4j/native/<platform>/, with a
# .sha256 file beside each binary (the loader checks the extracted copy against it).
#
# Reproducible: fixed flags, no C library (-ffreestanding -nostdinc -nostdlib: the only headers are
# native/include, the vendored SQLite headers and the JDK's jni.h), no build
# id, no timestamps, no debug info, no paths of this checkout. Same toolchain, same bytes.
#
#   native/build.sh [--check] [platform...]
#     platforms: linux-x86_64 linux-aarch64 windows-x86_64 (gcc: Debian's gcc,
#     gcc-aarch64-linux-gnu, gcc-mingw-w64-x86-64), macos-x86_64 macos-aarch64 windows-aarch64
#     (clang and lld); default: all six
#     --check    build into a temporary directory and compare with the committed binaries
#                (exit 1 on a difference; a platform whose compiler is missing fails too)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out_root="core/src/main/resources/io/github/aiosqlite4j/native"

check=0
if [ "${1:-}" = "--check" ]; then
  check=1
  shift
fi
platforms=("$@")
if [ ${#platforms[@]} -eq 0 ]; then
  platforms=(linux-x86_64 linux-aarch64 windows-x86_64 macos-x86_64 macos-aarch64 windows-aarch64)
fi

jdk_include=""
for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"; do
  if [ -n "$candidate" ] && [ -f "$candidate/include/jni.h" ]; then jdk_include="$candidate/include"; break; fi
done
if [ -z "$jdk_include" ]; then
  echo "no jni.h: set JAVA_HOME to a JDK" >&2
  exit 1
fi
# jni.h alone, so that the JDK's own jni_md.h (host-specific) is never picked up.
jni_dir="$(mktemp -d)"
trap 'rm -rf "$jni_dir"' EXIT
cp "$jdk_include/jni.h" "$jni_dir/jni.h"

cflags=(-std=c99 -O2 -Wall -Wextra -Werror -pedantic -Wno-long-long
  -ffreestanding -nostdinc -fno-builtin -fno-stack-protector -fno-ident -g0
  -fvisibility=hidden -fno-asynchronous-unwind-tables
  "-ffile-prefix-map=$root=." "-ffile-prefix-map=$jni_dir=."
  -I native/include -I native/sqlite -I "$jni_dir")

# build PLATFORM OUTPUT_FILE
build() {
  local platform="$1" out="$2" cc
  case "$platform" in
    linux-x86_64) cc=gcc ;;
    linux-aarch64) cc=aarch64-linux-gnu-gcc ;;
    windows-x86_64) cc=x86_64-w64-mingw32-gcc ;;
    macos-x86_64 | macos-aarch64 | windows-aarch64) cc=clang ;;
    *) echo "unknown platform $platform" >&2; return 1 ;;
  esac
  if ! command -v "$cc" > /dev/null || { [ "$cc" = clang ] && ! command -v ld.lld > /dev/null; }; then
    echo "$platform: $cc is not installed (clang also needs lld)" >&2
    return 1
  fi
  case "$platform" in
    linux-*)
      "$cc" "${cflags[@]}" -fPIC -shared -nostdlib -s \
        -Wl,--build-id=none -Wl,--no-undefined -Wl,-z,noexecstack -Wl,-z,relro -Wl,-z,now \
        -Wl,--hash-style=gnu -o "$out" native/src/aiosqlite4j.c
      ;;
    macos-*)
      local arch="${platform#macos-}"
      [ "$arch" = aarch64 ] && arch=arm64
      # lld signs the arm64 library ad hoc, as macOS requires; the install name is the file name.
      "$cc" --target="$arch-apple-macos11" "${cflags[@]}" -fPIC -fuse-ld=lld -shared -nostdlib \
        -Wl,-platform_version,macos,11.0,11.0 -Wl,-install_name,libaiosqlite4j.dylib \
        -o "$out" native/src/aiosqlite4j.c
      ;;
    windows-aarch64)
      "$cc" --target=aarch64-w64-mingw32 "${cflags[@]}" -fuse-ld=lld -shared -nostdlib -s \
        -Wl,--no-insert-timestamp -Wl,-e,aiosqlite4j_dll_main -o "$out" native/src/aiosqlite4j.c
      ;;
    windows-*)
      "$cc" "${cflags[@]}" -shared -nostdlib -s \
        -Wl,--no-insert-timestamp -Wl,--disable-auto-image-base -Wl,-e,aiosqlite4j_dll_main -Wl,--no-undefined \
        -o "$out" native/src/aiosqlite4j.c
      ;;
  esac
}

# The library's file name on a platform.
lib_name() {
  case "$1" in
    windows-*) echo aiosqlite4j.dll ;;
    macos-*) echo libaiosqlite4j.dylib ;;
    *) echo libaiosqlite4j.so ;;
  esac
}

status=0
for platform in "${platforms[@]}"; do
  name="$(lib_name "$platform")"
  committed="$out_root/$platform/$name"
  if [ "$check" = 1 ]; then
    mkdir -p "$jni_dir/$platform"
    tmp="$jni_dir/$platform/$name" # the same file name: a DLL's export table holds it
    if ! build "$platform" "$tmp"; then status=1; continue; fi
    if cmp -s "$tmp" "$committed" \
        && [ "$(sha256sum < "$tmp" | cut -d' ' -f1)" = "$(cat "$committed.sha256")" ]; then
      echo "$platform: rebuilt $name is byte-identical to the committed one"
    else
      echo "$platform: rebuilt $name DIFFERS from $committed (or its .sha256)" >&2
      status=1
    fi
  else
    mkdir -p "$out_root/$platform"
    build "$platform" "$committed"
    sha256sum < "$committed" | cut -d' ' -f1 > "$committed.sha256"
    echo "$platform: $committed ($(wc -c < "$committed") bytes)"
  fi
done
exit $status
