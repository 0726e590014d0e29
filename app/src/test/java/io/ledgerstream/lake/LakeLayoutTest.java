package io.ledgerstream.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.testing.TargetDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Where the files already in a lake say it ends: where a restarted export resumes when its group is behind. */
class LakeLayoutTest {

  private static final LocalDate FIRST = LocalDate.parse("2024-02-29");
  private static final LocalDate SECOND = LocalDate.parse("2024-03-01");

  @Test
  void theLakeEndsAfterTheLastOffsetOfEachPartitionsNewestFile() {
    LakeLayout layout = new LakeLayout(TargetDirs.fresh("lake-layout-ends"));
    // odd offsets are transaction markers: an end computed as startOffset + records would be 8 and re-export offset 8
    publish(layout, "account", FIRST, 0, 0, 2, 4);
    publish(layout, "account", SECOND, 0, 6, 8);
    publish(layout, "account", FIRST, 1, 0, 1);
    publish(layout, "transfer", FIRST, 0, 40);

    assertThat(layout.ends("account")).isEqualTo(Map.of(0, 9L, 1, 2L));
    assertThat(layout.ends("transfer")).isEqualTo(Map.of(0, 41L));
    assertThat(layout.files("account")).extracting(path -> path.getFileName().toString())
        .containsExactlyInAnyOrder("part-0-0.avro", "part-0-6.avro", "part-1-0.avro");
  }

  @Test
  void aFileInterruptedBeforePublishingIsOnlyATemporaryFileThatTheNextRunRemoves() throws Exception {
    LakeLayout layout = new LakeLayout(TargetDirs.fresh("lake-layout-interrupted"));
    publish(layout, "account", FIRST, 0, 0, 1);
    PartFile interrupted = PartFile.create(layout.file("account", FIRST, 0, 2), FIRST, 2);
    interrupted.append(row(2));

    assertThat(layout.ends("account")).isEqualTo(Map.of(0, 2L));
    assertThat(layout.removeTemporaryFiles()).isEqualTo(1);
    try (Stream<Path> left = Files.walk(layout.root())) {
      assertThat(left.filter(Files::isRegularFile).map(path -> path.getFileName().toString()))
          .containsExactly("part-0-0.avro");
    }
  }

  @Test
  void anEmptyLakeEndsNowhere() {
    LakeLayout layout = new LakeLayout(TargetDirs.fresh("lake-layout-empty").resolve("not-created"));

    assertThat(layout.ends("account")).isEmpty();
    assertThat(layout.removeTemporaryFiles()).isZero();
  }

  private static void publish(LakeLayout layout, String type, LocalDate date, int partition, long... offsets) {
    PartFile file = PartFile.create(layout.file(type, date, partition, offsets[0]), date, offsets[0]);
    for (long offset : offsets) {
      file.append(row(offset));
    }
    file.publish();
  }

  private static GenericRecord row(long offset) {
    GenericRecord row = new GenericData.Record(LakeSchema.SCHEMA);
    row.put("eventId", "event-" + offset);
    row.put("eventType", "MoneyDeposited");
    row.put("aggregateId", "account-1");
    row.put("aggregateVersion", offset + 1);
    row.put("occurredAt", 0L);
    row.put("commandId", "command-" + offset);
    row.put("correlationId", "command-" + offset);
    row.put("causationId", "command-" + offset);
    row.put("payloadJson", "{\"amountMinor\":100}");
    row.put("schemaId", 1);
    row.put("topic", "ledger.account.events");
    row.put("partition", 0);
    row.put("offset", offset);
    row.put("recordTimestamp", 0L);
    return row;
  }
}
