package io.ledgerstream.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP load: {@code threads} clients, each sending its next GET as soon as the previous one answered,
 * for a warm-up and then a measured duration.
 */
final class HttpLoad {

  private static final long MAX_TRACKED_MICROS = TimeUnit.SECONDS.toMicros(60);

  /** What the measured part of a load saw. */
  record Result(long ok, long errors, double seconds, Histogram micros) {
    double perSecond() {
      return ok / seconds;
    }

    double millisAt(double percentile) {
      return micros.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private HttpLoad() {
  }

  /** @param uris picks the next request's URI from the client thread's random source */
  static Result run(Function<SplittableRandom, URI> uris, int threads, Duration warmUp, Duration duration) {
    long measureFrom = System.nanoTime() + warmUp.toNanos();
    long measureUntil = measureFrom + duration.toNanos();
    List<Client> clients = new ArrayList<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    for (int t = 0; t < threads; t++) {
      clients.add(new Client(uris, new SplittableRandom(t), measureFrom, measureUntil, failure));
    }
    List<Thread> running = clients.stream().map(client -> new Thread(client, "bench-http-client")).toList();
    running.forEach(Thread::start);
    for (Thread thread : running) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("HTTP load failed: " + failure.get(), failure.get());
    }
    Histogram all = new Histogram(MAX_TRACKED_MICROS, 3);
    long ok = 0;
    long errors = 0;
    for (Client client : clients) {
      all.add(client.micros);
      ok += client.ok;
      errors += client.errors;
    }
    return new Result(ok, errors, duration.toNanos() / 1e9, all);
  }

  private static final class Client implements Runnable {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Function<SplittableRandom, URI> uris;
    private final SplittableRandom random;
    private final long measureFrom;
    private final long measureUntil;
    private final AtomicReference<Exception> failure;
    private final Histogram micros = new Histogram(MAX_TRACKED_MICROS, 3);
    private long ok;
    private long errors;

    Client(Function<SplittableRandom, URI> uris, SplittableRandom random, long measureFrom, long measureUntil,
           AtomicReference<Exception> failure) {
      this.uris = uris;
      this.random = random;
      this.measureFrom = measureFrom;
      this.measureUntil = measureUntil;
      this.failure = failure;
    }

    @Override
    public void run() {
      try {
        long started;
        while ((started = System.nanoTime()) < measureUntil && failure.get() == null) {
          HttpRequest request = HttpRequest.newBuilder(uris.apply(random)).GET().build();
          int status = http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
          long finished = System.nanoTime();
          // a request counts where it started; one that ends after the window still tells the latency there
          if (started >= measureFrom) {
            micros.recordValue(Math.min(MAX_TRACKED_MICROS, (finished - started) / 1000));
            if (status == 200) {
              ok++;
            } else {
              errors++;
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        failure.compareAndSet(null, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure.compareAndSet(null, e);
      }
    }
  }
}
