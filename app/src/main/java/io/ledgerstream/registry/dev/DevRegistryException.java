package io.ledgerstream.registry.dev;

import java.util.List;

/** A request the registry answers with Confluent's HTTP status, {@code error_code} and message. */
final class DevRegistryException extends RuntimeException {

  final int status;
  final int errorCode;

  DevRegistryException(int status, int errorCode, String message) {
    this(status, errorCode, message, null);
  }

  DevRegistryException(int status, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  static DevRegistryException subjectNotFound(String subject) {
    return new DevRegistryException(404, 40401, "Subject '" + subject + "' not found.");
  }

  static DevRegistryException versionNotFound(int version) {
    return new DevRegistryException(404, 40402, "Version " + version + " not found.");
  }

  static DevRegistryException schemaNotFound() {
    return new DevRegistryException(404, 40403, "Schema not found");
  }

  static DevRegistryException schemaNotFound(int id) {
    return new DevRegistryException(404, 40403, "Schema " + id + " not found");
  }

  static DevRegistryException subjectCompatibilityNotConfigured(String subject) {
    return new DevRegistryException(404, 40408,
        "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  static DevRegistryException incompatible(String subject, List<String> details) {
    // Confluent 7.x answers error_code 409; 8.x moved to 40901 with the same HTTP status.
    return new DevRegistryException(409, 409, "Schema being registered is incompatible with an"
        + " earlier schema for subject \"" + subject + "\", details: " + details);
  }

  static DevRegistryException invalidSchema(String message) {
    return new DevRegistryException(422, 42201, message);
  }

  static DevRegistryException invalidVersion(String version) {
    return new DevRegistryException(422, 42202, "The specified version '" + version
        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  static DevRegistryException invalidCompatibilityLevel() {
    return new DevRegistryException(422, 42203, "Invalid compatibility level. Valid values are none,"
        + " backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
  }

  static DevRegistryException storeError(String message, Throwable cause) {
    return new DevRegistryException(500, 50001, message, cause);
  }

  static DevRegistryException badRequest(String message) {
    return new DevRegistryException(400, 400, message);
  }
}
