package io.github.aiosqlite4j.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every entry point of the package on malformed and pathological text. */
final class SqlTextRobustnessTest {

    @Test
    void allMethods_neverThrowOnRandomInput() {
        String alphabet = "';\"`[]-/*\nx'?:@$#()0.5eE+ ,aAEND CREATE TRIGGER BEGIN WITH AS é";
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            int length = random.nextInt(40);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String sql = sb.toString();
            assertThatCode(
                            () -> {
                                List<String> parts = ScriptSplitter.split(sql);
                                ScriptSplitter.isComplete(sql);
                                ParameterLayout p = ParameterLayout.of(sql);
                                for (int[] span : p.spans()) {
                                    assertThat(span[0]).isLessThan(span[1]);
                                    assertThat(span[1]).isLessThanOrEqualTo(sql.length());
                                }
                                p.indexOf("a");
                                StatementClassifier.classify(sql);
                                for (String part : parts) {
                                    assertThat(part).isNotBlank();
                                    StatementClassifier.classify(part);
                                }
                            })
                    .as(sql)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void allMethods_runInLinearTimeOnPathologicalInput() {
        int size = 400_000;
        List<String> inputs =
                List.of(
                        "'".repeat(size),
                        "[".repeat(size),
                        "\"".repeat(size),
                        "/*".repeat(size),
                        "x'".repeat(size),
                        "$a(".repeat(size),
                        ":".repeat(size),
                        "(".repeat(size),
                        "WITH x AS " + "(".repeat(size),
                        "?".repeat(size),
                        ";".repeat(size),
                        "CREATE TRIGGER ".repeat(size / 10),
                        "a".repeat(size));
        for (String sql : inputs) {
            ScriptSplitter.split(sql);
            ScriptSplitter.isComplete(sql);
            ParameterLayout.of(sql);
            StatementClassifier.classify(sql);
        }
        assertThat(ParameterLayout.of("?".repeat(size)).count()).isEqualTo(size);
    }
}
