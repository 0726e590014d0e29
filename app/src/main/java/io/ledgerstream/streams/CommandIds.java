package io.ledgerstream.streams;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The two spaces of command ids. The application derives the ids of the commands it sends itself (a worker's steps)
 * as name-based version-3 UUIDs, so a replay sends the same ids; clients may use any other id. The claim stage refuses
 * a public command whose id has the application's form ({@code RESERVED_COMMAND_ID}), so no client can take an id
 * the application will use, nor make its result look like one of the application's.
 */
public final class CommandIds {

  private static final Pattern DERIVED =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", Pattern.CASE_INSENSITIVE);

  private CommandIds() {
  }

  /**
   * The id the application gives its own command named {@code name} (for example {@code transfer-worker/T/credit}):
   * the same on every replay. Stored in memories and results: never change how it is made.
   */
  public static String derived(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Whether {@code commandId} is in the application's space, which public commands may not use. */
  public static boolean isReserved(String commandId) {
    return commandId != null && DERIVED.matcher(commandId).matches();
  }
}
