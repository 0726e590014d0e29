package io.ledgerstream.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.avro.AccountOpened;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.http.OwnershipHook;
import io.ledgerstream.streams.Envelope;
import io.ledgerstream.streams.projection.LocalProjections;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/** An account belongs to the owner in its summary; {@code OpenAccount} creates one for the owner it names. */
public final class AccountOwnership implements OwnershipHook {

  /** The key naming account {@code accountId}'s owner, for this and other types' commands that touch it. */
  public static OwnedKey account(String accountId) {
    return accountId == null ? null : new OwnedKey(AccountProjections.SUMMARY, accountId,
        "/accounts/" + URLEncoder.encode(accountId, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  /** The owner in account {@code accountId}'s summary held here, if any. */
  public static Optional<String> ownerOf(LocalProjections projections, String accountId) {
    return projections.<AccountState>get(AccountProjections.SUMMARY, accountId, false).map(AccountState::getOwner);
  }

  @Override
  public OwnedKey commandKey(String aggregateId, JsonNode command) {
    return account(aggregateId);
  }

  @Override
  public Optional<String> ownerOf(LocalProjections projections, OwnedKey key) {
    return ownerOf(projections, key.key());
  }

  @Override
  public Optional<String> createsFor(JsonNode command) {
    if (!"OpenAccount".equals(command.path("type").asText())) {
      return Optional.empty();
    }
    // an OpenAccount without a text owner creates for nobody: it is refused, and parsing says why
    return Optional.of(command.path("owner").isTextual() ? command.path("owner").textValue() : "");
  }

  @Override
  public Belonging ownedBy(SpecificRecord firstEvent) {
    // an account's first event is always its opening; anything else belongs to no owner
    return Envelope.payload(firstEvent) instanceof AccountOpened opened ? Belonging.to(opened.getOwner())
        : Belonging.to(null);
  }

  @Override
  public List<String> scopedReads() {
    return List.of("/accounts/*", "/owners/*/accounts");
  }
}
