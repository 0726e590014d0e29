package io.ledgerstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.security.AuthSettings;
import io.ledgerstream.security.Role;
import io.ledgerstream.security.TestTokens;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.generation.GenerationSupervisor;
import io.ledgerstream.testing.TargetDirs;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed and odd requests (paths, ids, query values, bodies, headers, tokens) from a seeded random
 * generator, over raw sockets, against a node with tokens required: none gets a 5xx other than 503 or 504, none
 * carries a stack trace, none is accepted as a command, and afterwards every topic ends where it ended before.
 * {@code -Dledgerstream.fuzz.seed=N} replays a run; {@code -Dledgerstream.fuzz.requests=N} sizes it.
 */
class HttpFuzzTest {

  private static final long SEED = Long.getLong("ledgerstream.fuzz.seed", 20261204L);
  private static final int REQUESTS = Integer.getInteger("ledgerstream.fuzz.requests", 3000);
  private static final Pattern STACK_TRACE = Pattern.compile(
      "Exception|Caused by|\\tat |\\bat (java|javax|jdk|io|org|com|kotlin)\\.[\\w.$]+\\(");

  private static TestTokens tokens;
  private static LedgerNode node;
  private static String account;
  private static List<String> tokenHeaders;
  private static List<String> intruderHeaders;

  @BeforeAll
  static void start() {
    tokens = TestTokens.hmac(TargetDirs.fresh("http-fuzz-test"));
    node = TestNodes.start("http-fuzz", new ApiSecurity(null, tokens.settings(), false, null, null, null));
    account = TestNodes.unique("F");
    HttpClientSupport http = new HttpClientSupport(node.httpUrl());
    String writer = tokens.token("seeder", Role.WRITE);
    for (String body : List.of("{\"type\":\"OpenAccount\",\"owner\":\"fuzz-owner\",\"currency\":\"EUR\"}",
        "{\"type\":\"DepositMoney\",\"amountMinor\":1000,\"reference\":\"seed\"}")) {
      var response = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/accounts/" + account
              + "/commands?wait=15000")).header("Authorization", "Bearer " + writer)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    assertThat(http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/accounts/" + account
        + "?minVersion=2&timeout=15000")).header("Authorization", "Bearer " + tokens.token("r", Role.READ)).GET())
        .statusCode()).isEqualTo(200);
    awaitQuietGenerationLog();
    Date past = new Date(System.currentTimeMillis() - 3_600_000);
    tokenHeaders = List.of(
        "Bearer " + tokens.token("reader", Role.READ),
        "Bearer " + tokens.token("writer", Role.WRITE),
        "Bearer " + tokens.token("admin", Role.ADMIN),
        "Bearer " + tokens.token("nobody"),
        "Bearer " + tokens.token("late", c -> c.expirationTime(past), Role.WRITE),
        "Bearer " + tokens.tokenUnderOtherSecret("mallory", Role.WRITE, Role.ADMIN),
        "Bearer " + TestTokens.unsignedToken("mallory", Role.WRITE, Role.ADMIN),
        "Bearer " + tokens.token("reader", Role.READ) + "x",
        "Bearer ", "Bearer", "Basic YWRtaW46YWRtaW4=", "bearer    " + tokens.token("lower", Role.READ),
        "Bearer a.b.c", "Bearer " + "e".repeat(6000), "Bearer \u00e9\u00e8.\u00ff.x", "Negotiate x");
    // tokens scoped to another owner than the seeded account's: valid with every role, expired, forged, unsigned
    intruderHeaders = List.of(
        "Bearer " + intruder(c -> c, Role.READ, Role.WRITE, Role.ADMIN),
        "Bearer " + intruder(c -> c, Role.READ),
        "Bearer " + intruder(c -> c, Role.WRITE),
        "Bearer " + intruder(c -> c.expirationTime(past), Role.READ, Role.WRITE),
        "Bearer " + tokens.tokenUnderOtherSecret("intruder", Role.READ, Role.WRITE),
        "Bearer " + TestTokens.unsignedToken("intruder", Role.READ, Role.WRITE));
  }

  private static String intruder(UnaryOperator<JWTClaimsSet.Builder> change, Role... roles) {
    return tokens.token("intruder", c -> change.apply(c.claim(AuthSettings.OWNER_CLAIM, "intruder")), roles);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void thousandsOfOddRequestsGetNoServerErrorNoStackTraceAndChangeNothing() throws Exception {
    List<String> topics = Stream.concat(node.topics().all().stream().map(Topic::name),
        Stream.of(GenerationSupervisor.LOG_TOPIC)).toList();
    Map<String, Long> before = TopicEnds.of(node.clientProperties(), topics);
    String summaryBefore = summary();

    Random random = new Random(SEED);
    List<Request> requests = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      requests.add(Request.random(random, account, tokenHeaders, Request.BODIES));
    }
    RawHttp http = new RawHttp(node.httpPort(), 20_000);
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (Request request : requests) {
        sent.add(pool.submit(() -> check(request, http, problems)));
      }
      for (Future<?> future : sent) {
        future.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(problems).as("seed %d (-Dledgerstream.fuzz.seed=%d): %d of %d requests answered badly", SEED, SEED,
        problems.size(), REQUESTS).isEmpty();
    assertThat(TopicEnds.of(node.clientProperties(), topics)).as("seed %d: topic end offsets", SEED)
        .isEqualTo(before);
    assertThat(summary()).as("seed %d: the seeded account", SEED).isEqualTo(summaryBefore);
  }

  @Test
  void tokensScopedToAnotherOwnerNeverReadOrChangeTheSeededAccount() throws Exception {
    List<String> topics = Stream.concat(node.topics().all().stream().map(Topic::name),
        Stream.of(GenerationSupervisor.LOG_TOPIC)).toList();
    Map<String, Long> before = TopicEnds.of(node.clientProperties(), topics);
    String summaryBefore = summary();
    // well-formed commands this time: only the owner scope stands between them and the seeded account
    List<String> bodies = new ArrayList<>(Request.BODIES);
    bodies.addAll(List.of("{\"type\":\"DepositMoney\",\"amountMinor\":5,\"reference\":\"f\"}",
        "{\"type\":\"WithdrawMoney\",\"amountMinor\":5,\"reference\":\"f\"}", "{\"type\":\"CloseAccount\"}",
        "{\"type\":\"RequestTransfer\",\"from\":\"" + account + "\",\"to\":\"A-1\",\"amountMinor\":5,"
            + "\"currency\":\"EUR\"}"));

    Random random = new Random(SEED + 1);
    RawHttp http = new RawHttp(node.httpPort(), 20_000);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < REQUESTS / 3; i++) {
      Request request = random.nextBoolean() ? Request.random(random, account, intruderHeaders, bodies)
          : Request.aimedAt(random, account, intruderHeaders, bodies.subList(Request.BODIES.size(), bodies.size()));
      RawHttp.Answer answer = check(request, http, problems);
      if (answer != null && answer.status() >= 200 && answer.status() < 300
          && Stream.of("\"accountId\":\"" + account, "\"aggregateId\":\"" + account, "\"accounts\":[{")
              .anyMatch(answer.raw()::contains)) {
        problems.add(request + " -> another owner's data: " + answer.raw());
      }
    }

    assertThat(problems).as("seed %d: scoped requests answered badly", SEED + 1).isEmpty();
    assertThat(TopicEnds.of(node.clientProperties(), topics)).as("seed %d: topic end offsets", SEED + 1)
        .isEqualTo(before);
    assertThat(summary()).as("seed %d: the seeded account", SEED + 1).isEqualTo(summaryBefore);
  }

  /**
   * Waits until the node has done with its own start-up's housekeeping on the generation log (removing a generation an
   * earlier test's rebuild retired on this JVM's broker writes to it a moment after the node serves), so the tests'
   * "nothing written" checks see only what the requests did.
   */
  private static void awaitQuietGenerationLog() {
    List<String> log = List.of(GenerationSupervisor.LOG_TOPIC);
    Map<String, Long> last = TopicEnds.of(node.clientProperties(), log);
    long quietSince = System.nanoTime();
    long deadline = quietSince + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() - quietSince < Duration.ofSeconds(5).toNanos() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
      Map<String, Long> now = TopicEnds.of(node.clientProperties(), log);
      if (!now.equals(last)) {
        last = now;
        quietSince = System.nanoTime();
      }
    }
  }

  /** Sends the request and notes a bad answer; returns the answer, or null if there was none. */
  private static RawHttp.Answer check(Request request, RawHttp http, List<String> problems) {
    RawHttp.Answer answer;
    try {
      answer = http.send(request.method(), request.target(), request.headers(), request.body());
    } catch (Exception e) {
      problems.add(request + " -> " + e);
      return null;
    }
    int status = answer.status();
    // Jetty may refuse to parse a request at all and close the connection: a refusal, not a failure
    // a request line without a target is not HTTP/1.1 to Jetty, which answers 505 before any handler runs
    boolean malformedLine = status == 505 && !request.target().startsWith("/");
    boolean serverError = status >= 500 && status != 503 && status != 504 && !malformedLine;
    boolean acceptedCommand = request.method().equals("POST") && request.target().contains("/commands")
        && status >= 200 && status < 300;
    boolean rebuilt = request.target().contains("/admin/projections/rebuild") && status >= 200 && status < 300
        && !request.target().contains("abandon");
    if (serverError || acceptedCommand || rebuilt || STACK_TRACE.matcher(answer.raw()).find()) {
      String shown = answer.raw().length() > 600 ? answer.raw().substring(0, 600) + "..." : answer.raw();
      problems.add(request + " -> " + shown);
    }
    return answer;
  }

  private static String summary() {
    HttpClientSupport http = new HttpClientSupport(node.httpUrl());
    return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/accounts/" + account))
        .header("Authorization", "Bearer " + tokens.token("r", Role.READ)).GET()).body();
  }

  /** One odd request; its description is enough to send it again. */
  private record Request(String method, String target, List<String> headers, byte[] body) {

    private static final List<String> METHODS = List.of("GET", "GET", "GET", "POST", "POST", "POST", "PUT",
        "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO");
    private static final List<String> PATHS = List.of("/accounts/{id}", "/accounts/{id}/events",
        "/accounts/{id}/commands", "/transfers/{id}", "/transfers/{id}/commands", "/commands/{id}",
        "/owners/{id}/accounts", "/owners/{id}/forget", "/correlations/{id}", "/stats", "/events/stream",
        "/health/live", "/health/ready", "/metrics", "/openapi.json", "/admin/projections",
        "/admin/projections/rebuild", "/admin/projections/rebuild/abandon", "/{id}", "/{id}/{id}/commands",
        "/accounts/{id}/commands/{id}", "/ADMIN/projections", "/admin/../accounts/{id}", "//accounts/{id}",
        "/accounts/%2e%2e/admin/projections", "/accounts/{id}/", "/%61dmin/projections", "", "*", "/ui/{id}");
    private static final List<String> IDS = List.of("A-1", "", "%00", "%2F", "..", "%2e%2e", "a".repeat(3000),
        "%C3%BC%E2%82%AC%F0%9F%98%80", "%ZZ", "%", "a%20b", "%3Cscript%3E", "'%20OR%201=1", "%5C", "%0D%0AX-Evil:1",
        "null", "-1", "9".repeat(40), "%FF%FE", "{id}", "~", "a;b", "a,b", "%09");
    private static final List<String> QUERIES = List.of("", "?wait=abc", "?wait=-1", "?wait=99999999999999999999",
        "?wait=30001", "?wait=20", "?minVersion=x", "?minVersion=99&timeout=50", "?minVersion=-1",
        "?timeout=-5", "?timeout=abc", "?asOf=garbage", "?asOf=2026-13-45T99:99:99Z", "?asOfVersion=-1",
        "?asOfVersion=99999999999999999999", "?fromVersion=0", "?limit=100000", "?limit=0", "?allowStale=maybe",
        "?scope=galaxy", "?from=sideways", "?lastEventId=zzz", "?lastEventId=account:0:-5", "?%ZZ=1", "?a=%00",
        "?wait=1&wait=2&wait=x", "?x=" + "v".repeat(3000), "?aggregateType=%00&from=sideways", "?&&&=&",
        "?asOf=2020-01-01T00:00:00Z&minVersion=1");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
        "text/plain", "application/jsonx", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
        "", ";;;", "application/problem+json", "\u00ff/\u00fe");
    /** Bodies the HTTP layer refuses: none is a command it would send on. */
    static final List<String> BODIES = List.of("", "{", "[]", "null", "\"text\"", "42", "{}",
        "{\"type\":null}", "{\"type\":123}", "{\"type\":\"Nope\"}", "{\"type\":\"\"}",
        "{\"type\":\"DebitForTransfer\",\"transferId\":\"T\",\"amountMinor\":5,\"counterpartyAccountId\":\"B\","
            + "\"currency\":\"EUR\"}",
        "{\"type\":\"CreditForTransfer\",\"transferId\":\"T\",\"amountMinor\":1000000,"
            + "\"counterpartyAccountId\":\"B\",\"currency\":\"EUR\"}",
        "{\"type\":\"RefundTransfer\",\"transferId\":\"T\",\"amountMinor\":5}",
        "{\"type\":\"CompleteTransfer\"}", "{\"type\":\"FailTransfer\",\"reason\":\"x\"}",
        "{\"type\":\"DepositMoney\",\"amountMinor\":\"lots\"}", "{\"type\":\"DepositMoney\",\"amountMinor\":1e400}",
        "{\"type\":\"DepositMoney\",\"amountMinor\":1.5}", "{\"type\":\"DepositMoney\",\"amountMinor\":{}}",
        "{\"type\":\"DepositMoney\",\"amountMinor\":99999999999999999999999}",
        "{\"type\":\"DepositMoney\",\"amountMinor\":5,\"bogusField\":1}",
        "{\"type\":\"OpenAccount\",\"owner\":[\"a\"],\"currency\":\"EUR\"}",
        "{\"type\":\"OpenAccount\",\"owner\":\"a\",\"currency\":\"EUR\",\"commandId\":5}",
        "{\"type\":\"OpenAccount\",\"owner\":\"a\",\"currency\":\"EUR\",\"expectedVersion\":-3}",
        "{\"type\":\"OpenAccount\",\"owner\":\"a\",\"currency\":\"EUR\",\"correlationId\":\"" + "c".repeat(300) + "\"}",
        "{\"type\":\"DepositMoney\",\"amountMinor\":5,\"reference\":\"r\"", "[".repeat(5000),
        "{\"type\":\"DepositMoney\"," + "\"a\":{".repeat(3000), "\u0000\u0001\u0002", "{\"type\":\"\u0000\"}",
        "x".repeat(70_000));

    static Request random(Random random, String account, List<String> tokens, List<String> bodies) {
      String method = pick(random, METHODS);
      String path = pick(random, PATHS);
      while (path.contains("{id}")) {
        path = path.replaceFirst("\\{id}", random.nextInt(4) == 0 ? account : pick(random, IDS));
      }
      String target = path + pick(random, QUERIES);
      List<String> headers = new ArrayList<>();
      int tokenChoice = random.nextInt(tokens.size() + 2);
      // the admin token (third) would rightly start a rebuild: that one route gets another token
      if (tokenChoice == 2 && path.contains("/rebuild") && !path.contains("abandon")) {
        tokenChoice = 0;
      }
      String token = tokenChoice < tokens.size() ? tokens.get(tokenChoice) : null;
      if (token != null) {
        headers.add("Authorization: " + token);
      }
      byte[] body = new byte[0];
      if (random.nextInt(3) > 0) {
        String contentType = pick(random, CONTENT_TYPES);
        headers.add("Content-Type: " + contentType);
      }
      if (!method.equals("GET") || random.nextInt(5) == 0) {
        body = pick(random, bodies).getBytes(random.nextInt(8) == 0 ? StandardCharsets.ISO_8859_1
            : StandardCharsets.UTF_8);
        headers.add("Content-Length: " + body.length);
      }
      if (random.nextInt(6) == 0) {
        headers.add(HttpServer.FORWARDED_BY_HEADER + ": " + pick(random, List.of("localhost:1", "", "evil", "x:y:z")));
      }
      if (random.nextInt(8) == 0) {
        headers.add("Origin: " + pick(random, List.of("https://evil.example", "null", "", "http://localhost")));
        headers.add("Access-Control-Request-Method: POST");
      }
      if (random.nextInt(8) == 0) {
        headers.add("Last-Event-ID: " + pick(random, List.of("zzz", "account:0:-1", "", "::::", "%00")));
      }
      if (random.nextInt(10) == 0) {
        headers.add(pick(random, List.of("Content-Length: abc", "Transfer-Encoding: gzip", "Expect: 100-continue",
            "Accept: */*;q=x", "X-Very-Long: " + "h".repeat(9000), "Host: evil.example", "Idempotency-Key: %00")));
      }
      // a stream with a valid token and valid parameters never ends; it is tested elsewhere
      if (path.startsWith("/events/stream") && !target.contains("from=sideways")) {
        target = target + (target.contains("?") ? "&" : "?") + "from=sideways";
      }
      return new Request(method, target, headers, body);
    }

    /** A well-formed request at the account's own routes, or at the routes that name its owner, with a token. */
    static Request aimedAt(Random random, String account, List<String> tokens, List<String> commands) {
      String path = pick(random, List.of("/accounts/" + account, "/accounts/" + account + "/events",
          "/accounts/" + account + "?asOfVersion=1", "/owners/fuzz-owner/accounts", "/accounts/" + account
              + "/commands?wait=2000", "/transfers/" + account + "/commands", "/correlations/" + account));
      List<String> headers = new ArrayList<>(List.of("Authorization: " + pick(random, tokens)));
      if (!path.contains("/commands")) {
        return new Request("GET", path, headers, new byte[0]);
      }
      byte[] body = pick(random, commands).getBytes(StandardCharsets.UTF_8);
      headers.add("Content-Type: application/json");
      headers.add("Content-Length: " + body.length);
      return new Request("POST", path, headers, body);
    }

    private static <T> T pick(Random random, List<T> choices) {
      return choices.get(random.nextInt(choices.size()));
    }

    @Override
    public String toString() {
      String shownBody = new String(body, StandardCharsets.UTF_8);
      String shownTarget = target.length() > 200 ? target.substring(0, 200) + "..." : target;
      return method + " " + shownTarget + " " + headers.stream().map(h -> h.length() > 80 ? h.substring(0, 80) + "..."
          : h).toList() + " body " + (shownBody.length() > 120 ? shownBody.substring(0, 120) + "..." : shownBody);
    }
  }
}
