package io.github.aiosqlite4j.r2dbc.internal;

import io.github.aiosqlite4j.AsyncCursor;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The result of one statement execution. A statement that returns rows keeps its core cursor
 * open; the rows are fetched in chunks of the fetch size, only as the subscriber requests them,
 * and cancelling the subscription closes the cursor (its statement is reset and released). A
 * result can be consumed once.
 *
 * <p>Segments: one {@link Result.RowSegment} per row, then, for a statement that reports the rows
 * it changed (the core's {@link AsyncCursor#rowCount()} rule, Python's: one starting with
 * INSERT/UPDATE/DELETE/REPLACE, with or without RETURNING), one {@link Result.UpdateCount} of
 * that count. A statement without rows that reports no count (DDL, PRAGMA without output,
 * BEGIN, a {@code WITH ...} DML, no statement at all) gives an update count of 0.
 */
final class SqliteResult implements Result {

    private final Flux<Segment> segments;
    /** Closes the cursor without reading it; null for derived (filtered) results. */
    private final Runnable discard;
    private final AtomicBoolean consumed;
    /** True for an unfiltered query result: getRowsUpdated() need not read the rows. */
    private final boolean query;

    private SqliteResult(Flux<Segment> segments, Runnable discard, AtomicBoolean consumed,
            boolean query) {
        this.segments = segments;
        this.discard = discard;
        this.consumed = consumed;
        this.query = query;
    }

    /**
     * Wraps an executed cursor.
     *
     * @param executed the cursor the core returned, and what to do once it is closed
     * @param fetchSize rows per fetch, 0 for the connection's default
     */
    static SqliteResult of(BaseConnection.Executed executed, int fetchSize) {
        AsyncCursor cursor = executed.cursor();
        if (cursor.description().isEmpty()) {
            long count = Math.max(cursor.rowCount(), 0);
            executed.close();
            return new SqliteResult(Flux.just(new Count(count)), () -> { }, executed.taken(), false);
        }
        if (fetchSize > 0) {
            cursor.setIterChunkSize(fetchSize);
        }
        SqliteRowMetadata metadata = new SqliteRowMetadata(cursor.description());
        Flux<Segment> rows = JdkFlowAdapter.flowPublisherToFlux(cursor.rows())
                .map(r -> (Segment) new RowSegmentImpl(new SqliteRow(r, metadata)))
                .onErrorMap(ExceptionFactory::translate)
                .doFinally(signal -> executed.close());
        // A statement with rows that reports a count (DML ... RETURNING) has it once its last row
        // was read; until then the cursor reports 0, any other statement -1.
        boolean dml = cursor.rowCount() >= 0;
        Flux<Segment> segments = dml
                ? rows.concatWith(Mono.fromSupplier(() -> new Count(cursor.rowCount())))
                : rows;
        return new SqliteResult(segments, executed::close, executed.taken(), !dml);
    }

    private Flux<Segment> take() {
        return Flux.defer(() -> {
            if (!this.consumed.compareAndSet(false, true)) {
                return Flux.error(new IllegalStateException(
                        "This result was already consumed; a Result can be consumed only once"));
            }
            return this.segments;
        });
    }

    @Override
    public Publisher<Long> getRowsUpdated() {
        if (this.query) {
            return Mono.defer(() -> {
                if (!this.consumed.compareAndSet(false, true)) {
                    return Mono.error(new IllegalStateException(
                            "This result was already consumed; a Result can be consumed only once"));
                }
                this.discard.run();
                return Mono.empty();
            });
        }
        return take().ofType(UpdateCount.class)
                .map(UpdateCount::value)
                .reduce(Long::sum);
    }

    @Override
    public <T> Publisher<T> map(BiFunction<Row, RowMetadata, ? extends T> mappingFunction) {
        Objects.requireNonNull(mappingFunction, "mappingFunction must not be null");
        return take().handle((segment, sink) -> {
            if (segment instanceof RowSegment) {
                Row row = ((RowSegment) segment).row();
                sink.next(Objects.requireNonNull(mappingFunction.apply(row, row.getMetadata()),
                        "the mapping function returned null"));
            }
        });
    }

    @Override
    public <T> Publisher<T> map(Function<? super Readable, ? extends T> mappingFunction) {
        Objects.requireNonNull(mappingFunction, "mappingFunction must not be null");
        return take().handle((segment, sink) -> {
            if (segment instanceof RowSegment) {
                sink.next(Objects.requireNonNull(mappingFunction.apply(((RowSegment) segment).row()),
                        "the mapping function returned null"));
            }
        });
    }

    @Override
    public Result filter(Predicate<Segment> filter) {
        Objects.requireNonNull(filter, "filter must not be null");
        return new SqliteResult(this.segments.filter(filter), this.discard, this.consumed, false);
    }

    @Override
    public <T> Publisher<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mappingFunction) {
        Objects.requireNonNull(mappingFunction, "mappingFunction must not be null");
        return take().concatMap(segment -> {
            Publisher<? extends T> p = mappingFunction.apply(segment);
            if (p == null) {
                return Flux.error(new IllegalStateException("the mapping function returned null"));
            }
            return p;
        });
    }

    @Override
    public String toString() {
        return "SqliteResult{query=" + this.query + "}";
    }

    private record RowSegmentImpl(Row row) implements RowSegment {
    }

    private record Count(long value) implements UpdateCount {
    }
}
