package io.ledgerstream.http;

import io.ledgerstream.streams.AggregateHook;

/** Adds an aggregate type's own HTTP routes, such as queries of its views, to every instance's API. */
public interface RouteHook extends AggregateHook {

  /** Adds routes, each documented; called once per server, so a hook keeps no state of its own. */
  void addRoutes(Routes routes);
}
