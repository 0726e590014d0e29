package io.ledgerstream.transfer;

import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.streams.projection.ProjectionBuilder;
import io.ledgerstream.streams.projection.ProjectionHook;
import io.ledgerstream.streams.projection.ProjectionStores;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The transfer's own views: the status of each transfer, the transfers in each status, and how many transfers are in
 * each status.
 */
public final class TransferProjections implements ProjectionHook {

  /** transferId -> TransferState, the fold of the transfer's events. */
  public static final String STATUS = "transfer-status";
  /** {@link #statusKey} -> TransferState; partitioned by status. */
  public static final String BY_STATUS = "transfers-by-status";
  /** Names the internal topic {@code <application.id>-transfers-by-status-repartition}, keyed by status. */
  public static final String BY_STATUS_REPARTITION = "transfers-by-status";

  @Override
  public void addTo(ProjectionBuilder projections) {
    Serde<TransferState> states = projections.storeSerde(TransferState.class);
    projections.addStore(STATUS, states);
    projections.addStore(BY_STATUS, states);
    projections.<TransferEvent>events(TransferType.TYPE)
        .process(TransferProjector::new, Named.as("transfer-projector"), STATUS, ProjectionStores.COUNTS)
        .repartition(Repartitioned.with(Serdes.String(), states).withName(BY_STATUS_REPARTITION))
        .process(StatusIndexer::new, Named.as("transfer-status-indexer"), BY_STATUS);
  }

  public static String statusKey(String status, String transferId) {
    return ProjectionStores.compositeKey(status, transferId);
  }

  /** The counter of transfers currently in a status, e.g. {@code transfers.COMPLETED}. */
  public static String statusCounter(String status) {
    return "transfers." + status;
  }
}
