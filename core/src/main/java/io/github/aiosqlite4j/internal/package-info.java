/**
 * Implementation of aiosqlite4j. Not exported by the module and not supported API: anything here
 * may change or disappear in any release.
 */
package io.github.aiosqlite4j.internal;
