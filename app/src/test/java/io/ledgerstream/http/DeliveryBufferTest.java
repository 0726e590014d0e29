package io.ledgerstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A subscription's buffer holds at most so many events and so many bytes, whichever comes first. */
class DeliveryBufferTest {

  private static final Duration NO_WAIT = Duration.ZERO;

  @Test
  void isFullAtItsByteBoundBeforeItsEventBound() throws Exception {
    DeliveryBuffer buffer = new DeliveryBuffer(100, 2048);

    assertThat(buffer.offer(delivery("1", 1024), NO_WAIT)).isTrue();
    assertThat(buffer.offer(delivery("2", 1024), NO_WAIT)).isTrue();
    assertThat(buffer.offer(delivery("3", 1), Duration.ofMillis(50))).isFalse();

    assertThat(buffer.poll(NO_WAIT).id()).isEqualTo("1");
    assertThat(buffer.offer(delivery("3", 1000), NO_WAIT)).isTrue();
    assertThat(buffer.offer(delivery("4", 100), NO_WAIT)).isFalse();
  }

  @Test
  void isFullAtItsEventBoundBeforeItsByteBound() throws Exception {
    DeliveryBuffer buffer = new DeliveryBuffer(2, 1 << 20);

    assertThat(buffer.offer(delivery("1", 10), NO_WAIT)).isTrue();
    assertThat(buffer.offer(delivery("2", 10), NO_WAIT)).isTrue();
    assertThat(buffer.offer(delivery("3", 10), Duration.ofMillis(50))).isFalse();
    assertThat(buffer.poll(NO_WAIT).id()).isEqualTo("1");
    assertThat(buffer.offer(delivery("3", 10), NO_WAIT)).isTrue();
  }

  @Test
  void takesAnEventLargerThanTheByteBoundWhenEmpty() throws Exception {
    DeliveryBuffer buffer = new DeliveryBuffer(10, 100);

    assertThat(buffer.offer(delivery("big", 5000), NO_WAIT)).isTrue();
    assertThat(buffer.offer(delivery("small", 1), NO_WAIT)).isFalse();
    assertThat(buffer.poll(NO_WAIT).id()).isEqualTo("big");
    assertThat(buffer.isEmpty()).isTrue();
    assertThat(buffer.offer(delivery("small", 1), NO_WAIT)).isTrue();
  }

  @Test
  void pollWaitsForADelivery() throws Exception {
    DeliveryBuffer buffer = new DeliveryBuffer(1, 10);
    assertThat(buffer.poll(Duration.ofMillis(20))).isNull();
  }

  private static EventSubscription.Delivery delivery(String id, int bytes) {
    return new EventSubscription.Delivery(id, new byte[bytes]);
  }
}
