package io.ferry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BatchChannelTest {
  @Test
  void putWaitsWhileTheChannelHoldsItsCapacityInBytes() throws Exception {
    BatchChannel<String> channel = new BatchChannel<>(100);
    assertThat(channel.put("a", 60)).isTrue();
    AtomicBoolean second = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread putter =
        new Thread(
            () -> {
              try {
                second.set(channel.put("b", 60));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              done.countDown();
            });
    putter.start();
    assertThat(done.await(300, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(channel.take()).isEqualTo("a");
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(second).isTrue();
    assertThat(channel.take()).isEqualTo("b");
    assertThat(channel.putWaitNanos()).isPositive();
  }

  @Test
  void anElementLargerThanTheCapacityPassesAlone() throws Exception {
    BatchChannel<String> channel = new BatchChannel<>(10);
    assertThat(channel.put("huge", 1_000)).isTrue();
    assertThat(channel.take()).isEqualTo("huge");
  }

  @Test
  void closeLetsTheTakerDrainThenEnd() throws Exception {
    BatchChannel<String> channel = new BatchChannel<>(100);
    channel.put("a", 1);
    channel.put("b", 1);
    channel.close();
    assertThat(channel.take()).isEqualTo("a");
    assertThat(channel.take()).isEqualTo("b");
    assertThat(channel.take()).isNull();
  }

  @Test
  void abortWakesAWaitingPutterAndDropsTheRest() throws Exception {
    BatchChannel<String> channel = new BatchChannel<>(10);
    channel.put("a", 10);
    CountDownLatch done = new CountDownLatch(1);
    AtomicBoolean accepted = new AtomicBoolean(true);
    Thread putter =
        new Thread(
            () -> {
              try {
                accepted.set(channel.put("b", 10));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              done.countDown();
            });
    putter.start();
    channel.abort();
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(accepted).isFalse();
    assertThat(channel.take()).isNull();
  }
}
