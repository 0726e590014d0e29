package io.ledgerstream.streams.replay;

import java.util.List;

/**
 * How a shadow replay's output compares with production's: per aggregate type the aggregates whose events differ
 * (the first differing version), the snapshots that differ, and the command results that differ.
 *
 * @param replayBehind recorded commands the shadow has not processed yet (a replay to run again), not a difference
 * @param unreadable records of either side whose value did not decode
 */
public record DiffReport(String prefix, CommandHorizon horizon, List<AggregateSection> aggregates,
                         ResultSection results, long replayBehind, long unreadable) {

  private static final int SHOWN = 20;

  /**
   * The aggregates of one type.
   *
   * @param skipped aggregates that began before the oldest recorded command, so the replay could not re-create them
   */
  public record AggregateSection(String aggregateType, int compared, int skipped, List<AggregateDifference> differences,
                                 List<String> differentSnapshots) {

    public int identical() {
      return compared - differences.size();
    }
  }

  /**
   * One aggregate whose events differ.
   *
   * @param production the production event at that version, or null when production has none there
   * @param shadow the shadow's event at that version, or null when the shadow has none there
   */
  public record AggregateDifference(String aggregateId, long firstDifferingVersion, int productionEvents,
                                    int shadowEvents, String production, String shadow) {
  }

  /** The command results of commands both sides processed; those only on one side come from retention, not code. */
  public record ResultSection(int compared, List<ResultDifference> differences, int onlyInProduction,
                              int onlyInShadow) {
  }

  /** One command whose result differs. */
  public record ResultDifference(String commandId, String production, String shadow) {
  }

  public boolean identical() {
    return results.differences().isEmpty()
        && aggregates.stream().allMatch(a -> a.differences().isEmpty() && a.differentSnapshots().isEmpty());
  }

  /** The report as an operator reads it. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("Shadow replay '").append(prefix).append("' compared with production\n");
    if (horizon.cutsHistory()) {
      out.append(horizon.note()).append('\n');
    }
    if (replayBehind > 0) {
      out.append("Note: the shadow has not replayed the last ").append(replayBehind)
          .append(" recorded commands; run replay again to include them.\n");
    }
    for (AggregateSection section : aggregates) {
      out.append(String.format("%s aggregates: %d compared, %d identical, %d different", section.aggregateType(),
          section.compared(), section.identical(), section.differences().size()));
      if (section.skipped() > 0) {
        out.append(", ").append(section.skipped()).append(" left out (began before the recorded commands)");
      }
      out.append('\n');
      section.differences().stream().limit(SHOWN).forEach(difference -> out.append(String.format(
          "  %s: first difference at version %d (production has %d events, shadow %d)%n"
              + "    production: %s%n    shadow:     %s%n", difference.aggregateId(),
          difference.firstDifferingVersion(), difference.productionEvents(), difference.shadowEvents(),
          orNone(difference.production()), orNone(difference.shadow()))));
      more(out, section.differences().size());
      if (!section.differentSnapshots().isEmpty()) {
        out.append(String.format("  %d %s snapshots differ: %s%n", section.differentSnapshots().size(),
            section.aggregateType(), String.join(", ", section.differentSnapshots().stream().limit(SHOWN).toList())));
      }
    }
    out.append(String.format("command results: %d compared, %d different (%d only in production, %d only in the "
        + "shadow, from retention)%n", results.compared(), results.differences().size(), results.onlyInProduction(),
        results.onlyInShadow()));
    results.differences().stream().limit(SHOWN).forEach(difference -> out.append(String.format(
        "  %s: production %s, shadow %s%n", difference.commandId(), difference.production(), difference.shadow())));
    more(out, results.differences().size());
    if (unreadable > 0) {
      out.append(unreadable).append(" records did not decode and were not compared\n");
    }
    out.append(identical() ? "Identical.\n" : "Different.\n");
    return out.toString();
  }

  private static void more(StringBuilder out, int count) {
    if (count > SHOWN) {
      out.append("  ... and ").append(count - SHOWN).append(" more\n");
    }
  }

  private static String orNone(String what) {
    return what == null ? "(none)" : what;
  }
}
