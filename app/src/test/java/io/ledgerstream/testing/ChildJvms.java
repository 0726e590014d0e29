package io.ledgerstream.testing;

import io.ledgerstream.broker.EmbeddedKafkaBroker;
import java.util.ArrayList;
import java.util.List;

/**
 * The options a test gives the JVMs it launches (an instance to kill, a {@code serve} to run as users do): those of
 * the system property {@value #PROPERTY}, which the build sets to the test JVMs' own, and the embedded broker's, so a
 * broker the child starts runs as the tests' own do.
 */
public final class ChildJvms {

  public static final String PROPERTY = "ledgerstream.test.jvm.options";

  private ChildJvms() {}

  /** The options to put before the main class on a child JVM's command line. */
  public static List<String> options() {
    List<String> options = new ArrayList<>(EmbeddedKafkaBroker.jvmOptions(System.getProperty(PROPERTY)));
    String broker = System.getProperty(EmbeddedKafkaBroker.JVM_OPTIONS_PROPERTY);
    if (broker != null && !broker.isBlank()) {
      options.add("-D" + EmbeddedKafkaBroker.JVM_OPTIONS_PROPERTY + "=" + broker.trim());
    }
    return options;
  }
}
