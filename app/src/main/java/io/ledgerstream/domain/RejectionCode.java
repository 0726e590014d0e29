package io.ledgerstream.domain;

/** Stable rejection codes; clients match on these names, so never rename one. */
public enum RejectionCode {
  ACCOUNT_NOT_FOUND,
  ACCOUNT_EXISTS,
  ACCOUNT_CLOSED,
  INSUFFICIENT_FUNDS,
  CURRENCY_MISMATCH,
  NONZERO_BALANCE,
  INVALID_AMOUNT,
  INVALID_CURRENCY,
  INVALID_COMMAND,
  VERSION_CONFLICT,
  TRANSFER_NOT_FOUND,
  TRANSFER_EXISTS,
  TRANSFER_SAME_ACCOUNT,
  TRANSFER_INVALID_STATE,
  /** A command type only the application sends arrived on a public command topic; nothing was executed. */
  RESERVED_COMMAND,
  /**
   * An id, owner, reference or other text of the command has a control character or is longer than allowed;
   * nothing was executed.
   */
  INVALID_INPUT,
  /** An account cannot close while money it sent is still on its way: the transfer could need to refund it. */
  TRANSFERS_IN_FLIGHT,
  /**
   * The command id was first used by another command (another aggregate, or another payload); nothing was executed.
   * A retry must repeat its command exactly; a new command needs a new id.
   */
  COMMAND_ID_REUSED,
  /** The command id has the form of the ids the application derives for its own commands; nothing was executed. */
  RESERVED_COMMAND_ID,
  /**
   * An account already has {@link io.ledgerstream.domain.account.AccountDecider#MAX_TRANSFERS_IN_FLIGHT} outgoing
   * transfers on their way; the debit of one more is refused and its transfer fails, nothing moved.
   */
  TOO_MANY_TRANSFERS_IN_FLIGHT
}
