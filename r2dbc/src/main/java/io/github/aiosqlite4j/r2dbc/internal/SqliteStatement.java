package io.github.aiosqlite4j.r2dbc.internal;

import io.github.aiosqlite4j.internal.sql.ParameterLayout;
import io.github.aiosqlite4j.internal.sql.ParsedSql;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A statement: SQL text split into its statements by the core's tokenizer (quotes, comments and
 * trigger bodies respected), each run in order, each giving one {@link Result} per binding. Each
 * statement is parsed once, when the statement is created ({@link ParsedSql#of}, from the cache
 * the core shares): that parse gives the placeholders, whether it changes rows, and how the
 * connection runs it.
 *
 * <p>Placeholders are SQLite's own: {@code ?}, {@code ?NNN}, {@code :name}, {@code @name} and
 * {@code $name}. {@code bind(int, ...)} binds SQLite's parameter {@code index + 1}, except when
 * every placeholder is of the form {@code $N} (jOOQ, Spring's indexed markers): then index
 * {@code i} binds {@code $(i+1)}, wherever it appears. {@code bind(String, ...)} accepts a name with
 * or without its prefix. Parameters are supported in single statements only.
 */
final class SqliteStatement implements Statement {

    private static final Pattern RETURNING = Pattern.compile("(?i)\\bRETURNING\\b");

    private final BaseConnection connection;
    /** The statements in order, at least one (an empty text is one empty statement). */
    private final List<ParsedSql> statements;
    /** The placeholders of the one statement (none when there are several). */
    private final ParameterLayout parameters;
    private final List<Object[]> bindings = new ArrayList<>();
    private Object[] current;
    private String[] generatedColumns;
    private int fetchSize;

    SqliteStatement(BaseConnection connection, String sql) {
        this.connection = connection;
        ParsedSql parsed = ParsedSql.of(sql);
        List<ParsedSql> parts = new ArrayList<>();
        for (String s : parsed.statements()) { // each without its semicolon
            parts.add(s.equals(sql) ? parsed : ParsedSql.of(s));
        }
        if (parts.isEmpty()) {
            parts.add(parsed);
        }
        if (parts.size() > 1) {
            for (ParsedSql part : parts) {
                if (part.parameters().count() > 0) {
                    throw new IllegalArgumentException("Bind parameters are supported in single"
                            + " statements only; split the compound statement: " + sql);
                }
            }
        }
        this.statements = List.copyOf(parts);
        this.parameters = parts.get(0).parameters();
        this.current = new Object[this.parameters.count() + 1];
    }

    @Override
    public Statement add() {
        checkComplete(this.current);
        this.bindings.add(this.current);
        this.current = new Object[this.parameters.count() + 1];
        return this;
    }

    @Override
    public Statement bind(int index, Object value) {
        Codecs.checkBindable(value);
        this.current[sqliteIndex(index)] = value;
        return this;
    }

    @Override
    public Statement bind(String name, Object value) {
        int i = sqliteIndex(name);
        Codecs.checkBindable(value);
        this.current[i] = value;
        return this;
    }

    @Override
    public Statement bindNull(int index, Class<?> type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        this.current[sqliteIndex(index)] = Codecs.Nulls.NULL;
        return this;
    }

    @Override
    public Statement bindNull(String name, Class<?> type) {
        int i = sqliteIndex(name);
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        this.current[i] = Codecs.Nulls.NULL;
        return this;
    }

    private int sqliteIndex(int index) {
        if (this.parameters.isDollarNumbered()) {
            int i = this.parameters.indexOf("$" + (index + 1));
            if (index < 0 || i < 0) {
                throw new IndexOutOfBoundsException("Bind index " + index + " has no placeholder $"
                        + (index + 1) + " in: " + this.statements.get(0).sql());
            }
            return i;
        }
        if (index < 0 || index >= this.parameters.count() || !this.parameters.isUsed(index + 1)) {
            throw new IndexOutOfBoundsException("Bind index " + index + " is out of range: the"
                    + " statement has " + this.parameters.count() + " parameters (0-based)");
        }
        return index + 1;
    }

    private int sqliteIndex(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        int i = this.parameters.indexOf(name);
        if (i < 0) {
            throw new NoSuchElementException("No parameter named '" + name + "'; the statement has "
                    + this.parameters.names());
        }
        return i;
    }

    private void checkComplete(Object[] binding) {
        for (int i = 1; i < binding.length; i++) {
            if (this.parameters.isUsed(i) && binding[i] == null) {
                String name = this.parameters.nameAt(i);
                throw new IllegalStateException("Parameter " + (name != null ? name : "?" + i)
                        + " is not bound" + (this.bindings.isEmpty() ? "" : " (binding set "
                        + (this.bindings.size() + 1) + "; did you call add() once too often?)"));
            }
        }
    }

    @Override
    public Statement returnGeneratedValues(String... columns) {
        if (columns == null) {
            throw new IllegalArgumentException("columns must not be null");
        }
        for (String c : columns) {
            if (c == null) {
                throw new IllegalArgumentException("columns must not contain null");
            }
        }
        this.generatedColumns = columns.clone();
        return this;
    }

    @Override
    public Statement fetchSize(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("fetchSize must not be negative, was " + rows);
        }
        this.fetchSize = rows;
        return this;
    }

    @Override
    public Flux<Result> execute() {
        List<Object[]> sets = new ArrayList<>(this.bindings);
        if (this.parameters.count() > 0) {
            if (sets.isEmpty() || hasAny(this.current)) {
                checkComplete(this.current);
                sets.add(this.current);
            } else {
                throw new IllegalStateException("add() was called after the last binding set;"
                        + " the statement has an empty trailing binding set");
            }
        } else if (sets.isEmpty()) {
            sets.add(this.current);
        }
        List<ParsedSql> sqls = this.generatedColumns == null ? this.statements : withReturning();
        int fetch = this.fetchSize;
        BaseConnection conn = this.connection;
        return Flux.range(0, sqls.size())
                .concatMap(i -> Flux.fromIterable(sets)
                        .concatMap(set -> resolve(set)
                                .flatMap(params -> conn.executeCursor(sqls.get(i), params, fetch))
                                .map(executed -> (Result) SqliteResult.of(executed, fetch))),
                        1);
    }

    /** The statements, each one that changes rows returning the generated columns. */
    private List<ParsedSql> withReturning() {
        List<ParsedSql> sqls = new ArrayList<>(this.statements.size());
        for (ParsedSql s : this.statements) {
            sqls.add(s.modifiesRows() ? withReturning(s) : s);
        }
        return sqls;
    }

    private ParsedSql withReturning(ParsedSql statement) {
        if (RETURNING.matcher(statement.sql()).find()) {
            return statement;
        }
        String columns = this.generatedColumns.length == 0 ? "*"
                : String.join(", ", Arrays.asList(this.generatedColumns));
        return ParsedSql.of(statement.sql() + " RETURNING " + columns);
    }

    private static boolean hasAny(Object[] binding) {
        for (int i = 1; i < binding.length; i++) {
            if (binding[i] != null) {
                return true;
            }
        }
        return false;
    }

    /** The binding set as the core's positional array (index i holds SQLite parameter i+1). */
    private static Mono<Object[]> resolve(Object[] binding) {
        int n = binding.length - 1;
        if (n == 0) {
            return Mono.just(new Object[0]);
        }
        return Flux.range(1, n)
                .concatMap(i -> binding[i] == null ? Mono.just(Codecs.Nulls.NULL)
                        : Codecs.toStorable(binding[i]).defaultIfEmpty(Codecs.Nulls.NULL))
                .collectList()
                .map(values -> {
                    Object[] out = new Object[n];
                    for (int i = 0; i < n; i++) {
                        Object v = values.get(i);
                        out[i] = v == Codecs.Nulls.NULL ? null : v;
                    }
                    return out;
                });
    }

    @Override
    public String toString() {
        StringJoiner sql = new StringJoiner("; ", "SqliteStatement{sql=", "}");
        for (ParsedSql s : this.statements) {
            sql.add(s.sql());
        }
        return sql.toString();
    }
}
