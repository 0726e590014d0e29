package io.ledgerstream.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The one place that decides what each request needs: an ordered list of (method, path pattern) rules, the first
 * match wins, and a request no rule matches needs {@link Role#ADMIN}, so a new route is closed until it is mapped.
 * Patterns are literal segments, {@code *} for one segment and a trailing {@code **} for any rest; they are matched
 * against the raw request path, as the router matches routes, and literal segments ignore case so that no spelling
 * of a path reaches a route with less than its rule.
 */
public final class AccessPolicy {

  /** One rule: requests with this method (or {@code *} for any) and a path matching the pattern need this access. */
  public record Rule(String method, String pattern, Access access) {
  }

  /** The ledger's rules; see the README's Security section. */
  public static final AccessPolicy LEDGER = new AccessPolicy(List.of(
      new Rule("GET", "/health/live", Access.OPEN),
      new Rule("GET", "/health/ready", Access.OPEN),
      new Rule("GET", "/metrics", Access.OPERATIONS),
      new Rule("GET", "/openapi.json", Access.OPERATIONS),
      new Rule("*", "/admin/**", Access.role(Role.ADMIN)),
      new Rule("POST", "/owners/*/forget", Access.role(Role.ADMIN)),
      new Rule("POST", "/*/*/commands", Access.role(Role.WRITE)),
      // the result of a command is the answer to whoever may send one, as well as a query
      new Rule("GET", "/commands/**", Access.role(Role.READ, Role.WRITE)),
      new Rule("GET", "/**", Access.role(Role.READ))));

  private static final Access UNMAPPED = Access.role(Role.ADMIN);

  private static final List<String> COMMAND_PATTERN = segments("/*/*/commands");

  /** The rules in order, each with its pattern split once, not on every request. */
  private final List<Compiled> rules;

  public AccessPolicy(List<Rule> rules) {
    this.rules = rules.stream().map(rule -> new Compiled(rule, segments(rule.pattern()))).toList();
  }

  private record Compiled(Rule rule, List<String> pattern) {
  }

  /** What a request with this method and raw path needs; HEAD is treated as GET. */
  public Access accessFor(String method, String path) {
    String verb = method.toUpperCase(Locale.ROOT).equals("HEAD") ? "GET" : method.toUpperCase(Locale.ROOT);
    List<String> segments = segments(path);
    for (Compiled compiled : rules) {
      Rule rule = compiled.rule();
      if ((rule.method().equals("*") || rule.method().equals(verb)) && matches(compiled.pattern(), segments)) {
        return rule.access();
      }
    }
    return UNMAPPED;
  }

  /** Whether this is a command: a request that changes the ledger through its command topics. */
  public boolean isCommand(String method, String path) {
    return method.equalsIgnoreCase("POST") && matches(COMMAND_PATTERN, segments(path));
  }

  /** Whether a raw request path matches a pattern, as the rules match it. */
  public static boolean pathMatches(String pattern, String path) {
    return matches(segments(pattern), segments(path));
  }

  private static boolean matches(List<String> pattern, List<String> path) {
    for (int i = 0; i < pattern.size(); i++) {
      String expected = pattern.get(i);
      if (expected.equals("**")) {
        return true;
      }
      if (i >= path.size() || !(expected.equals("*") || expected.equalsIgnoreCase(path.get(i)))) {
        return false;
      }
    }
    return pattern.size() == path.size();
  }

  /** The segments after the leading slash; trailing empty ones dropped, as the router ignores a trailing slash. */
  private static List<String> segments(String path) {
    String relative = path.startsWith("/") ? path.substring(1) : path;
    List<String> segments = new ArrayList<>(Arrays.asList(relative.split("/")));
    if (segments.size() == 1 && segments.get(0).isEmpty()) {
      return List.of();
    }
    return segments;
  }
}
