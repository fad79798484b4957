package io.ferry.connector.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.ftp.RemoteOptions.Protocol;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Options;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteAccessTest {
  /** An access whose connections fail with the queued errors, then succeed (as null). */
  private static final class Scripted extends RemoteAccess {
    final Deque<FerryException> failures;
    int attempts;

    Scripted(List<FerryException> failures) {
      super(options(), 21, "u");
      this.failures = new ArrayDeque<>(failures);
    }

    static Options options() {
      return RemoteOptions.source(Protocol.FTP).parse(Map.of("host", "h", "path", "/x"));
    }

    @Override
    String scheme() {
      return "ftp";
    }

    @Override
    protected RemoteFs open() {
      attempts++;
      FerryException next = failures.poll();
      if (next != null) {
        throw next;
      }
      return null;
    }
  }

  private static FerryException refused() {
    return new FerryException(ErrorCode.CONNECTION, "refused", "host", null);
  }

  @Test
  void retriesLostConnectionsUpToTheLimit() {
    Scripted twice = new Scripted(List.of(refused(), refused()));
    twice.connect();
    assertThat(twice.attempts).isEqualTo(3);

    Scripted always =
        new Scripted(List.of(refused(), refused(), refused(), refused(), refused(), refused()));
    FerryException e = catchThrowableOfType(FerryException.class, always::connect);
    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
    assertThat(always.attempts).isEqualTo(1 + RemoteAccess.RETRIES);
  }

  @Test
  void doesNotRetryWhatARetryCannotFix() {
    Scripted denied =
        new Scripted(List.of(RemoteErrors.authentication("ftp://u@h:21", "u", "530", null)));
    FerryException e = catchThrowableOfType(FerryException.class, denied::connect);
    assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION);
    assertThat(e.option()).isEqualTo("password");
    assertThat(denied.attempts).isEqualTo(1);
  }

  @Test
  void splitsWildcardPaths() {
    assertThat(RemotePaths.parent("/data/a-*.csv")).isEqualTo("/data");
    assertThat(RemotePaths.parent("/a.csv")).isEqualTo("/");
    assertThat(RemotePaths.parent("a.csv")).isEqualTo(".");
    assertThat(RemotePaths.name("/data/in/")).isEqualTo("in");
    assertThat(RemotePaths.join(".", "a")).isEqualTo("a");
    assertThat(RemotePaths.wildcard("a-?.c*v").matcher("a-1.csv").matches()).isTrue();
    assertThat(RemotePaths.wildcard("a-?.c*v").matcher("a-10.csv").matches()).isFalse();
    assertThat(RemotePaths.wildcard("a.(1)+.csv").matcher("a.(1)+.csv").matches()).isTrue();
  }

  @Test
  void acceptsTheDeprecatedRetriesOfOlderJobFiles() {
    Options old =
        RemoteOptions.sink(Protocol.SFTP)
            .parse(Map.of("host", "h", "user", "u", "path", "/x.csv", "retries", 7));
    assertThat(old.get(RemoteOptions.MAX_RETRIES)).isEqualTo(7);
  }
}
