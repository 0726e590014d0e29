package io.ledgerstream.domain.transfer;

/** A transfer as its events left it; {@link #NONE} before it was requested. */
public record Transfer(Status status, String from, String to, long amountMinor, String currency,
            String failureCode, String failureReason, boolean refunded) {

  /**
   * Lifecycle of a transfer: requested, then debited (money in flight), then completed or failed; needs attention
   * when the worker could not bring the money back on its own and an operator must.
   */
  public enum Status { NOT_REQUESTED, REQUESTED, DEBITED, COMPLETED, FAILED, NEEDS_ATTENTION }

  public static final Transfer NONE = new Transfer(Status.NOT_REQUESTED, null, null, 0, null, null, null, false);

  /** True once the transfer completed, failed or was flagged for an operator; the worker sends it nothing more. */
  public boolean isFinished() {
    return status == Status.COMPLETED || status == Status.FAILED || status == Status.NEEDS_ATTENTION;
  }

  /** The amount that left the source account and has not reached the destination or come back yet. */
  public long inFlightMinor() {
    return status == Status.DEBITED || status == Status.NEEDS_ATTENTION && !refunded ? amountMinor : 0;
  }

  Transfer withStatus(Status newStatus) {
    return new Transfer(newStatus, from, to, amountMinor, currency, failureCode, failureReason, refunded);
  }

  Transfer needingAttention(String code, String reason) {
    return new Transfer(Status.NEEDS_ATTENTION, from, to, amountMinor, currency, code, reason, refunded);
  }

  Transfer failed(String code, String reason, boolean wasRefunded) {
    return new Transfer(Status.FAILED, from, to, amountMinor, currency, code, reason, wasRefunded);
  }
}
