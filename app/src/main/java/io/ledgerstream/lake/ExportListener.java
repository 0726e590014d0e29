package io.ledgerstream.lake;

import java.nio.file.Path;

/** Hears what an export does, for progress displays; called on the exporting thread, so it should return quickly. */
public interface ExportListener {

  ExportListener NONE = new ExportListener() {
  };

  /** A file is complete and in place; its offsets are committed right after this returns. */
  default void filePublished(Path file, int events) {
  }

  /** Called after each poll of the event topics. */
  default void progress(ExportProgress progress) {
  }
}
