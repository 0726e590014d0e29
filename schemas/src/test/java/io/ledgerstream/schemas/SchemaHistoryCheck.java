package io.ledgerstream.schemas;

import static java.util.stream.Collectors.joining;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** Checks that the released schema history is append-only and that each current schema reads all of it. */
public final class SchemaHistoryCheck {

    public static final String MANIFEST = "SHA256SUMS";

    private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]{0,8})\\.avsc");
    private static final Set<Schema.Type> NAMED = EnumSet.of(Schema.Type.RECORD, Schema.Type.ENUM, Schema.Type.FIXED);
    private static final Pattern TRAILING_INDEX = Pattern.compile(".*/([0-9]+)");
    private static final Pattern MANIFEST_LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *](.+)");

    private final Path historyDir;
    private final Map<String, Schema> currentBySubject;

    /** A check of {@code historyDir} (one directory per subject) against the given current schemas. */
    public SchemaHistoryCheck(Path historyDir, Map<String, Schema> currentBySubject) {
        this.historyDir = historyDir.toAbsolutePath().normalize();
        this.currentBySubject = Map.copyOf(currentBySubject);
    }

    /** A check of {@code historyDir} against the project's current schemas. */
    public static SchemaHistoryCheck against(Path historyDir) {
        return new SchemaHistoryCheck(historyDir, Subjects.current());
    }

    /** Every broken rule, in a stable order; empty when the history is sound. */
    public List<Violation> run() throws IOException {
        if (!Files.isDirectory(historyDir)) {
            return List.of(new Violation(historyDir.toString(), "history directory not found"));
        }
        List<Violation> violations = new ArrayList<>();
        Map<String, String> recorded = readManifest(violations);
        for (Path entry : list(historyDir)) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry)) {
                checkSubject(name, entry, recorded, violations);
            } else if (!name.equals(MANIFEST)) {
                violations.add(new Violation(name, "unexpected file: history holds only <subject>/vN.avsc and " + MANIFEST));
            }
        }
        recorded.keySet().stream()
                .filter(path -> !Files.exists(historyDir.resolve(path)))
                .forEach(path -> violations.add(new Violation(path,
                        "recorded in " + MANIFEST + " but missing: released versions are never deleted, restore it from git")));
        currentBySubject.keySet().stream()
                .filter(subject -> !Files.isDirectory(historyDir.resolve(subject)))
                .sorted()
                .forEach(subject -> violations.add(new Violation(subject,
                        "has a current schema but no released version: release it as v1 (see schemas/README.md)")));
        return violations;
    }

    private void checkSubject(String subject, Path dir, Map<String, String> recorded, List<Violation> violations)
            throws IOException {
        Schema current = currentBySubject.get(subject);
        if (current == null) {
            violations.add(new Violation(subject, "no current schema is known for this subject (known: "
                    + String.join(", ", new TreeMap<>(currentBySubject).keySet()) + ")"));
        }
        SortedMap<Integer, Path> versions = new TreeMap<>();
        for (Path file : list(dir)) {
            Matcher matcher = VERSION_FILE.matcher(file.getFileName().toString());
            if (matcher.matches() && Files.isRegularFile(file)) {
                versions.put(Integer.valueOf(matcher.group(1)), file);
            } else {
                violations.add(new Violation(relative(file), "unexpected file: a subject holds only v1.avsc, v2.avsc, ..."));
            }
        }
        checkContiguous(subject, versions, violations);
        for (var version : versions.entrySet()) {
            checkRecorded(version.getValue(), recorded, violations);
            if (current != null) {
                checkReadable(subject, version.getKey(), version.getValue(), current, violations);
            }
        }
    }

    private static void checkContiguous(String subject, SortedMap<Integer, Path> versions, List<Violation> violations) {
        if (versions.isEmpty()) {
            violations.add(new Violation(subject, "has no released version"));
            return;
        }
        List<Integer> expected = IntStream.rangeClosed(1, versions.lastKey()).boxed().toList();
        if (!expected.equals(List.copyOf(versions.keySet()))) {
            String missing = expected.stream().filter(v -> !versions.containsKey(v)).map(v -> "v" + v).collect(joining(", "));
            violations.add(new Violation(subject, "versions must run v1..vN without gaps: missing " + missing));
        }
    }

    private void checkRecorded(Path file, Map<String, String> recorded, List<Violation> violations) throws IOException {
        String path = relative(file);
        String expected = recorded.get(path);
        if (expected == null) {
            violations.add(new Violation(path, "not recorded in " + MANIFEST + "; if this is a new release, record it with: "
                    + "cd schemas/history && sha256sum " + path + " >> " + MANIFEST));
            return;
        }
        String actual = sha256(file);
        if (!actual.equals(expected)) {
            violations.add(new Violation(path, "changed after release (sha256 " + actual + ", " + MANIFEST + " records "
                    + expected + "): released versions are immutable, restore the file and release the change as a new version"));
        }
    }

    private void checkReadable(String subject, int version, Path file, Schema current, List<Violation> violations)
            throws IOException {
        Schema released;
        try {
            released = new Schema.Parser().parse(Files.readString(file));
        } catch (AvroRuntimeException e) {
            violations.add(new Violation(relative(file), "not a valid Avro schema: " + e.getMessage()));
            return;
        }
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            violations.add(new Violation(relative(file), "the current schema of " + subject + " cannot read v" + version
                    + " (BACKWARD_TRANSITIVE): " + describe(result)));
        }
    }

    private static String describe(SchemaPairCompatibility result) {
        return result.getResult().getIncompatibilities().stream().map(SchemaHistoryCheck::describe).collect(joining("; "));
    }

    /** Avro reports a changed union branch only as missing; name that branch and say what changed in it. */
    private static String describe(Incompatibility incompatibility) {
        String text = incompatibility.getType() + " at " + incompatibility.getLocation() + ": " + incompatibility.getMessage();
        Schema reader = incompatibility.getReaderFragment();
        Schema writer = incompatibility.getWriterFragment();
        Matcher branchIndex = TRAILING_INDEX.matcher(incompatibility.getLocation());
        if (incompatibility.getType() != SchemaIncompatibilityType.MISSING_UNION_BRANCH
                || reader.getType() != Schema.Type.UNION || writer.getType() != Schema.Type.UNION
                || !branchIndex.matches()) {
            return text;
        }
        Schema changed = writer.getTypes().get(Integer.parseInt(branchIndex.group(1)));
        if (!NAMED.contains(changed.getType())) {
            return text;
        }
        return reader.getTypes().stream()
                .filter(branch -> branch.getType() == changed.getType() && branch.getFullName().equals(changed.getFullName()))
                .findFirst()
                .map(branch -> text + " " + changed.getName() + ", which changed incompatibly: ["
                        + describe(SchemaCompatibility.checkReaderWriterCompatibility(branch, changed)) + "]")
                .orElse(text);
    }

    private Map<String, String> readManifest(List<Violation> violations) throws IOException {
        Path manifest = historyDir.resolve(MANIFEST);
        Map<String, String> recorded = new LinkedHashMap<>();
        if (!Files.isRegularFile(manifest)) {
            violations.add(new Violation(MANIFEST,
                    "missing: record every history file with: cd schemas/history && sha256sum */v*.avsc > " + MANIFEST));
            return recorded;
        }
        List<String> lines = Files.readAllLines(manifest);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Matcher matcher = MANIFEST_LINE.matcher(line);
            if (!matcher.matches()) {
                violations.add(new Violation(MANIFEST, "line " + (i + 1) + " is not in sha256sum format: " + line));
                continue;
            }
            String path = relative(historyDir.resolve(matcher.group(2)).normalize());
            if (recorded.putIfAbsent(path, matcher.group(1).toLowerCase()) != null) {
                violations.add(new Violation(MANIFEST, "line " + (i + 1) + " records " + path + " a second time"));
            }
        }
        return recorded;
    }

    private String relative(Path file) {
        return historyDir.relativize(file).toString().replace(File.separatorChar, '/');
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** One broken rule: the history path it concerns (relative to the history directory) and what is wrong. */
    public record Violation(String path, String problem) {
        @Override
        public String toString() {
            return path + ": " + problem;
        }
    }
}
