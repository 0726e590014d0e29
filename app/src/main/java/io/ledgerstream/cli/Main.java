package io.ledgerstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point: {@code serve} (the default), {@code send}, {@code schemas}, {@code export}, {@code rebuild},
 * {@code replay}, {@code diff}, {@code dlq}, {@code acls}, {@code token}.
 */
@Command(name = "ledgerstream", mixinStandardHelpOptions = true, version = "ledgerstream 0.1.0",
    description = "An event-sourced bank ledger on Kafka Streams.",
    subcommands = {ServeCommand.class, SendCommand.class, SchemasCommand.class, ExportCommand.class,
        RebuildCommand.class, ReplayCommand.class, DiffCommand.class, DlqCommand.class, AclsCommand.class,
        TokenCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code; no arguments, or options only, mean {@code serve}. */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(withDefaultCommand(args));
  }

  private static String[] withDefaultCommand(String[] args) {
    boolean servesByDefault = args.length == 0 || (args[0].startsWith("-") && !isHelpOrVersion(args[0]));
    if (!servesByDefault) {
      return args;
    }
    String[] withServe = new String[args.length + 1];
    withServe[0] = "serve";
    System.arraycopy(args, 0, withServe, 1, args.length);
    return withServe;
  }

  private static boolean isHelpOrVersion(String arg) {
    return arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version");
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
