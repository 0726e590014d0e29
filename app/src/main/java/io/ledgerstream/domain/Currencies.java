package io.ledgerstream.domain;

import java.util.Currency;

/** Checks currency codes the same way for every aggregate. */
public final class Currencies {

  private Currencies() {
  }

  /** True for a known ISO-4217 code written as three upper-case letters, such as "EUR". */
  public static boolean isIsoCode(String code) {
    if (code == null || !code.matches("[A-Z]{3}")) {
      return false;
    }
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }
}
