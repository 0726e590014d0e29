package io.ledgerstream.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerstream.domain.Decision;
import io.ledgerstream.domain.account.Account;
import io.ledgerstream.domain.account.AccountDecider;
import io.ledgerstream.domain.account.AccountEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scenario 2: the same command mix against an event store in PostgreSQL, the classic way: one transaction per
 * command that loads the account's snapshot row, decides with the real {@link AccountDecider}, inserts the event
 * (unique on aggregate id and version, so a concurrent writer loses and retries) and updates the snapshot.
 */
final class PostgresScenario {

  private static final String UNIQUE_VIOLATION = "23505";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AccountDecider DECIDER = new AccountDecider();

  private PostgresScenario() {
  }

  /** @param ledgerCommandsPerSecond the pipeline scenario's result in this run, or null if it did not run */
  static void run(BenchSettings settings, Report report, Double ledgerCommandsPerSecond) {
    report.section("Against PostgreSQL", String.format("%,d commands over %,d accounts, %d client threads, one "
        + "transaction per command; %s", settings.commands(), settings.mixAccounts(), settings.postgresThreads(),
        redact(settings.postgresUrl())));
    String version;
    try (Connection connection = connect(settings.postgresUrl())) {
      version = connection.getMetaData().getDatabaseProductVersion();
    } catch (SQLException e) {
      report.skipped("postgres", "no PostgreSQL reachable (" + e.getMessage() + "); start one as BENCHMARKS.md "
          + "says and pass --postgres-url");
      return;
    }
    report.note("PostgreSQL " + version);
    List<CommandMix.Command> mix = CommandMix.mixed("mix", settings.commands(), settings.mixAccounts());
    for (boolean synchronousCommit : new boolean[] {true, false}) {
      Pass pass = runPass(settings, mix, synchronousCommit);
      String mode = "synchronous_commit=" + (synchronousCommit ? "on" : "off");
      String name = synchronousCommit ? "postgres.sync_commit_on" : "postgres.sync_commit_off";
      report.value(name + "_commands_per_s", "PostgreSQL, " + mode, pass.commandsPerSecond(), "commands/s");
      report.note(String.format("%,d rejected, %,d retried after losing a version race", pass.rejected(),
          pass.retries()));
      if (ledgerCommandsPerSecond != null) {
        report.ratio(name.replace("postgres.", "postgres.ratio_"), "ratio ledger / PostgreSQL, " + mode,
            ledgerCommandsPerSecond / pass.commandsPerSecond());
      }
    }
  }

  record Pass(double commandsPerSecond, long rejected, long retries) {
  }

  private static Pass runPass(BenchSettings settings, List<CommandMix.Command> mix, boolean synchronousCommit) {
    try (Connection connection = connect(settings.postgresUrl())) {
      createSchema(connection);
      openAccounts(connection, settings.mixAccounts());
    } catch (SQLException e) {
      throw new IllegalStateException("could not prepare the PostgreSQL tables: " + e.getMessage(), e);
    }
    AtomicInteger next = new AtomicInteger();
    AtomicLong rejected = new AtomicLong();
    AtomicLong retries = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    List<Connection> connections = new ArrayList<>();
    try {
      for (int t = 0; t < settings.postgresThreads(); t++) {
        Connection connection = connect(settings.postgresUrl());
        connections.add(connection);
        try (Statement statement = connection.createStatement()) {
          statement.execute("SET synchronous_commit = " + (synchronousCommit ? "on" : "off"));
        }
        connection.setAutoCommit(false);
        threads.add(new Thread(() -> {
          try (Worker worker = new Worker(connection)) {
            for (int i = next.getAndIncrement(); i < mix.size() && failure.get() == null; i = next.getAndIncrement()) {
              if (!worker.handle(mix.get(i), retries)) {
                rejected.incrementAndGet();
              }
            }
          } catch (Exception e) {
            failure.compareAndSet(null, e);
          }
        }, "bench-postgres-" + t));
      }
      long started = System.nanoTime();
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join();
      }
      long nanos = System.nanoTime() - started;
      if (failure.get() != null) {
        throw new IllegalStateException("a PostgreSQL client failed: " + failure.get().getMessage(), failure.get());
      }
      return new Pass(mix.size() / (nanos / 1e9), rejected.get(), retries.get());
    } catch (SQLException e) {
      throw new IllegalStateException("could not connect to PostgreSQL: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      for (Connection connection : connections) {
        try {
          connection.close();
        } catch (SQLException ignored) {
          // the pass is over
        }
      }
    }
  }

  /** One client's connection and statements. */
  private static final class Worker implements AutoCloseable {

    private final Connection connection;
    private final PreparedStatement load;
    private final PreparedStatement insertEvent;
    private final PreparedStatement updateSnapshot;

    Worker(Connection connection) throws SQLException {
      this.connection = connection;
      load = connection.prepareStatement("SELECT version, status, owner, currency, balance_minor, "
          + "overdraft_limit_minor FROM bench_account_snapshots WHERE account_id = ?");
      insertEvent = connection.prepareStatement("INSERT INTO bench_account_events "
          + "(aggregate_id, version, command_id, type, payload, occurred_at) VALUES (?, ?, ?, ?, ?::jsonb, now())");
      updateSnapshot = connection.prepareStatement("UPDATE bench_account_snapshots SET version = ?, status = ?, "
          + "balance_minor = ? WHERE account_id = ? AND version = ?");
    }

    /** Decides and records one command, retrying when another client wrote the account first; false if rejected. */
    boolean handle(CommandMix.Command command, AtomicLong retries) throws SQLException, JsonProcessingException {
      while (true) {
        Snapshot snapshot = load(command.accountId());
        Decision<AccountEvent> decision = DECIDER.decide(command.command(), snapshot.account());
        if (!(decision instanceof Decision.Accepted<AccountEvent> accepted)) {
          connection.rollback();
          return false;
        }
        if (append(command, snapshot, accepted.events())) {
          connection.commit();
          return true;
        }
        connection.rollback();
        retries.incrementAndGet();
      }
    }

    private Snapshot load(String accountId) throws SQLException {
      load.setString(1, accountId);
      try (ResultSet row = load.executeQuery()) {
        if (!row.next()) {
          return new Snapshot(0, Account.NONE);
        }
        return new Snapshot(row.getLong(1), new Account(Account.Status.valueOf(row.getString(2)), row.getString(3),
            row.getString(4), row.getLong(5), row.getLong(6)));
      }
    }

    private boolean append(CommandMix.Command command, Snapshot snapshot, List<AccountEvent> events)
        throws SQLException, JsonProcessingException {
      long version = snapshot.version();
      Account account = snapshot.account();
      try {
        for (AccountEvent event : events) {
          version++;
          account = DECIDER.evolve(account, event);
          insertEvent.setString(1, command.accountId());
          insertEvent.setLong(2, version);
          insertEvent.setString(3, command.commandId());
          insertEvent.setString(4, event.getClass().getSimpleName());
          insertEvent.setString(5, JSON.writeValueAsString(event));
          insertEvent.executeUpdate();
        }
      } catch (SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
          return false;
        }
        throw e;
      }
      updateSnapshot.setLong(1, version);
      updateSnapshot.setString(2, account.status().name());
      updateSnapshot.setLong(3, account.balanceMinor());
      updateSnapshot.setString(4, command.accountId());
      updateSnapshot.setLong(5, snapshot.version());
      return updateSnapshot.executeUpdate() == 1;
    }

    @Override
    public void close() throws SQLException {
      load.close();
      insertEvent.close();
      updateSnapshot.close();
    }
  }

  private record Snapshot(long version, Account account) {
  }

  private static void createSchema(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS bench_account_events, bench_account_snapshots");
      statement.execute("CREATE TABLE bench_account_events (aggregate_id text NOT NULL, version bigint NOT NULL, "
          + "command_id text NOT NULL, type text NOT NULL, payload jsonb NOT NULL, occurred_at timestamptz NOT NULL, "
          + "UNIQUE (aggregate_id, version))");
      statement.execute("CREATE TABLE bench_account_snapshots (account_id text PRIMARY KEY, version bigint NOT NULL, "
          + "status text NOT NULL, owner text NOT NULL, currency text NOT NULL, balance_minor bigint NOT NULL, "
          + "overdraft_limit_minor bigint NOT NULL)");
    }
  }

  private static void openAccounts(Connection connection, int accounts) throws SQLException {
    connection.setAutoCommit(false);
    try (PreparedStatement event = connection.prepareStatement("INSERT INTO bench_account_events (aggregate_id, "
        + "version, command_id, type, payload, occurred_at) VALUES (?, 1, ?, 'AccountOpened', ?::jsonb, now())");
         PreparedStatement snapshot = connection.prepareStatement("INSERT INTO bench_account_snapshots "
             + "VALUES (?, 1, 'OPEN', ?, ?, 0, 0)")) {
      for (CommandMix.Command open : CommandMix.opens(0, accounts)) {
        var command = (io.ledgerstream.domain.account.AccountCommand.OpenAccount) open.command();
        event.setString(1, open.accountId());
        event.setString(2, open.commandId());
        event.setString(3, JSON.writeValueAsString(new AccountEvent.AccountOpened(command.owner(),
            command.currency(), command.overdraftLimitMinor())));
        event.addBatch();
        snapshot.setString(1, open.accountId());
        snapshot.setString(2, command.owner());
        snapshot.setString(3, command.currency());
        snapshot.addBatch();
      }
      event.executeBatch();
      snapshot.executeBatch();
      connection.commit();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try (Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      statement.execute("VACUUM ANALYZE bench_account_snapshots");
      statement.execute("VACUUM ANALYZE bench_account_events");
    }
  }

  private static Connection connect(String url) throws SQLException {
    DriverManager.setLoginTimeout(5);
    return DriverManager.getConnection(url);
  }

  /** The URL without a password, for printing. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
