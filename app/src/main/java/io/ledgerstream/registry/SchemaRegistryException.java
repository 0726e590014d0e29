package io.ledgerstream.registry;

/**
 * A schema registry call failed; carries the Confluent {@code error_code} and the HTTP status.
 *
 * <p>The subtypes follow Confluent's error codes so callers can react to the failure rather than
 * parse messages. {@link RegistryUnavailableException} is the only transient one: the registry
 * could not be reached or answered with a server error, even after retries.
 */
public abstract sealed class SchemaRegistryException extends RuntimeException
    permits SubjectNotFoundException, VersionNotFoundException, SchemaNotFoundException,
        IncompatibleSchemaException, InvalidSchemaException, InvalidRequestException,
        RegistryUnavailableException, RegistryProtocolException {

  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  /** What Confluent Schema Registry actually sends for an incompatible schema. */
  public static final int INCOMPATIBLE_SCHEMA = 409;
  /** The code newer Confluent versions define for the same condition. */
  public static final int INCOMPATIBLE_SCHEMA_NEW = 40901;
  public static final int INVALID_SCHEMA = 42201;
  public static final int INVALID_VERSION = 42202;
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
  public static final int STORE_ERROR = 50001;
  public static final int OPERATION_TIMEOUT = 50002;
  public static final int FORWARDING_FAILED = 50003;
  /** Used when no response (and so no error code or status) was received. */
  public static final int NONE = -1;

  private final int httpStatus;
  private final int errorCode;

  SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The HTTP status of the registry's answer, or {@link #NONE} when there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The Confluent {@code error_code} of the registry's answer, or {@link #NONE}. */
  public int errorCode() {
    return errorCode;
  }

  /** Maps a registry error answer to the exception that names it. */
  public static SchemaRegistryException fromResponse(int httpStatus, int errorCode, String message) {
    return switch (errorCode) {
      case SUBJECT_NOT_FOUND -> new SubjectNotFoundException(message, httpStatus, errorCode);
      case VERSION_NOT_FOUND -> new VersionNotFoundException(message, httpStatus, errorCode);
      case SCHEMA_NOT_FOUND -> new SchemaNotFoundException(message, httpStatus, errorCode);
      case INCOMPATIBLE_SCHEMA, INCOMPATIBLE_SCHEMA_NEW ->
          new IncompatibleSchemaException(message, httpStatus, errorCode);
      case INVALID_SCHEMA -> new InvalidSchemaException(message, httpStatus, errorCode);
      default -> fromStatus(httpStatus, errorCode, message);
    };
  }

  private static SchemaRegistryException fromStatus(int httpStatus, int errorCode, String message) {
    if (httpStatus == 409) {
      return new IncompatibleSchemaException(message, httpStatus, errorCode);
    }
    if (isTransient(httpStatus)) {
      return new RegistryUnavailableException(message, httpStatus, errorCode, null);
    }
    if (httpStatus >= 400 && httpStatus < 500) {
      return new InvalidRequestException(message, httpStatus, errorCode);
    }
    return new RegistryProtocolException(message, httpStatus, errorCode, null);
  }

  /**
   * Whether the same request may succeed later: request timeouts, rate limiting and server
   * errors. 501 and 505 are excluded because the server says it will never handle the request.
   */
  static boolean isTransient(int httpStatus) {
    return httpStatus == 408 || httpStatus == 429
        || (httpStatus >= 500 && httpStatus != 501 && httpStatus != 505);
  }
}
