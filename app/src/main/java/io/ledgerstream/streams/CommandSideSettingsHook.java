package io.ledgerstream.streams;

import java.util.Map;

/**
 * Settings of a type's command-side hooks that an operator may change: {@code serve} takes their options, and the
 * values reach the hooks through the command side's streams configuration, so the engine never names them.
 */
public interface CommandSideSettingsHook extends AggregateHook {

  /** A new holder of the options: a picocli mixin, that is an object with {@code @Option} fields. */
  Options newOptions();

  /** The parsed options of one {@code serve}. */
  interface Options {

    /** The entries they add to the command side's streams configuration. */
    Map<String, Object> config();
  }
}
