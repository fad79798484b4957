package io.ferry.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;

/** Ferry's errors through Flink: restarts only for those a retry may fix, the code kept. */
class FailuresTest {
  @Test
  void anErrorNoRetryFixesSuppressesRestartsAndArrivesWithItsCode() {
    FerryException limit = new FerryException(ErrorCode.ERROR_LIMIT, "dirty rows exceed the limit");

    RuntimeException thrown = Failures.toFlink(limit);
    // What the job's result holds: the task's failure, serialized cause by cause.
    SerializedThrowable arrived =
        new SerializedThrowable(new RuntimeException("job failed", thrown));

    assertThat(thrown).isInstanceOf(SuppressRestartsException.class);
    FerryException back = Failures.ferry(arrived);
    assertThat(back.code()).isEqualTo(ErrorCode.ERROR_LIMIT);
    assertThat(back.getMessage()).isEqualTo("dirty rows exceed the limit");
  }

  @Test
  void anErrorARetryMayFixLetsFlinkRestartTheTask() {
    FerryException lost =
        new FerryException(ErrorCode.CONNECTION, "connection reset", "host", null);

    RuntimeException thrown = Failures.toFlink(lost);

    assertThat(thrown).isNotInstanceOf(SuppressRestartsException.class);
    FerryException back = Failures.ferry(new SerializedThrowable(thrown));
    assertThat(back.code()).isEqualTo(ErrorCode.CONNECTION);
    assertThat(back.retriable()).isTrue();
    assertThat(back.option()).isEqualTo("host");
  }
}
