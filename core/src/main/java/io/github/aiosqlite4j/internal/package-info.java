/**
 * A connection: {@link io.github.aiosqlite4j.internal.DefaultAsyncConnection} (the {@code
 * AsyncConnection}) and what hands its work to the worker thread and its results back: {@link
 * io.github.aiosqlite4j.internal.ConnectionWorker} (the thread-model essay is its class comment),
 * {@link io.github.aiosqlite4j.internal.Task} (the future that is also the queued work), {@link
 * io.github.aiosqlite4j.internal.WorkerThreads}, {@link io.github.aiosqlite4j.internal.Timeouts},
 * cursors, sessions, blobs and streaming. The worker runs the synchronous engine of {@link
 * io.github.aiosqlite4j.internal.engine}, which does not depend on this package. Not exported by
 * the module and not supported API: anything here may change or disappear in any release.
 */
package io.github.aiosqlite4j.internal;
