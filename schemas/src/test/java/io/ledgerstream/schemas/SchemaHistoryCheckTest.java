package io.ledgerstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerstream.schemas.SchemaHistoryCheck.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker on a copy of the real history, with each subject's latest release playing its current schema. */
class SchemaHistoryCheckTest {

    private static final String EVENTS = "ledger.account.events-value";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path history;
    private final Map<String, Schema> current = new HashMap<>();
    private int latest;

    @BeforeEach
    void copyRealHistory() throws IOException {
        Path source = SchemaHistoryTest.realHistory();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = history.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        for (String subject : Subjects.current().keySet()) {
            int version = latestVersion(subject);
            current.put(subject, new Schema.Parser().parse(Files.readString(history.resolve(subject + "/v" + version + ".avsc"))));
        }
        latest = latestVersion(EVENTS);
    }

    @Test
    void acceptsAnUntouchedCopyOfTheHistory() throws IOException {
        assertThat(check()).isEmpty();
    }

    @Test
    void reportsAnEditedHistoryFile() throws IOException {
        Path v1 = history.resolve(EVENTS + "/v1.avsc");
        String text = Files.readString(v1);
        Files.writeString(v1, text.replace("Money was added", "money was added"));

        List<Violation> violations = check();

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo(EVENTS + "/v1.avsc");
            assertThat(v.problem()).contains("changed after release", "immutable");
        });
    }

    @Test
    void reportsAReleasedVersionTheCurrentSchemaCannotRead() throws IOException {
        String next = editRecord(current.get(EVENTS), "MoneyDeposited",
                fields -> ((ObjectNode) field(fields, "amountMinor")).put("type", "string"));
        release(version(latest + 1), next);

        List<Violation> violations = check();

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo(version(latest + 1));
            assertThat(v.problem()).contains("cannot read v" + (latest + 1), "BACKWARD_TRANSITIVE",
                    "MoneyDeposited", "TYPE_MISMATCH", "reader type: LONG not compatible with writer type: STRING");
        });
    }

    @Test
    void reportsACurrentSchemaThatAddsARequiredFieldWithoutDefault() throws IOException {
        current.put(EVENTS, new Schema.Parser().parse(editRecord(current.get(EVENTS), "MoneyDeposited",
                fields -> fields.addObject().put("name", "feeMinor").put("type", "long"))));

        List<Violation> violations = check();

        assertThat(violations).extracting(Violation::path)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, latest).mapToObj(this::version).toList());
        assertThat(violations).allSatisfy(v -> assertThat(v.problem())
                .contains("cannot read", "MoneyDeposited", "READER_FIELD_MISSING_DEFAULT_VALUE", "feeMinor"));
    }

    @Test
    void reportsAReleaseMissingFromTheManifestAndTellsHowToRecordIt() throws IOException {
        Files.copy(history.resolve(version(latest)), history.resolve(version(latest + 1)));

        assertThat(check()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo(version(latest + 1));
            assertThat(v.problem()).contains("not recorded in SHA256SUMS",
                    "cd schemas/history && sha256sum " + version(latest + 1) + " >> SHA256SUMS");
        });
        record(version(latest + 1));
        assertThat(check()).isEmpty();
    }

    @Test
    void reportsADeletedHistoryFile() throws IOException {
        Files.delete(history.resolve(version(latest)));

        assertThat(check()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo(version(latest));
            assertThat(v.problem()).contains("recorded in SHA256SUMS but missing");
        });
    }

    @Test
    void reportsAGapInVersions() throws IOException {
        Files.move(history.resolve(version(latest)), history.resolve(version(latest + 1)));
        unrecord(version(latest));
        record(version(latest + 1));

        assertThat(check()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo(EVENTS);
            assertThat(v.problem()).contains("without gaps", "missing v" + latest);
        });
    }

    @Test
    void reportsASubjectWithoutACurrentSchema() throws IOException {
        String subject = "ledger.account.snapshots-value";
        Files.createDirectories(history.resolve(subject));
        release(subject + "/v1.avsc", Files.readString(history.resolve("ledger.account.state-value/v1.avsc")));

        assertThat(check()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo(subject);
            assertThat(v.problem()).contains("no current schema is known");
        });
    }

    @Test
    void reportsACurrentSchemaThatWasNeverReleased() throws IOException {
        String subject = "ledger.command-results-value";
        try (var released = Files.list(history.resolve(subject))) {
            for (Path version : released.toList()) {
                Files.delete(version);
                unrecord(subject + "/" + version.getFileName());
            }
        }
        Files.delete(history.resolve(subject));

        assertThat(check()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo(subject);
            assertThat(v.problem()).contains("no released version");
        });
    }

    @Test
    void reportsAHistoryFileThatIsNotAnAvroSchema() throws IOException {
        release(version(latest + 1), "{\"type\": \"record\", \"name\": \"Broken\"}");

        assertThat(check()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo(version(latest + 1));
            assertThat(v.problem()).contains("not a valid Avro schema");
        });
    }

    private List<Violation> check() throws IOException {
        return new SchemaHistoryCheck(history, current).run();
    }

    private String version(int version) {
        return EVENTS + "/v" + version + ".avsc";
    }

    private int latestVersion(String subject) throws IOException {
        try (Stream<Path> files = Files.list(history.resolve(subject))) {
            return (int) files.count();
        }
    }

    private void release(String path, String schema) throws IOException {
        Files.writeString(history.resolve(path), schema);
        record(path);
    }

    private void record(String path) throws IOException {
        String line = SchemaHistoryCheck.sha256(history.resolve(path)) + "  " + path + "\n";
        Files.writeString(manifest(), line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private void unrecord(String path) throws IOException {
        List<String> kept = Files.readAllLines(manifest()).stream().filter(line -> !line.endsWith("  " + path)).toList();
        Files.write(manifest(), kept);
    }

    private Path manifest() {
        return history.resolve(SchemaHistoryCheck.MANIFEST);
    }

    /** The schema as JSON, with the fields of the named record (wherever it is nested) edited. */
    private static String editRecord(Schema schema, String recordName, Consumer<ArrayNode> edit) throws IOException {
        JsonNode tree = JSON.readTree(schema.toString());
        JsonNode record = tree.findParents("name").stream()
                .filter(node -> recordName.equals(node.path("name").asText()) && node.has("fields"))
                .findFirst()
                .orElseThrow();
        edit.accept((ArrayNode) record.get("fields"));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    }

    private static JsonNode field(ArrayNode fields, String name) {
        for (JsonNode field : fields) {
            if (name.equals(field.path("name").asText())) {
                return field;
            }
        }
        throw new IllegalArgumentException("no field " + name);
    }
}
