package io.ledgerstream.streams;

/**
 * Something an aggregate type adds beyond what the engine does for every type: command-side topology, projections,
 * HTTP routes. Each kind of hook is an interface of its own; generic code asks a type for the hooks of one kind.
 */
public interface AggregateHook {
}
