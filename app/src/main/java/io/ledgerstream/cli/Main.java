package io.ledgerstream.cli;

import io.ledgerstream.Ledger;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.CommandSideSettingsHook;
import java.util.List;
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
        TokenCommand.class, KeysCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code; no arguments, or options only, mean {@code serve}. */
  public static int run(String... args) {
    return commandLine().execute(withDefaultCommand(args));
  }

  /** The command line, with each registered type's own {@code serve} options. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    CommandLine serve = cli.getSubcommands().get("serve");
    for (AggregateType<?, ?, ?> type : Ledger.AGGREGATE_TYPES) {
      List<CommandSideSettingsHook> hooks = type.hooks(CommandSideSettingsHook.class);
      for (int i = 0; i < hooks.size(); i++) {
        serve.addMixin(type.name() + "-settings-" + i, hooks.get(i).newOptions());
      }
    }
    return cli;
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
