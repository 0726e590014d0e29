package io.ledgerstream.transfer.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.domain.transfer.TransferProcess.Step;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden worker command ids: they are stored in the command memory and in results, so they never change. */
class WorkerCommandIdsTest {

  @Test
  void everyStepOfATransferHasItsGoldenCommandId() {
    Map<Step, String> ids = new LinkedHashMap<>();
    for (Step step : Step.values()) {
      ids.put(step, TransferWorkerTopology.commandId("T-1", step));
    }

    assertThat(ids).containsExactly(
        Map.entry(Step.DEBIT, "eb8dcafa-a599-30a6-99df-df2c76b73e72"),
        Map.entry(Step.RECORD_DEBIT, "003c05b0-1a33-397c-8619-1e56fcf56b85"),
        Map.entry(Step.CREDIT, "87288813-2aac-3079-a477-90a7fdcc5370"),
        Map.entry(Step.COMPLETE, "0ac7d5aa-4682-3c75-9eb0-5c623c2938ad"),
        Map.entry(Step.FAIL, "14cd3d6e-6a1b-3307-b46d-2df1bfd4b214"),
        Map.entry(Step.REFUND, "49b4b208-adc6-3c6d-ad6b-76a971e8114c"),
        Map.entry(Step.FAIL_REFUNDED, "91679e58-5fa8-34aa-95ce-a5b282210c73"),
        Map.entry(Step.FINISHED, "ebc0a788-70f4-3ad2-b11a-bd05e8217407"),
        Map.entry(Step.SETTLE, "2469994f-f2ef-3dea-bc19-7c1afe08a70b"),
        Map.entry(Step.FLAG, "810034e2-6653-3c51-941b-858263f5550e"),
        Map.entry(Step.LATE_REFUND, "0da0f8f7-ad50-34c3-bef8-1588106f8365"));
  }
}
