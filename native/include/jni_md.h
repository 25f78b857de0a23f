/*
 * jni_md.h for every target aiosqlite4j builds (used in place of the JDK's per-platform one, so a
 * build needs only the JDK's jni.h, whatever platform that JDK is for).
 */
#ifndef AIOSQLITE4J_JNI_MD_H
#define AIOSQLITE4J_JNI_MD_H
#ifdef _WIN32
#define JNIEXPORT __declspec(dllexport)
#define JNIIMPORT __declspec(dllimport)
#else
#define JNIEXPORT __attribute__((visibility("default")))
#define JNIIMPORT __attribute__((visibility("default")))
#endif
/* Empty on every 64-bit target (as the JDK 25 jni.h defines it). */
#define JNICALL
typedef int jint;
typedef long long jlong;
typedef signed char jbyte;
#endif
