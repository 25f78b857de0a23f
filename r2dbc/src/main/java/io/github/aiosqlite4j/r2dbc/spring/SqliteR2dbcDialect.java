package io.github.aiosqlite4j.r2dbc.spring;

import java.util.Collection;
import org.springframework.data.r2dbc.dialect.R2dbcDialect;
import org.springframework.data.relational.core.dialect.AnsiDialect;
import org.springframework.data.relational.core.dialect.LimitClause;
import org.springframework.data.relational.core.dialect.LockClause;
import org.springframework.data.relational.core.sql.LockOptions;
import org.springframework.r2dbc.core.binding.BindMarkersFactory;

/**
 * The Spring Data R2DBC dialect for SQLite: {@code LIMIT n OFFSET m} paging, no {@code FOR
 * UPDATE} (SQLite locks the whole database; use an IMMEDIATE transaction to take the write lock
 * early), and {@code $1, $2, ...} bind markers. Spring finds it through {@code
 * META-INF/spring.factories} ({@link SqliteDialectProvider}) when the connection factory's
 * metadata name is {@code SQLite}; an application may also return {@link #INSTANCE} from {@code
 * AbstractR2dbcConfiguration.getDialect}. Generated keys are read with {@code RETURNING} (SQLite
 * 3.35 or newer, as bundled).
 */
@SuppressWarnings("exports") // Spring's types: the module reads Spring optionally (requires static)
public class SqliteR2dbcDialect extends AnsiDialect implements R2dbcDialect {

    /** The shared instance; the dialect holds no state. */
    public static final SqliteR2dbcDialect INSTANCE = new SqliteR2dbcDialect();

    /** {@code $1, $2, ...}, bound by index: the markers jOOQ renders too. */
    public static final BindMarkersFactory BIND_MARKERS = SqliteBindMarkersProvider.BIND_MARKERS;

    private static final LimitClause LIMIT_CLAUSE = new LimitClause() {
        @Override
        public String getLimit(long limit) {
            return "LIMIT " + limit;
        }

        @Override
        public String getOffset(long offset) {
            return "LIMIT -1 OFFSET " + offset;
        }

        @Override
        public String getLimitOffset(long limit, long offset) {
            return "LIMIT " + limit + " OFFSET " + offset;
        }

        @Override
        public Position getClausePosition() {
            return Position.AFTER_ORDER_BY;
        }
    };

    private static final LockClause LOCK_CLAUSE = new LockClause() {
        @Override
        public String getLock(LockOptions lockOptions) {
            return "";
        }

        @Override
        public Position getClausePosition() {
            return Position.AFTER_ORDER_BY;
        }
    };

    /** Creates the dialect; prefer {@link #INSTANCE}. Subclasses may add converters. */
    protected SqliteR2dbcDialect() {
    }

    /**
     * Returns {@code $1, $2, ...} bind markers.
     *
     * @return {@link #BIND_MARKERS}
     */
    @Override
    public BindMarkersFactory getBindMarkersFactory() {
        return BIND_MARKERS;
    }

    /**
     * Returns {@code LIMIT n OFFSET m}, after ORDER BY.
     *
     * @return the limit clause
     */
    @Override
    public LimitClause limit() {
        return LIMIT_CLAUSE;
    }

    /**
     * Returns reading converters from text to Instant, OffsetDateTime, ZonedDateTime,
     * LocalDateTime, LocalDate and LocalTime that accept what the driver stores (a space between
     * date and time, an offset) and what SQLite's date functions write, so that an entity's date
     * and time fields read back from TEXT columns and expressions too.
     *
     * @return the converters
     */
    @Override
    public Collection<Object> getConverters() {
        return SqliteConverters.all();
    }

    /**
     * Returns a lock clause that renders nothing: SQLite has no row locks.
     *
     * @return the lock clause
     */
    @Override
    public LockClause lock() {
        return LOCK_CLAUSE;
    }
}
