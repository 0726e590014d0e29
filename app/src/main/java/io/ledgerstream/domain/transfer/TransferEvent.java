package io.ledgerstream.domain.transfer;

/** Facts recorded about a transfer, in the order they happened. */
public sealed interface TransferEvent {

  record TransferRequested(String from, String to, long amountMinor, String currency) implements TransferEvent {}

  record TransferDebitRecorded(String debitEventId) implements TransferEvent {}

  record TransferCompleted(String creditEventId) implements TransferEvent {}

  record TransferFailed(String code, String reason, boolean refunded) implements TransferEvent {}

  record TransferNeedsAttention(String code, String reason) implements TransferEvent {}
}
