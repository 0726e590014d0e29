package io.ledgerstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The build gate: the real schemas/history is intact and readable by every current schema. */
class SchemaHistoryTest {

    static Path realHistory() {
        return Path.of(System.getProperty("ledgerstream.schemas.dir", "."), "history");
    }

    @Test
    void everyReleasedVersionIsRecordedUnchangedAndReadableByTheCurrentSchema() throws Exception {
        List<SchemaHistoryCheck.Violation> violations = SchemaHistoryCheck.against(realHistory()).run();

        assertThat(violations)
                .withFailMessage(() -> "schemas/history is broken:\n  " + violations.stream()
                        .map(Object::toString).collect(Collectors.joining("\n  ")))
                .isEmpty();
    }
}
