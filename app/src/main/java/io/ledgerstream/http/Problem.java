package io.ledgerstream.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem the API answers with; thrown by handlers and written by the server's exception handler, so
 * every 4xx and 5xx has the same shape and a stable {@code type}.
 */
public final class Problem extends RuntimeException {

  public static final String CONTENT_TYPE = "application/problem+json";
  public static final String TYPE_PREFIX = "https://ledgerstream.io/problems/";

  private final int status;
  private final String slug;
  private final String title;
  private final String code;
  private final Map<String, Object> extensions = new LinkedHashMap<>();
  private final Map<String, String> headers = new LinkedHashMap<>();

  Problem(int status, String slug, String title, String detail, String code) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.code = code;
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "bad-request", "Bad request", detail, null);
  }

  static Problem malformedJson(String detail) {
    return new Problem(400, "malformed-json", "Malformed JSON", detail, null);
  }

  static Problem forbidden(String detail) {
    return new Problem(403, "reserved-command", "Command reserved for the application", detail, null);
  }


  /** 401: no token, or one that is not accepted; {@code challenge} is the {@code WWW-Authenticate} value. */
  static Problem unauthorized(String detail, String challenge) {
    return new Problem(401, "unauthorized", "Unauthorized", detail, null).withHeader("WWW-Authenticate", challenge);
  }

  /** 403: a valid token without the role this request needs. */
  static Problem accessDenied(String detail, String challenge) {
    return new Problem(403, "forbidden", "Forbidden", detail, null).withHeader("WWW-Authenticate", challenge);
  }

  static Problem crossOriginRefused(String detail) {
    return new Problem(403, "cross-origin-refused", "Cross-origin request refused", detail, null);
  }

  static Problem unsupportedMediaType(String detail) {
    return new Problem(415, "unsupported-media-type", "Unsupported media type", detail, null);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "not-found", "Not found", detail, null);
  }

  /** 400: an id or text with a control character or beyond its length; the Kafka path's {@code INVALID_INPUT}. */
  static Problem invalidInput(String detail) {
    return new Problem(400, "invalid-input", "Invalid input", detail, "INVALID_INPUT");
  }

  static Problem invalidCommand(String detail) {
    return new Problem(422, "invalid-command", "Invalid command", detail, null);
  }

  static Problem rejected(int status, String code, String message) {
    String slug = status == 409 ? "version-conflict" : "command-rejected";
    return new Problem(status, slug, status == 409 ? "Version conflict" : "Command rejected", message, code);
  }

  static Problem tooManyRequests(String detail) {
    return new Problem(429, "too-many-requests", "Too many requests", detail, null);
  }

  public static Problem unavailable(String detail) {
    return new Problem(503, "unavailable", "Service unavailable", detail, null);
  }

  public static Problem timeout(String detail) {
    return new Problem(504, "timeout", "Timed out", detail, null);
  }

  static Problem internal() {
    return new Problem(500, "internal-error", "Internal server error", "The server could not answer this request.", null);
  }

  /** A problem for a status Javalin raised itself (unknown route, wrong method, oversized body). */
  static Problem ofStatus(int status, String detail) {
    return switch (status) {
      case 404 -> new Problem(404, "not-found", "Not found", detail, null);
      case 405 -> new Problem(405, "method-not-allowed", "Method not allowed", detail, null);
      case 413 -> new Problem(413, "payload-too-large", "Payload too large", detail, null);
      case 415 -> new Problem(415, "unsupported-media-type", "Unsupported media type", detail, null);
      default -> status >= 500 ? internal() : new Problem(status, "bad-request", "Bad request", detail, null);
    };
  }

  /** Adds a member beyond the standard ones, e.g. the command result a rejection came with. */
  Problem with(String member, Object value) {
    extensions.put(member, value);
    return this;
  }

  /** Adds a response header, e.g. the challenge of a 401. */
  Problem withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  int status() {
    return status;
  }

  void writeTo(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_PREFIX + slug);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", getMessage());
    body.put("instance", ctx.path());
    if (code != null) {
      body.put("code", code);
    }
    body.putAll(extensions);
    headers.forEach(ctx::header);
    ctx.status(status).contentType(CONTENT_TYPE).result(Json.bytes(body));
  }
}
