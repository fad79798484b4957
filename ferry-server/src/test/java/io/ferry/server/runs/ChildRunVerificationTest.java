package io.ferry.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.engine.RunResult;
import io.ferry.engine.verify.Difference;
import io.ferry.engine.verify.VerifyMode;
import io.ferry.engine.verify.VerifyResult;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The verification after a run in its own JVM reaches the server with the run's end, as it was
 * found: the server records it and names it in the run's message as for a run in its own JVM.
 */
class ChildRunVerificationTest {
  private static RunResult.Verification roundTrip(RunResult.Verification v) throws Exception {
    // As the child writes its report line and the server reads it.
    String line = ChildRunProcess.JSON.writeValueAsString(ChildRunProcess.verification(v));
    JsonNode node = ChildRunProcess.JSON.readTree(line);
    return ChildRunProcess.verification(node);
  }

  @Test
  void aResultWithDifferencesArrivesWhole() throws Exception {
    Map<String, String> key = new LinkedHashMap<>();
    key.put("id", "7");
    key.put("region", null);
    VerifyResult found =
        new VerifyResult(
            false,
            VerifyMode.CONTENT,
            "checksum + keyed merge",
            1_000,
            999,
            1,
            0,
            1,
            List.of(
                new Difference(Difference.Kind.MISSING, Map.of("id", "3"), List.of()),
                new Difference(
                    Difference.Kind.DIFFERENT,
                    key,
                    List.of(new Difference.ColumnDifference("name", "Zoë", "Zoe")))),
            Path.of("/var/ferry/verify/run-1.jsonl"),
            4,
            1,
            250,
            true,
            List.of("2 rows did not convert"),
            null);

    RunResult.Verification back = roundTrip(new RunResult.Verification(found, null));

    assertThat(back.result()).isEqualTo(found);
    assertThat(back.failure()).isNull();
  }

  @Test
  void aVerificationThatCouldNotRunArrivesWithItsReason() throws Exception {
    FerryException why =
        new FerryException(ErrorCode.external("jdbc.connection", true), "the target is gone");

    RunResult.Verification back = roundTrip(new RunResult.Verification(null, why));

    assertThat(back.result()).isNull();
    assertThat(back.failure().getMessage()).isEqualTo("the target is gone");
    assertThat(back.failure().code()).isEqualTo(why.code());
  }

  @Test
  void noVerificationIsNone() throws Exception {
    assertThat(ChildRunProcess.verification((RunResult.Verification) null)).isNull();
    assertThat(roundTrip(null)).isNull();
  }
}
