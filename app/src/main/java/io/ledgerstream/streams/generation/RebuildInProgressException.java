package io.ledgerstream.streams.generation;

/** A rebuild was asked for while another generation is still building. */
public final class RebuildInProgressException extends RuntimeException {

  private final transient Generation building;

  RebuildInProgressException(Generation building) {
    super("generation " + building.number() + " (" + building.applicationId() + ") is already building");
    this.building = building;
  }

  public Generation building() {
    return building;
  }
}
