/*
 * The compiler's own va_list (gcc and clang both have the builtins): sqlite3.h and jni.h need only
 * the type, and this library is built without any other headers (-ffreestanding -nostdinc).
 */
#ifndef AIOSQLITE4J_STDARG_H
#define AIOSQLITE4J_STDARG_H
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define va_copy(dest, src) __builtin_va_copy(dest, src)
#endif
