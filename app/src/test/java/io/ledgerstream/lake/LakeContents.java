package io.ledgerstream.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/** What a lake directory holds, read with a plain Avro {@link DataFileReader} as any analytics tool would. */
record LakeContents(List<Row> rows, List<Path> files, List<Path> others) {

  /** One event and the file it is in. */
  record Row(Path file, Schema fileSchema, GenericRecord event) {

    String eventId() {
      return event.get("eventId").toString();
    }
  }

  static LakeContents read(Path lake) throws IOException {
    List<Row> rows = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Path> others = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(lake)) {
      for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
        String name = path.getFileName().toString();
        if (name.equals(".lock")) {
          continue;
        }
        if (!name.endsWith(".avro")) {
          others.add(path);
          continue;
        }
        files.add(path);
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(path.toFile(), new GenericDatumReader<>())) {
          for (GenericRecord event : reader) {
            rows.add(new Row(path, reader.getSchema(), event));
          }
        }
      }
    }
    return new LakeContents(rows, files, others);
  }

  List<String> eventIds() {
    return rows.stream().map(Row::eventId).toList();
  }
}
