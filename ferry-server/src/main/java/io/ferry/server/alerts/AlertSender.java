package io.ferry.server.alerts;

import io.ferry.server.shared.DomainException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Sends one alert message through one channel: in-app notice, e-mail (the server's {@code
 * spring.mail.*} SMTP settings), or an HTTP POST in the payload format of the channel's service,
 * signed where the service signs.
 */
@Component
class AlertSender {
  private final Notices notices;
  private final ObjectProvider<JavaMailSender> mail;
  private final String mailFrom;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  AlertSender(
      Notices notices,
      ObjectProvider<JavaMailSender> mail,
      @Value("${ferry.alerts.mail-from:ferry@localhost}") String mailFrom) {
    this.notices = notices;
    this.mail = mail;
    this.mailFrom = mailFrom;
  }

  /**
   * An alert message.
   *
   * @param event {@code firing}, {@code repeat}, {@code recovered} or {@code test}
   * @param subject what the incident is about: a task's or a node's name
   */
  record Message(
      String event,
      Long ruleId,
      String ruleName,
      String kind,
      Long incidentId,
      Long taskId,
      String subject,
      String detail,
      Instant at) {
    String title() {
      String what =
          switch (event) {
            case "recovered" -> "RECOVERED";
            case "repeat" -> "STILL FIRING";
            case "test" -> "TEST";
            default -> "FIRING";
          };
      return "[Ferry] " + what + ": " + ruleName + " (" + subject + ")";
    }

    String text() {
      return title() + "\n" + detail + "\nrule: " + kind + ", at " + at;
    }
  }

  void send(AlertChannels.Channel channel, Message m) {
    switch (channel.kind()) {
      case IN_APP ->
          notices.add(m.event(), m.ruleId(), m.incidentId(), m.taskId(), m.title(), m.detail());
      case EMAIL -> email(channel, m);
      default -> post(channel, m, Instant.now());
    }
  }

  /** The in-app notice of a rule without channels. */
  void notice(Message m) {
    notices.add(m.event(), m.ruleId(), m.incidentId(), m.taskId(), m.title(), m.detail());
  }

  private void email(AlertChannels.Channel channel, Message m) {
    JavaMailSender sender = mail.getIfAvailable();
    if (sender == null) {
      throw DomainException.conflict(
          "the server has no SMTP settings (spring.mail.host): e-mail channels cannot send");
    }
    SimpleMailMessage mm = new SimpleMailMessage();
    mm.setFrom(mailFrom);
    mm.setTo(
        List.of(channel.text("to").split(",")).stream().map(String::strip).toArray(String[]::new));
    mm.setSubject(m.title());
    mm.setText(m.text());
    sender.send(mm);
  }

  /** The request each webhook kind sends (public for the tests' payload checks). */
  static HttpRequest request(AlertChannels.Channel channel, Message m, Instant now) {
    String url = channel.text("url");
    String secret = channel.text("secret");
    Map<String, Object> body = new LinkedHashMap<>();
    Map<String, String> headers = new LinkedHashMap<>();
    long seconds = now.getEpochSecond();
    switch (channel.kind()) {
      case WEBHOOK -> {
        body.put("event", m.event());
        body.put("title", m.title());
        body.put("detail", m.detail());
        body.put("rule", mapOf("id", m.ruleId(), "name", m.ruleName(), "kind", m.kind()));
        body.put("incidentId", m.incidentId());
        body.put("taskId", m.taskId());
        body.put("subject", m.subject());
        body.put("at", m.at().toString());
      }
      case DINGTALK -> {
        body.put("msgtype", "text");
        body.put("text", Map.of("content", m.text()));
        if (secret != null) {
          // DingTalk: sign = Base64(HmacSHA256(key = secret, timestamp_ms + "\n" + secret)),
          // URL-encoded, with the timestamp in the query.
          long millis = now.toEpochMilli();
          String sign = Base64.getEncoder().encodeToString(hmac(secret, millis + "\n" + secret));
          url +=
              (url.contains("?") ? "&" : "?")
                  + "timestamp="
                  + millis
                  + "&sign="
                  + URLEncoder.encode(sign, StandardCharsets.UTF_8);
        }
      }
      case FEISHU -> {
        if (secret != null) {
          // Feishu: sign = Base64(HmacSHA256(key = timestamp_s + "\n" + secret, empty message)).
          body.put("timestamp", Long.toString(seconds));
          body.put("sign", Base64.getEncoder().encodeToString(hmac(seconds + "\n" + secret, "")));
        }
        body.put("msg_type", "text");
        body.put("content", Map.of("text", m.text()));
      }
      case WECOM -> {
        body.put("msgtype", "text");
        body.put("text", Map.of("content", m.text()));
      }
      case SLACK -> body.put("text", m.text());
      default -> throw new IllegalArgumentException(channel.kind() + " is no webhook");
    }
    String json = AlertChannels.write(body);
    if (channel.kind() == ChannelKind.WEBHOOK && secret != null) {
      headers.put("X-Ferry-Signature", "sha256=" + HexFormat.of().formatHex(hmac(secret, json)));
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    headers.forEach(b::header);
    return b.build();
  }

  private void post(AlertChannels.Channel channel, Message m, Instant now) {
    try {
      HttpResponse<String> r =
          http.send(request(channel, m, now), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "the webhook answered " + r.statusCode() + ": " + cut(r.body()));
      }
    } catch (IOException e) {
      throw new IllegalStateException("the webhook could not be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String cut(String s) {
    return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200);
  }

  private static Map<String, Object> mapOf(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static byte[] hmac(String key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
