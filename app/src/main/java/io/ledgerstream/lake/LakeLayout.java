package io.ledgerstream.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Where lake files live, {@code <lake>/<aggregateType>/date=YYYY-MM-DD/part-<partition>-<startOffset>.avro}, and
 * where the files already there say the lake ends.
 */
public final class LakeLayout {

  private static final Pattern PART = Pattern.compile("part-(\\d+)-(\\d+)\\.avro");
  private static final String TEMPORARY_PREFIX = ".";
  private static final String TEMPORARY_SUFFIX = ".tmp";
  private static final long TAIL_BYTES = 1 << 20;

  private final Path root;

  public LakeLayout(Path root) {
    this.root = root.toAbsolutePath();
  }

  public Path root() {
    return root;
  }

  /** The final path of the file holding {@code partition}'s events of one date from {@code startOffset} on. */
  public Path file(String aggregateType, LocalDate date, int partition, long startOffset) {
    return root.resolve(aggregateType).resolve("date=" + date)
        .resolve("part-" + partition + "-" + startOffset + ".avro");
  }

  /** The hidden name a file is written under until it is complete; analytics tools skip names starting with a dot. */
  static Path temporaryOf(Path file) {
    return file.resolveSibling(TEMPORARY_PREFIX + file.getFileName() + TEMPORARY_SUFFIX);
  }

  /** Every complete lake file of the aggregate type, in no particular order. */
  public List<Path> files(String aggregateType) {
    return walk(root.resolve(aggregateType), path -> PART.matcher(path.getFileName().toString()).matches());
  }

  /** Deletes the temporary files a crashed export left behind and returns how many there were. */
  public int removeTemporaryFiles() {
    List<Path> leftovers = walk(root, path -> {
      String name = path.getFileName().toString();
      return name.startsWith(TEMPORARY_PREFIX + "part-") && name.endsWith(TEMPORARY_SUFFIX);
    });
    for (Path leftover : leftovers) {
      try {
        Files.deleteIfExists(leftover);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete " + leftover, e);
      }
    }
    return leftovers.size();
  }

  /**
   * Per partition, the offset after the last event in the lake: the newest file's last {@code offset} plus one. Not
   * {@code startOffset + records}: transaction markers and aborted records take offsets the lake never holds.
   */
  public Map<Integer, Long> ends(String aggregateType) {
    Map<Integer, Path> newest = new HashMap<>();
    Map<Integer, Long> newestStart = new HashMap<>();
    for (Path file : files(aggregateType)) {
      Matcher name = PART.matcher(file.getFileName().toString());
      if (!name.matches()) {
        continue;
      }
      int partition = Integer.parseInt(name.group(1));
      long start = Long.parseLong(name.group(2));
      if (start >= newestStart.getOrDefault(partition, -1L)) {
        newestStart.put(partition, start);
        newest.put(partition, file);
      }
    }
    Map<Integer, Long> ends = new HashMap<>();
    newest.forEach((partition, file) -> ends.put(partition, lastOffset(file) + 1));
    return ends;
  }

  /** Reads only the file's tail: blocks end in sync markers, so reading on from near the end finds the last ones. */
  private static long lastOffset(Path file) {
    try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
      long size = Files.size(file);
      for (long tail = TAIL_BYTES; ; tail *= 2) {
        long from = Math.max(0, size - tail);
        reader.sync(from);
        long last = -1;
        GenericRecord row = null;
        while (reader.hasNext()) {
          row = reader.next(row);
          last = (Long) row.get("offset");
        }
        if (last >= 0) {
          return last;
        }
        if (from == 0) {
          throw new LakeExportException(file + " holds no events; lake files are never empty, so it is not one");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  private static List<Path> walk(Path dir, Predicate<Path> keep) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      return new ArrayList<>(paths.filter(Files::isRegularFile).filter(keep).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
  }
}
