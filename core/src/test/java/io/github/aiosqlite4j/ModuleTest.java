package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the module boundary: only the API package is exported, and unqualified. */
final class ModuleTest {
    @Test
    void moduleExportsOnlyTheApiPackage() throws Exception {
        Path classes = Path.of(AioSqlite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertThat(descriptor.name()).isEqualTo("io.github.aiosqlite4j");
        assertThat(descriptor.exports()).hasSize(1);
        ModuleDescriptor.Exports export = descriptor.exports().iterator().next();
        assertThat(export.source()).isEqualTo("io.github.aiosqlite4j");
        assertThat(export.isQualified()).isFalse();
        assertThat(descriptor.opens()).isEmpty();
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet())).contains("org.xerial.sqlitejdbc", "java.sql");
    }
}
