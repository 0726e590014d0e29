package io.ledgerstream.domain.transfer;

/** A transfer as its events left it; {@link #NONE} before it was requested. */
public record Transfer(Status status, String from, String to, long amountMinor, String currency,
            String failureCode, String failureReason, boolean refunded) {

  /** Lifecycle of a transfer: requested, then debited (money in flight), then completed or failed. */
  public enum Status { NOT_REQUESTED, REQUESTED, DEBITED, COMPLETED, FAILED }

  public static final Transfer NONE = new Transfer(Status.NOT_REQUESTED, null, null, 0, null, null, null, false);

  /** True once the transfer completed or failed; it then accepts nothing more. */
  public boolean isFinished() {
    return status == Status.COMPLETED || status == Status.FAILED;
  }

  /** The amount that left the source account and has not reached the destination yet. */
  public long inFlightMinor() {
    return status == Status.DEBITED ? amountMinor : 0;
  }

  Transfer withStatus(Status newStatus) {
    return new Transfer(newStatus, from, to, amountMinor, currency, failureCode, failureReason, refunded);
  }

  Transfer failed(String code, String reason, boolean wasRefunded) {
    return new Transfer(Status.FAILED, from, to, amountMinor, currency, code, reason, wasRefunded);
  }
}
