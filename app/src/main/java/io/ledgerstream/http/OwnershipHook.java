package io.ledgerstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.streams.AggregateHook;
import io.ledgerstream.streams.projection.LocalProjections;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * How an aggregate type limits a token scoped to one owner: whose data a command touches, the owner a command creates
 * its aggregate for, whose an aggregate is (which the generic reads of events and correlations filter by), and which
 * of the type's own read routes check the owner themselves. A type without this hook is closed to scoped tokens.
 */
public interface OwnershipHook extends AggregateHook {

  /**
   * Where the owner that decides about a command is recorded.
   *
   * @param store a store of this instance's projections, partitioned by {@code key}
   * @param readPath a GET path, URL-encoded, that answers 200 for this key to its owner's token and 404 to any other
   */
  record OwnedKey(String store, String key, String readPath) {
  }

  /**
   * Whose an aggregate is: an owner's own, or whoever owns another aggregate (a transfer is its {@code from}
   * account's owner's).
   *
   * @param owner the owner, or null when {@code aggregateType} and {@code aggregateId} name the aggregate that decides
   */
  record Belonging(String owner, String aggregateType, String aggregateId) {

    public static Belonging to(String owner) {
      return new Belonging(owner, null, null);
    }

    public static Belonging sameAs(String aggregateType, String aggregateId) {
      return new Belonging(null, aggregateType, aggregateId);
    }
  }

  /** The key whose owner must be the token's for this command to be sent; null if the command names none. */
  OwnedKey commandKey(String aggregateId, JsonNode command);

  /** The owner recorded for the key, from this instance's projections; empty if not known here (yet). */
  Optional<String> ownerOf(LocalProjections projections, OwnedKey key);

  /** The owner a command creates its aggregate for (an account opened for its owner); empty if it creates none. */
  Optional<String> createsFor(JsonNode command);

  /**
   * Whose the aggregate is that {@code firstEvent}, its event of version 1, created; an owner never changes, so this
   * decides for every later event too.
   *
   * @param firstEvent the type's event envelope
   */
  Belonging ownedBy(SpecificRecord firstEvent);

  /** The GET route patterns of this type that check the owner themselves; a scoped token gets 404 on any other. */
  List<String> scopedReads();
}
