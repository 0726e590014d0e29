package io.ledgerstream.http;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/** This instance as the routes see it: the address it advertises, and what it serves from once attached. */
final class Instance {

  private final String scheme;
  private volatile HostInfo self;
  private volatile ApiBackend backend;

  Instance(String scheme) {
    this.scheme = scheme;
  }

  /** {@code http}, or {@code https} when this instance, and so every instance of the cluster, serves TLS. */
  String scheme() {
    return scheme;
  }

  /** The advertised address; set once the server is bound, before the first request is answered. */
  HostInfo self() {
    return self;
  }

  String address() {
    return self.host() + ":" + self.port();
  }

  void advertise(HostInfo address) {
    self = address;
  }

  void attach(ApiBackend attached) {
    backend = attached;
  }

  /** The backend, or a 503 problem while the node is starting or stopping. */
  ApiBackend backend() {
    ApiBackend attached = backend;
    if (attached == null) {
      throw Problem.unavailable("the node is starting; retry shortly");
    }
    KafkaStreams.State state = attached.projectionsStreams().state();
    if (!state.isRunningOrRebalancing()) {
      throw Problem.unavailable("the projections are not running here (" + state + "); retry shortly");
    }
    return attached;
  }

  /** The backend, or null while the node is starting. */
  ApiBackend attachedOrNull() {
    return backend;
  }
}
