package io.ledgerstream.http;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads query parameters, answering 400 for a value that is not what the route documents. */
public final class Params {

  public static final long MAX_WAIT_MS = 30_000;
  static final long DEFAULT_TIMEOUT_MS = 5_000;

  private Params() {
  }

  /** A whole number in {@code [min, max]}, or null when absent. */
  public static Long optionalLong(Context ctx, String name, long min, long max) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    long value;
    try {
      value = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw Problem.badRequest("query parameter '" + name + "' must be a whole number, got '" + raw + "'");
    }
    if (value < min || value > max) {
      throw Problem.badRequest("query parameter '" + name + "' must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public static long longParam(Context ctx, String name, long defaultValue, long min, long max) {
    Long value = optionalLong(ctx, name, min, max);
    return value == null ? defaultValue : value;
  }

  static boolean flag(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return false;
    }
    return switch (raw.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw Problem.badRequest("query parameter '" + name + "' must be true or false, got '" + raw + "'");
    };
  }

  /** An ISO-8601 instant ({@code 2024-05-01T10:00:00Z} or with an offset), or null when absent. */
  public static Instant optionalInstant(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      // an unencoded '+' in an offset arrives as a space
      return OffsetDateTime.parse(raw.strip().replace(' ', '+')).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.badRequest("query parameter '" + name + "' must be an ISO-8601 instant such as "
          + "2024-05-01T10:00:00Z, got '" + raw + "'");
    }
  }

  /** How long a query may wait for a migrating store or a version: {@code timeout} in ms, bounded. */
  public static Duration timeout(Context ctx) {
    return Duration.ofMillis(longParam(ctx, "timeout", DEFAULT_TIMEOUT_MS, 0, MAX_WAIT_MS));
  }
}
