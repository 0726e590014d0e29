package io.ledgerstream.schemas;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/** Every schema registry subject of Ledgerstream (topic-name strategy) with its current value schema. */
public final class Subjects {

    private static final Map<String, Schema> CURRENT = currentSchemas();

    private Subjects() {}

    /** Subject name to current schema, in a stable order. */
    public static Map<String, Schema> current() {
        return CURRENT;
    }

    private static Map<String, Schema> currentSchemas() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put("ledger.account.commands-value", AccountCommand.getClassSchema());
        schemas.put("ledger.account.internal-commands-value", AccountCommand.getClassSchema());
        schemas.put("ledger.account.events-value", AccountEvent.getClassSchema());
        schemas.put("ledger.account.state-value", AccountState.getClassSchema());
        schemas.put("ledger.transfer.commands-value", TransferCommand.getClassSchema());
        schemas.put("ledger.transfer.internal-commands-value", TransferCommand.getClassSchema());
        schemas.put("ledger.transfer.events-value", TransferEvent.getClassSchema());
        schemas.put("ledger.transfer.state-value", TransferState.getClassSchema());
        schemas.put("ledger.command-results-value", CommandResult.getClassSchema());
        return Collections.unmodifiableMap(schemas);
    }
}
