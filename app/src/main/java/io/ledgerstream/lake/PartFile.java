package io.ledgerstream.lake;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * One lake file being written: a hidden temporary file until {@link #publish()} makes it durable and then visible
 * under its final name in one atomic rename.
 */
final class PartFile {

  private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

  private final Path target;
  private final Path temporary;
  private final LocalDate date;
  private final long startOffset;
  private final long openedAtNanos = System.nanoTime();
  private final FileOutputStream out;
  private final DataFileWriter<GenericRecord> writer;
  private int records;

  private PartFile(Path target, LocalDate date, long startOffset) throws IOException {
    this.target = target;
    this.temporary = LakeLayout.temporaryOf(target);
    this.date = date;
    this.startOffset = startOffset;
    Files.createDirectories(target.getParent());
    this.out = new FileOutputStream(temporary.toFile());
    this.writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(LakeSchema.SCHEMA));
    writer.setCodec(CodecFactory.deflateCodec(CodecFactory.DEFAULT_DEFLATE_LEVEL));
    writer.create(LakeSchema.SCHEMA, out);
  }

  /** Starts {@code target} as a temporary file beside it. */
  static PartFile create(Path target, LocalDate date, long startOffset) {
    try {
      return new PartFile(target, date, startOffset);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + LakeLayout.temporaryOf(target), e);
    }
  }

  void append(GenericRecord row) {
    try {
      writer.append(row);
      records++;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + temporary, e);
    }
  }

  /**
   * Makes the file durable (fsync), renames it into place atomically and fsyncs its directory, so after a crash the
   * file is either complete under its final name or only a temporary file.
   */
  Path publish() {
    try {
      writer.flush();
      out.getChannel().force(true);
      writer.close();
      if (Files.exists(target)) {
        throw new IllegalStateException(target + " already exists: the lake and the consumed offsets disagree");
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory(target.getParent());
      // a date directory created for this file is only durable once its own parent is synced too
      forceDirectory(target.getParent().getParent());
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot publish " + target, e);
    }
  }

  /** Closes and deletes the temporary file, leaving its records to the next run. */
  void discard() {
    try {
      writer.close();
    } catch (IOException | RuntimeException e) {
      // the file goes anyway
    }
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + temporary, e);
    }
  }

  LocalDate date() {
    return date;
  }

  long startOffset() {
    return startOffset;
  }

  int records() {
    return records;
  }

  /** Bytes written so far, give or take the block being filled. */
  long bytes() {
    try {
      return out.getChannel().position();
    } catch (IOException e) {
      return 0;
    }
  }

  long ageNanos() {
    return System.nanoTime() - openedAtNanos;
  }

  private static void forceDirectory(Path dir) throws IOException {
    if (WINDOWS) {
      // directories cannot be opened for a sync there; NTFS journals the rename
      return;
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
