package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.nio.file.Path;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** jOOQ over R2DBC: SQLDialect.SQLITE renders $1, $2 ... markers, bound by index. */
final class JooqTest {

    private static final Table<Record> BOOK = table(name("book"));
    private static final Field<Long> ID = field(name("id"), SQLDataType.BIGINT);
    private static final Field<String> TITLE = field(name("title"), SQLDataType.VARCHAR);
    private static final Field<Integer> YEAR = field(name("year"), SQLDataType.INTEGER);

    @Test
    void insertsAndSelect_throughTheDriver() {
        Path file = Db.tempFile();
        SqliteConnectionFactory cf = Db.factory(file);
        DSLContext ctx = DSL.using(cf, SQLDialect.SQLITE);

        Mono.from(ctx.createTable(BOOK)
                .column(ID, SQLDataType.BIGINT.notNull())
                .column(TITLE, SQLDataType.VARCHAR(100))
                .column(YEAR, SQLDataType.INTEGER)
                .primaryKey(ID)).block(Db.GUARD);
        Integer inserted = Flux.concat(
                        ctx.insertInto(BOOK, ID, TITLE, YEAR).values(1L, "Dune", 1965),
                        ctx.insertInto(BOOK, ID, TITLE, YEAR).values(2L, "Neuromancer", 1984)
                                .values(3L, "Hyperion", 1989))
                .reduce(0, Integer::sum)
                .block(Db.GUARD);
        assertThat(inserted).isEqualTo(3);

        List<String> titles = Flux.from(ctx.select(TITLE).from(BOOK)
                        .where(YEAR.gt(1970)).and(TITLE.ne("nothing"))
                        .orderBy(YEAR.desc()))
                .map(r -> r.get(TITLE))
                .collectList()
                .block(Db.GUARD);
        assertThat(titles).containsExactly("Hyperion", "Neuromancer");

        Record dune = Mono.from(ctx.select(ID, TITLE, YEAR).from(BOOK).where(ID.eq(1L))).block(Db.GUARD);
        assertThat(dune.get(ID)).isEqualTo(1L);
        assertThat(dune.get(YEAR)).isEqualTo(1965);
    }
}
