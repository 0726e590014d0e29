package io.ledgerstream.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.account.AccountOwnership;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.v2.TransferRequested;
import io.ledgerstream.http.OwnershipHook;
import io.ledgerstream.streams.Envelope;
import io.ledgerstream.streams.projection.LocalProjections;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * A transfer belongs to the owner of its {@code from} account: a scoped token requests and reads transfers only from
 * its owner's accounts.
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
  public Belonging ownedBy(SpecificRecord firstEvent) {
    return Envelope.payload(firstEvent) instanceof TransferRequested requested
        ? Belonging.sameAs(AccountType.TYPE.name(), requested.getFrom()) : Belonging.to(null);
  }

  @Override
  public List<String> scopedReads() {
    return List.of("/transfers/*", "/transfers", "/transfers/*/correlation");
  }
}
