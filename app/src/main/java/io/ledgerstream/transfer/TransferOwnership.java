package io.ledgerstream.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.account.AccountOwnership;
import io.ledgerstream.http.OwnershipHook;
import io.ledgerstream.streams.projection.LocalProjections;
import java.util.List;
import java.util.Optional;

/**
 * A transfer belongs to the owner of its {@code from} account: a scoped token requests transfers only from its
 * owner's accounts. Its reads are not scoped yet, so they stay closed to scoped tokens.
 */
public final class TransferOwnership implements OwnershipHook {

  @Override
  public OwnedKey commandKey(String aggregateId, JsonNode command) {
    JsonNode from = command.path("from");
    return AccountOwnership.account(from.isTextual() ? from.textValue() : null);
  }

  @Override
  public Optional<String> ownerOf(LocalProjections projections, OwnedKey key) {
    return AccountOwnership.ownerOf(projections, key.key());
  }

  @Override
  public Optional<String> createsFor(JsonNode command) {
    return Optional.empty();
  }

  @Override
  public List<String> scopedReads() {
    return List.of();
  }
}
