/*
 * Empty: jni.h includes <stdio.h> but uses nothing from it, and this library is built without a
 * C library (-ffreestanding -nostdinc), so no target's libc headers are needed.
 */
