package io.ledgerstream.bench;

/** Sleeping that turns an interrupt into an unchecked stop of the scenario. */
final class Sleep {

  private Sleep() {
  }

  static void millis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
