package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins the module boundary: the API package is exported to everyone, three internal packages (the
 * connection engine, the pool, SQL text) only to the R2DBC driver, and the connection's worker
 * package ({@code internal}) to nobody.
 */
final class ModuleTest {
    @Test
    void moduleExportsTheApiToAll_andTheThreeInternalPackagesToTheDriverOnly() throws Exception {
        Path classes = Path.of(AioSqlite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertThat(descriptor.name()).isEqualTo("io.github.aiosqlite4j");
        assertThat(descriptor.exports()).hasSize(4);
        Map<String, ModuleDescriptor.Exports> bySource = descriptor.exports().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, e -> e));
        assertThat(bySource).containsOnlyKeys("io.github.aiosqlite4j",
                "io.github.aiosqlite4j.internal.engine", "io.github.aiosqlite4j.internal.pool",
                "io.github.aiosqlite4j.internal.sql");
        assertThat(bySource.get("io.github.aiosqlite4j").isQualified()).isFalse();
        for (String internal : new String[] {"io.github.aiosqlite4j.internal.engine",
                "io.github.aiosqlite4j.internal.pool", "io.github.aiosqlite4j.internal.sql"}) {
            assertThat(bySource.get(internal).targets()).as(internal)
                    .containsExactly("io.github.aiosqlite4j.r2dbc");
        }
        assertThat(descriptor.opens()).isEmpty();
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet())).contains("org.xerial.sqlitejdbc", "java.sql");
    }
}
