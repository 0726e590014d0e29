package io.ledgerstream.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.ledgerstream.security.Access;
import io.ledgerstream.security.AccessPolicy;
import io.ledgerstream.security.InvalidTokenException;
import io.ledgerstream.security.Principal;
import io.ledgerstream.security.Role;
import io.ledgerstream.security.TokenVerifier;
import io.ledgerstream.streams.AggregateType;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The before-handler every request passes first: refuses preflights from origins other than the allowed one,
 * authenticates the bearer token, checks the role the {@link AccessPolicy} asks for, attaches the
 * {@link Principal} for the handlers, and refuses command bodies that are not JSON. A refusal is a problem, so the
 * route's handler never runs.
 */
final class AccessGuard implements Handler {

  static final String REALM = "ledgerstream";
  private static final String BEARER = "bearer ";
  private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

  private final AccessPolicy policy;
  private final TokenVerifier verifier;
  private final boolean operationsOpen;
  private final String corsOrigin;
  private final List<AggregateType<?, ?, ?>> types;

  /**
   * @param verifier null when the API runs without authentication: every request is {@link Principal#ANONYMOUS}
   * @param corsOrigin the one origin whose preflights pass; null for none
   * @param types whose {@link OwnershipHook}s name the routes a token scoped to an owner may reach
   */
  AccessGuard(AccessPolicy policy, TokenVerifier verifier, boolean operationsOpen, String corsOrigin,
              List<AggregateType<?, ?, ?>> types) {
    this.policy = policy;
    this.verifier = verifier;
    this.operationsOpen = operationsOpen;
    this.corsOrigin = corsOrigin;
    this.types = List.copyOf(types);
  }

  @Override
  public void handle(Context ctx) {
    String method = ctx.method().name();
    if (isPreflight(ctx)) {
      String origin = ctx.header("Origin");
      if (corsOrigin == null || !corsOrigin.equals(origin)) {
        throw Problem.crossOriginRefused("cross-origin requests from " + origin + " are not allowed"
            + (corsOrigin == null ? "" : "; the allowed origin is " + corsOrigin));
      }
      // the CORS plugin answers it; a preflight carries no token and reaches no route
      return;
    }
    Access access = policy.accessFor(method, ctx.path());
    Principal principal = authenticate(ctx, access);
    if (!access.admits(principal, operationsOpen)) {
      String roles = access.anyOf().stream().map(Role::claimValue).sorted().collect(Collectors.joining(" "));
      throw Problem.accessDenied(method + " " + ctx.path() + " needs the role " + roles.replace(" ", " or ")
          + "; the token has " + principal.roles().stream().map(Role::claimValue).sorted().toList(),
          challenge("insufficient_scope", "the token lacks the role this request needs") + ", scope=\"" + roles + "\"");
    }
    if (principal.scopedOwner().isPresent() && access.kind() == Access.Kind.ROLE
        && !OwnerScope.admits(types, method, ctx.path())) {
      // closed to a scoped token until the route checks the owner; 404 as for a missing id, so nothing leaks
      throw Problem.notFound("nothing at " + ctx.path() + " for owner '" + principal.owner() + "'");
    }
    principal.attachTo(ctx);
    if ((policy.isCommand(method, ctx.path()) || (WITH_BODY.contains(method) && hasBody(ctx))) && !isJson(ctx)) {
      throw Problem.unsupportedMediaType(method + " " + ctx.path() + " takes Content-Type: application/json, got "
          + (ctx.contentType() == null ? "none" : ctx.contentType()));
    }
  }

  private Principal authenticate(Context ctx, Access access) {
    if (verifier == null) {
      return Principal.ANONYMOUS;
    }
    if (!access.needsToken(operationsOpen)) {
      return new Principal(null, Set.of(), null, null);
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        || header.substring(BEARER.length()).isBlank()) {
      // RFC 6750 3.1: a request without credentials gets the bare challenge
      throw Problem.unauthorized(ctx.method().name() + " " + ctx.path()
          + " needs a bearer token: Authorization: Bearer <JWT>", "Bearer realm=\"" + REALM + "\"");
    }
    try {
      return verifier.verify(header.substring(BEARER.length()).strip());
    } catch (InvalidTokenException e) {
      throw Problem.unauthorized("the bearer token is not accepted: " + e.getMessage(),
          challenge("invalid_token", e.getMessage()));
    } catch (TokenVerifier.KeysUnavailableException e) {
      throw Problem.unavailable("tokens cannot be checked right now: " + e.getMessage());
    }
  }

  private static boolean isPreflight(Context ctx) {
    return ctx.method().name().equals("OPTIONS") && ctx.header("Origin") != null
        && ctx.header("Access-Control-Request-Method") != null;
  }

  private static boolean hasBody(Context ctx) {
    return ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null;
  }

  private static boolean isJson(Context ctx) {
    String type = ctx.contentType();
    if (type == null) {
      return false;
    }
    int parameters = type.indexOf(';');
    String mediaType = parameters < 0 ? type : type.substring(0, parameters);
    return mediaType.strip().toLowerCase(Locale.ROOT).equals(Json.CONTENT_TYPE);
  }

  /** A {@code WWW-Authenticate} value with an RFC 6750 error; the description keeps to the characters it allows. */
  private static String challenge(String error, String description) {
    String safe = description.replaceAll("[^\\x20-\\x7E]|[\"\\\\]", "'");
    return "Bearer realm=\"" + REALM + "\", error=\"" + error + "\", error_description=\"" + safe + "\"";
  }
}
