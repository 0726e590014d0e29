package io.ledgerstream.streams.projection;

import io.ledgerstream.streams.AggregateHook;

/** Adds an aggregate type's own views to the projections: stores, and processors over the events that fill them. */
public interface ProjectionHook extends AggregateHook {

  /** Adds stores and processors; every node, store and repartition topic needs a name of its own. */
  void addTo(ProjectionBuilder projections);
}
