package io.ledgerstream.http;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How handlers wait without holding a request thread: the next attempt is scheduled on a small pool of this server's
 * own, and the response is completed asynchronously ({@code ctx.future}). An answer ready at once is written on the
 * request's thread as usual.
 */
final class Waits implements AutoCloseable {

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ExecutorService pool = Executors.newFixedThreadPool(2, daemon());

  /** A future completed after {@code delay} (at most until {@code deadline}), on this server's pool. */
  CompletableFuture<Void> after(Duration delay, Instant deadline) {
    Duration left = remaining(deadline);
    return after(delay.compareTo(left) < 0 ? delay : left);
  }

  /** A future completed after {@code delay}, on this server's pool. */
  CompletableFuture<Void> after(Duration delay) {
    Executor later = CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, pool);
    return CompletableFuture.runAsync(() -> { }, later);
  }

  /**
   * Responds with {@code answer}: returns at once when it is already complete (its callbacks wrote the response, or
   * its problem is thrown here), else hands it to Javalin to finish the response when it completes.
   */
  static void respond(Context ctx, CompletableFuture<?> answer) {
    if (!answer.isDone()) {
      ctx.future(() -> answer);
      return;
    }
    try {
      answer.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /** The time left until {@code deadline}, never negative. */
  static Duration remaining(Instant deadline) {
    Duration left = Duration.between(Instant.now(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** A future failed with {@code problem}, for an attempt that must not be retried. */
  static <T> CompletableFuture<T> failed(RuntimeException problem) {
    return CompletableFuture.failedFuture(problem);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  private static ThreadFactory daemon() {
    return runnable -> {
      Thread thread = new Thread(runnable, "http-waits-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
