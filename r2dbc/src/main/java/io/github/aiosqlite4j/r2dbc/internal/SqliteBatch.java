package io.github.aiosqlite4j.r2dbc.internal;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Result;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/** SQL statements without parameters, run in order; each gives its results in turn. */
final class SqliteBatch implements Batch {

    private final BaseConnection connection;
    private final List<String> sql = new ArrayList<>();

    SqliteBatch(BaseConnection connection) {
        this.connection = connection;
    }

    @Override
    public Batch add(String sql) {
        if (sql == null) {
            throw new IllegalArgumentException("sql must not be null");
        }
        this.sql.add(sql);
        return this;
    }

    @Override
    public Flux<Result> execute() {
        List<String> all = new ArrayList<>(this.sql);
        return Flux.fromIterable(all)
                .concatMap(s -> this.connection.createStatement(s).execute(), 1);
    }
}
