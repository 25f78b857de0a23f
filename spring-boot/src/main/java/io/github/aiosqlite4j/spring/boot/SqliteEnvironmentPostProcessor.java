package io.github.aiosqlite4j.spring.boot;

import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults Spring Boot needs for {@code spring.r2dbc.url=r2dbc:sqlite:...}, added as the
 * environment's last property source, so any property you set wins:
 *
 * <ul>
 *   <li>{@code spring.sql.init.mode=always}. An SQLite file is an embedded database, but Boot runs
 *       {@code schema.sql}/{@code data.sql} by default only for the ones it knows (H2).
 *   <li>{@code spring.r2dbc.pool.enabled=false} when the URL says {@code pool=true}: the driver's
 *       own pool (one writer, readers) is the pool, and its R2DBC connections are light handles
 *       that lease a pool connection per statement or transaction; Boot's r2dbc-pool around it
 *       would only add a hop and hold handles.
 * </ul>
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
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("spring.sql.init.mode", "always");
        if (driverPool(url)) {
            defaults.put("spring.r2dbc.pool.enabled", "false");
        }
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, defaults));
    }

    /** Whether the URL turns the driver's pool on; a URL R2DBC cannot parse is left to the driver. */
    private static boolean driverPool(String url) {
        Object pool;
        try {
            pool = ConnectionFactoryOptions.parse(url).getValue(SqliteConnectionFactoryProvider.POOL);
        } catch (IllegalArgumentException e) {
            return false; // the driver reports the bad URL when the factory is created
        }
        return pool != null && "true".equalsIgnoreCase(pool.toString().trim());
    }
}
