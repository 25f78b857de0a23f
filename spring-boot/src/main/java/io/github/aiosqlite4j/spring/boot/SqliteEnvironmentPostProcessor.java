package io.github.aiosqlite4j.spring.boot;

import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactoryProvider;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults Spring Boot needs for {@code spring.r2dbc.url=r2dbc:sqlite:...}, added as the
 * environment's last property source, so any property you set wins: {@code
 * spring.sql.init.mode=always}. An SQLite file is an embedded database, but Boot runs {@code
 * schema.sql}/{@code data.sql} by default only for the ones it knows (H2).
 *
 * <p>Boot's r2dbc-pool stays around a {@code pool=true} factory for now: it adds a hop, but the
 * driver's pool below it still has one writer (r2dbc-pool's connections are light handles on it,
 * not SQLite connections). Without the wrapper ({@code spring.r2dbc.pool.enabled=false}) a
 * WebFlux application under concurrent load currently has requests that never complete (issue 17).
 *
 * <p>Registered in {@code META-INF/spring.factories}; Boot creates it.
 */
public final class SqliteEnvironmentPostProcessor implements EnvironmentPostProcessor {

    /** The name of the property source this adds. */
    public static final String PROPERTY_SOURCE = "aiosqlite4j-defaults";

    /** Creates the post-processor; Boot calls this. */
    public SqliteEnvironmentPostProcessor() {
    }

    /**
     * Adds the defaults if {@code spring.r2dbc.url} names the SQLite driver.
     *
     * @param environment the environment
     * @param application the application
     */
    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("spring.r2dbc.url");
        if (url == null || !url.startsWith("r2dbc:" + SqliteConnectionFactoryProvider.SQLITE_DRIVER + ":")) {
            return;
        }
        Map<String, Object> defaults = Map.of("spring.sql.init.mode", "always");
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, defaults));
    }
}
