package io.ledgerstream.domain.transfer;

/** Commands a transfer accepts or rejects: a client's request, then the transfer worker's progress reports. */
public sealed interface TransferCommand {

  record RequestTransfer(String from, String to, long amountMinor, String currency) implements TransferCommand {}

  /** The source account was debited by the event with this id. */
  record RecordTransferDebit(String debitEventId) implements TransferCommand {}

  /** The destination account was credited by the event with this id. */
  record CompleteTransfer(String creditEventId) implements TransferCommand {}

  /** A leg was rejected with this code and reason; {@code refunded} once the debited source got its money back. */
  record FailTransfer(String code, String reason, boolean refunded) implements TransferCommand {}

  /** The worker could not bring the money back on its own, for this reason: an operator must. */
  record FlagTransfer(String code, String reason) implements TransferCommand {}
}
