package io.ledgerstream.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Empty directories under the module's {@code target/} for test data. */
public final class TargetDirs {

  private TargetDirs() {}

  /** An empty directory {@code target/<name>}, emptied first if an earlier run left it behind. */
  public static Path fresh(String name) {
    Path dir = Path.of(System.getProperty("ledgerstream.test.dir", "target")).resolve(name).toAbsolutePath();
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> paths = Files.walk(dir)) {
          for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare " + dir, e);
    }
  }
}
