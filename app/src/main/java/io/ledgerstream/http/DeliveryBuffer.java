package io.ledgerstream.http;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The events one subscription holds for its client, bounded both in number and in bytes: a client that reads slowly
 * costs the server at most this much memory, however large the events. An event larger than the byte bound still
 * fits in an empty buffer, so it is delivered rather than stuck.
 */
final class DeliveryBuffer {

  private final BlockingQueue<EventSubscription.Delivery> queue;
  // the bytes the buffer may still take; a delivery takes its size, or the whole bound when larger
  private final Semaphore freeBytes;
  private final int maxBytes;

  DeliveryBuffer(int maxEvents, int maxBytes) {
    this.queue = new ArrayBlockingQueue<>(maxEvents);
    this.freeBytes = new Semaphore(maxBytes);
    this.maxBytes = maxBytes;
  }

  /** Adds a delivery, waiting up to {@code wait} for room; false when there was none. */
  boolean offer(EventSubscription.Delivery delivery, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    int cost = cost(delivery);
    if (!freeBytes.tryAcquire(cost, wait.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    if (queue.offer(delivery, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      return true;
    }
    freeBytes.release(cost);
    return false;
  }

  /** The oldest delivery, waiting up to {@code wait}; null when none came. */
  EventSubscription.Delivery poll(Duration wait) throws InterruptedException {
    EventSubscription.Delivery delivery = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    if (delivery != null) {
      freeBytes.release(cost(delivery));
    }
    return delivery;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  private int cost(EventSubscription.Delivery delivery) {
    return Math.min(delivery.json().length, maxBytes);
  }
}
