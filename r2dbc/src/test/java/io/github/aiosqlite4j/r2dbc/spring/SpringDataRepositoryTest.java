package io.github.aiosqlite4j.r2dbc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.config.AbstractR2dbcConfiguration;
import org.springframework.data.r2dbc.dialect.DialectResolver;
import org.springframework.data.r2dbc.repository.config.EnableR2dbcRepositories;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import org.springframework.data.repository.reactive.ReactiveSortingRepository;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A Spring Data R2DBC repository over SQLite through this driver, dialect found by Spring; one
 * SQLite connection per R2DBC connection ({@link PooledSpringDataRepositoryTest}: the same through
 * the factory's pool).
 */
class SpringDataRepositoryTest {

    private static final Duration GUARD = Duration.ofSeconds(30);
    private static Path database;
    private static boolean pooled;

    private AnnotationConfigApplicationContext context;
    private PersonRepository repository;

    /** The entity: table {@code person}, columns {@code id, first_name, last_name}. */
    @Table("person")
    public static class Person {
        @Id
        private Long id;
        private String firstName;
        private String lastName;

        public Person() {
        }

        Person(String firstName, String lastName) {
            this.firstName = firstName;
            this.lastName = lastName;
        }

        public Long getId() {
            return id;
        }

        public void setId(Long id) {
            this.id = id;
        }

        public String getFirstName() {
            return firstName;
        }

        public void setFirstName(String firstName) {
            this.firstName = firstName;
        }

        public String getLastName() {
            return lastName;
        }

        public void setLastName(String lastName) {
            this.lastName = lastName;
        }
    }

    /** Derived queries and paging. */
    public interface PersonRepository extends ReactiveCrudRepository<Person, Long>,
            ReactiveSortingRepository<Person, Long> {
        Flux<Person> findByLastName(String lastName);

        Flux<Person> findByLastNameOrderByFirstName(String lastName, Pageable pageable);

        Mono<Long> countByLastName(String lastName);
    }

    @Configuration
    @EnableR2dbcRepositories(considerNestedRepositories = true, basePackageClasses = SpringDataRepositoryTest.class)
    static class Config extends AbstractR2dbcConfiguration {
        @Override
        @Bean
        public ConnectionFactory connectionFactory() {
            return SqliteConnectionFactory.builder(SqliteConfig.builder(database).build())
                    .pool(pooled ? PoolOptions.builder().readers(2).build() : null)
                    .build();
        }
    }

    /** @return whether the factory routes through a pool */
    boolean pooled() {
        return false;
    }

    @BeforeEach
    void setUp() throws Exception {
        database = Files.createTempFile("aiosqlite4j-spring", ".db");
        pooled = pooled();
        context = new AnnotationConfigApplicationContext(Config.class);
        DatabaseClient client = context.getBean(DatabaseClient.class);
        client.sql("CREATE TABLE person (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT)")
                .then().block(GUARD);
        repository = context.getBean(PersonRepository.class);
    }

    @AfterEach
    void tearDown() throws Exception {
        SqliteConnectionFactory cf = context.getBean(SqliteConnectionFactory.class);
        context.close();
        Mono.from(cf.close()).block(GUARD); // in pool mode: closes the pool and its threads
        Files.deleteIfExists(database);
        Files.deleteIfExists(Path.of(database + "-wal"));
        Files.deleteIfExists(Path.of(database + "-shm"));
    }

    @Test
    void dialect_isResolvedThroughSpringFactories() {
        ConnectionFactory cf = context.getBean(ConnectionFactory.class);
        assertThat(DialectResolver.getDialect(cf)).isSameAs(SqliteR2dbcDialect.INSTANCE);
    }

    @Test
    void save_assignsTheGeneratedId_andFindByIdReadsItBack() {
        Person saved = repository.save(new Person("Ada", "Lovelace")).block(GUARD);
        assertThat(saved.getId()).isEqualTo(1L);
        Person found = repository.findById(saved.getId()).block(GUARD);
        assertThat(found.getFirstName()).isEqualTo("Ada");
        assertThat(found.getLastName()).isEqualTo("Lovelace");
        found.setFirstName("Augusta Ada");
        repository.save(found).block(GUARD);
        assertThat(repository.findById(1L).block(GUARD).getFirstName()).isEqualTo("Augusta Ada");
        assertThat(repository.count().block(GUARD)).isEqualTo(1L);
    }

    @Test
    void derivedQuery_andPaging() {
        repository.saveAll(List.of(new Person("Carl", "Gauss"), new Person("Anna", "Gauss"),
                new Person("Bert", "Gauss"), new Person("Dora", "Gauss"), new Person("Emmy", "Noether")))
                .blockLast(GUARD);
        assertThat(repository.findByLastName("Noether").map(Person::getFirstName).collectList().block(GUARD))
                .containsExactly("Emmy");
        assertThat(repository.countByLastName("Gauss").block(GUARD)).isEqualTo(4L);
        List<String> page0 = repository.findByLastNameOrderByFirstName("Gauss", PageRequest.of(0, 3))
                .map(Person::getFirstName).collectList().block(GUARD);
        List<String> page1 = repository.findByLastNameOrderByFirstName("Gauss", PageRequest.of(1, 3))
                .map(Person::getFirstName).collectList().block(GUARD);
        assertThat(page0).containsExactly("Anna", "Bert", "Carl");
        assertThat(page1).containsExactly("Dora");
        repository.deleteById(1L).block(GUARD);
        assertThat(repository.findAll(Sort.by("firstName")).map(Person::getFirstName).collectList().block(GUARD))
                .containsExactly("Anna", "Bert", "Dora", "Emmy");
    }

    @Test
    void transactionalOperator_rollsBackOnError_andCommitsOtherwise() {
        ConnectionFactory cf = context.getBean(ConnectionFactory.class);
        TransactionalOperator tx = TransactionalOperator.create(new R2dbcTransactionManager(cf));
        Mono<Person> failing = repository.save(new Person("Temp", "Rolledback"))
                .then(Mono.<Person>error(new IllegalStateException("boom")));
        assertThat(catchThrowable(() -> failing.as(tx::transactional).block(GUARD)))
                .hasMessageContaining("boom");
        assertThat(repository.countByLastName("Rolledback").block(GUARD)).isZero();
        repository.save(new Person("Kept", "Committed")).as(tx::transactional).block(GUARD);
        assertThat(repository.countByLastName("Committed").block(GUARD)).isOne();
    }

    @Test
    void transactionalOperator_givenUpAtRandomPoints_leavesTheDatabaseWritable() {
        // What an HTTP client timing out does to a transactional service method.
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        ConnectionFactory cf = context.getBean(ConnectionFactory.class);
        TransactionalOperator tx = TransactionalOperator.create(new R2dbcTransactionManager(cf));
        List<Duration> timeouts = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            timeouts.add(Duration.ofNanos((long) Math.pow(10, 4 + 4 * random.nextDouble())));
        }
        Flux.fromIterable(timeouts)
                .flatMap(t -> repository.save(new Person("Given", "Up")).as(tx::transactional)
                        .timeout(t)
                        .onErrorResume(e -> Mono.empty()), 16)
                .blockLast(GUARD);
        Person kept = repository.save(new Person("Kept", "Committed")).as(tx::transactional).block(GUARD);
        assertThat(repository.findById(kept.getId()).block(GUARD).getLastName())
                .as("seed %d", seed).isEqualTo("Committed");
    }

    @Test
    void databaseClientCreate_findsTheBindMarkersThroughSpringFactories() {
        DatabaseClient client = DatabaseClient.create(context.getBean(ConnectionFactory.class));
        Map<String, Object> row = client.sql("SELECT :a + :b AS total, :a AS a")
                .bind("a", 40).bind("b", 2)
                .fetch().one().block(GUARD);
        assertThat(row).containsEntry("total", 42).containsEntry("a", 40);
    }
}
