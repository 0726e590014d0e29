package io.ledgerstream.streams.generation;

import io.ledgerstream.streams.StreamsSettings;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One generation of the projections: a run of the projections topology under its own application id, so a new one
 * can be built from the logs while the current one keeps serving.
 *
 * @param servingSince when it began to serve queries, or null
 * @param endedAt when it was retired or abandoned, or null
 * @param cleanedUp whether its consumer group and internal topics are gone (meaningful once it ended)
 */
public record Generation(int number, State state, Instant startedAt, Instant servingSince, Instant endedAt,
                         boolean cleanedUp) {

  /** Where a generation is in its life; the names are stored in {@code ledger.admin.projections}: never rename one. */
  public enum State { BUILDING, SERVING, RETIRED, ABANDONED }

  private static final String BASE = StreamsSettings.PROJECTIONS_APPLICATION_ID;
  private static final Pattern LATER = Pattern.compile(Pattern.quote(BASE) + "-g(\\d+)-.+");

  /** Generation 1 keeps the original id so the data of installs from before generations stays valid. */
  public static String applicationId(int number) {
    return number == 1 ? BASE : BASE + "-g" + number;
  }

  /** The generation whose application id prefixes this topic (a changelog or repartition topic), if any. */
  public static OptionalInt ownerOf(String topic) {
    Matcher later = LATER.matcher(topic);
    if (later.matches()) {
      return OptionalInt.of(Integer.parseInt(later.group(1)));
    }
    return topic.startsWith(BASE + "-") ? OptionalInt.of(1) : OptionalInt.empty();
  }

  static Generation building(int number, Instant now) {
    return new Generation(number, State.BUILDING, now, null, null, false);
  }

  static Generation initial(Instant now) {
    return new Generation(1, State.SERVING, now, now, null, false);
  }

  public String applicationId() {
    return applicationId(number);
  }

  /** Whether it still runs somewhere: serving or building. */
  public boolean live() {
    return state == State.BUILDING || state == State.SERVING;
  }

  Generation serving(Instant now) {
    return new Generation(number, State.SERVING, startedAt, now, null, false);
  }

  Generation ended(State how, Instant now) {
    return new Generation(number, how, startedAt, servingSince, now, false);
  }

  Generation cleaned() {
    return new Generation(number, state, startedAt, servingSince, endedAt, true);
  }
}
