package io.ledgerstream.transfer;

import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.streams.projection.ProjectionBuilder;
import io.ledgerstream.streams.projection.ProjectionHook;
import io.ledgerstream.streams.projection.ProjectionStores;
import org.apache.kafka.streams.kstream.Named;

/** The transfer's own view: the status of each transfer, and how many transfers are in each status. */
public final class TransferProjections implements ProjectionHook {

  /** transferId -> TransferState, the fold of the transfer's events. */
  public static final String STATUS = "transfer-status";

  @Override
  public void addTo(ProjectionBuilder projections) {
    projections.addStore(STATUS, projections.storeSerde(TransferState.class));
    projections.<TransferEvent>events(TransferType.TYPE)
        .process(TransferProjector::new, Named.as("transfer-projector"), STATUS, ProjectionStores.COUNTS);
  }

  /** The counter of transfers currently in a status, e.g. {@code transfers.COMPLETED}. */
  public static String statusCounter(String status) {
    return "transfers." + status;
  }
}
