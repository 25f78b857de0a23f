package io.github.aiosqlite4j.portability;

import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.Locale;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.r2dbc.repository.support.R2dbcRepositoryFactory;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.connection.init.ResourceDatabasePopulator;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * One database under test, reached by its R2DBC URL alone: everything below is built from the
 * URL the same way whatever the database. The one per-platform file is the schema,
 * {@code schema-{platform}.sql}, platform being the driver's metadata name in lower case
 * ({@code sqlite}, {@code postgresql}: the names Spring Boot's {@code spring.sql.init.platform}
 * takes).
 */
final class Target implements AutoCloseable {

    static final Duration GUARD = Duration.ofSeconds(30);

    final ConnectionFactory factory;
    final String platform;
    final R2dbcEntityTemplate template;
    final ItemRepository items;
    final DatabaseClient client;
    final DSLContext jooq;
    final TransactionalOperator tx;

    Target(String url) {
        this.factory = ConnectionFactories.get(url);
        this.platform = factory.getMetadata().getName().toLowerCase(Locale.ROOT);
        this.template = new R2dbcEntityTemplate(factory); // Spring Data finds the dialect
        this.items = new R2dbcRepositoryFactory(template).getRepository(ItemRepository.class);
        this.client = template.getDatabaseClient();
        SQLDialect dialect = JDBCUtils.dialect(url); // jOOQ reads the dialect from the URL
        this.jooq = DSL.using(factory, dialect);
        this.tx = TransactionalOperator.create(new R2dbcTransactionManager(factory));
    }

    /** Drops and creates the tables: runs {@code schema-{platform}.sql}. */
    void resetSchema() {
        new ResourceDatabasePopulator(new ClassPathResource("schema-" + platform + ".sql"))
                .populate(factory).block(GUARD);
    }

    boolean isPostgres() {
        return platform.equals("postgresql");
    }

    /**
     * For the differences the suite documents: what SQLite gives and what PostgreSQL gives.
     *
     * @return {@code sqlite} on SQLite, {@code postgres} on PostgreSQL
     */
    <T> T either(T sqlite, T postgres) {
        return isPostgres() ? postgres : sqlite;
    }

    @Override
    public void close() {
        if (factory instanceof Closeable closeable) { // SQLite's: closes its pool
            Mono.from(closeable.close()).block(GUARD);
        }
    }
}
