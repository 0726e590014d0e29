package io.ledgerstream.transfer;

import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.transfer.worker.TransferWorkerTopology;

/** The transfer aggregate as the ledger registers it, with the transfer worker that drives it. */
public final class TransferType {

  /** The transfer's mapping between its Avro records and its domain records. */
  public static final TransferBinding BINDING = new TransferBinding();

  public static final AggregateType<TransferCommand, TransferEvent, TransferState> TYPE = AggregateType
      .builder("transfer", TransferCommand.class, TransferEvent.class, TransferState.class, BINDING)
      .plural("transfers")
      .tag("t")
      .workerOnly("it is sent by the transfer worker only; request a transfer with {\"type\":\"RequestTransfer\", ...}",
          "RecordTransferDebit", "CompleteTransfer", "FailTransfer", "FlagTransfer")
      .freeText("reason")
      .upcaster(io.ledgerstream.avro.TransferRequested.class, io.ledgerstream.avro.v2.TransferRequested.class,
          TransferUpcasters::structuredAmount)
      .hook(new TransferWorkerTopology())
      .hook(new TransferProjections())
      .hook(new TransferRoutes())
      .hook(new TransferOwnership())
      .build();

  private TransferType() {
  }
}
