package io.ferry.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.server.shared.DomainException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertChannelsTest {
  @Test
  void anAllowListKeepsWebhooksToItsHosts() {
    List<String> allowed = List.of("oapi.dingtalk.com", "*.feishu.cn");
    AlertChannels.checkHost(Map.of("url", "https://oapi.dingtalk.com/robot/send?x=1"), allowed);
    AlertChannels.checkHost(Map.of("url", "https://open.feishu.cn/open-apis/bot"), allowed);
    for (String url :
        List.of(
            "http://169.254.169.254/latest/meta-data/",
            "http://127.0.0.1:8080/api/users",
            "https://feishu.cn.attacker.org/x",
            "https://oapi.dingtalk.com.attacker.org/x")) {
      assertThatThrownBy(() -> AlertChannels.checkHost(Map.of("url", url), allowed))
          .as(url)
          .isInstanceOf(DomainException.Invalid.class)
          .hasMessageContaining("config.url");
    }
    // No list: any host (admins alone write channels).
    AlertChannels.checkHost(Map.of("url", "http://127.0.0.1:9/x"), List.of());
  }

  @Test
  void aMaskShowsNoSecret() {
    assertThat(AlertChannels.mask("url", "https://oapi.dingtalk.com/robot/send?access_token=t0k"))
        .isEqualTo("https://oapi.dingtalk.com/****");
    assertThat(AlertChannels.mask("url", "http://127.0.0.1:8123/hook?key=k"))
        .isEqualTo("http://127.0.0.1:8123/****");
    assertThat(AlertChannels.mask("secret", "SEC123")).isEqualTo("****");
  }

  @Test
  void dingTalkIsSignedInItsUrlWithTheMillisecondTimestamp() {
    AlertChannels.Channel c =
        new AlertChannels.Channel(
            1,
            "d",
            ChannelKind.DINGTALK,
            Map.of(
                "url", "https://oapi.dingtalk.com/robot/send?access_token=abc", "secret", "SECx"));
    Instant at = Instant.ofEpochMilli(1_700_000_000_123L);
    HttpRequest r =
        AlertSender.request(
            c, new AlertSender.Message("firing", 1L, "r", "run-failed", 2L, 3L, "t", "d", at), at);
    URI u = r.uri();
    assertThat(u.getRawQuery()).startsWith("access_token=abc&timestamp=1700000000123&sign=");
    String sign =
        java.util.Base64.getEncoder()
            .encodeToString(AlertSender.hmac("SECx", "1700000000123\nSECx"));
    assertThat(u.getRawQuery())
        .endsWith(
            "sign=" + java.net.URLEncoder.encode(sign, java.nio.charset.StandardCharsets.UTF_8));
  }
}
