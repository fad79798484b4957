package io.ferry.server.alerts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.server.security.AuditLog;
import io.ferry.server.security.SecretCipher;
import io.ferry.server.shared.DomainException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;

/**
 * Alert channels ({@link ChannelKind}): stored in {@code ferry_alert_channel} with their secret
 * settings ({@link ChannelKind#SECRETS}) sealed by {@link SecretCipher}, as data sources' are. A
 * view never holds a secret: a URL shows only its scheme and host, a signing secret {@value #MASK};
 * an update that sends a view's masked value back keeps the stored one.
 */
@Service
public class AlertChannels {
  static final String MASK = "****";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private final JdbcClient db;
  private final SecretCipher cipher;
  private final AuditLog audit;
  private final AlertSender sender;

  /** The hosts webhooks may go to ({@code ferry.alerts.webhook-hosts}); empty: any. */
  private final List<String> webhookHosts;

  AlertChannels(
      JdbcClient db,
      SecretCipher cipher,
      AuditLog audit,
      AlertSender sender,
      @org.springframework.beans.factory.annotation.Value("${ferry.alerts.webhook-hosts:}")
          List<String> webhookHosts) {
    this.webhookHosts = webhookHosts.stream().map(String::strip).filter(h -> !h.isEmpty()).toList();
    this.db = db;
    this.cipher = cipher;
    this.audit = audit;
    this.sender = sender;
  }

  /**
   * Sends a test message through the channel now.
   *
   * @throws DomainException.Conflict with the reason when it cannot be sent
   */
  public void sendTest(long id) {
    Channel c = open(id).orElseThrow(() -> DomainException.notFound("alert channel", id));
    checkSendable(c);
    try {
      sender.send(
          c,
          new AlertSender.Message(
              "test",
              null,
              "test of channel " + c.name(),
              "test",
              null,
              null,
              c.name(),
              "a test message sent by " + AuditLog.currentUser(),
              Instant.now()));
    } catch (DomainException e) {
      throw e;
    } catch (RuntimeException e) {
      throw DomainException.conflict("the test message could not be sent: " + e.getMessage());
    }
  }

  /** A channel as the API shows it: secrets masked. */
  public record View(
      long id, String name, String kind, Map<String, Object> config, String createdBy) {}

  /** A channel with its settings in clear, for sending only; never leaves the server. */
  record Channel(long id, String name, ChannelKind kind, Map<String, Object> config) {
    String text(String key) {
      Object v = config.get(key);
      return v == null || v.toString().isBlank() ? null : v.toString();
    }
  }

  /** What a client sends to create or change a channel. */
  public record Request(String name, String kind, Map<String, Object> config) {}

  public List<View> list() {
    return db.sql(
            "SELECT id, name, kind, config, created_by FROM ferry_alert_channel ORDER BY name")
        .query(
            (rs, i) ->
                view(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5)))
        .list();
  }

  public View get(long id) {
    return db.sql("SELECT id, name, kind, config, created_by FROM ferry_alert_channel WHERE id = ?")
        .param(id)
        .query(
            (rs, i) ->
                view(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5)))
        .optional()
        .orElseThrow(() -> DomainException.notFound("alert channel", id));
  }

  /** The channel with its secrets opened; empty when it is gone. */
  Optional<Channel> open(long id) {
    return db.sql("SELECT id, name, kind, config FROM ferry_alert_channel WHERE id = ?")
        .param(id)
        .query(
            (rs, i) -> {
              Map<String, Object> config = new LinkedHashMap<>(parse(rs.getString(4)));
              for (String key : ChannelKind.SECRETS) {
                if (config.get(key) instanceof String sealed && !sealed.isEmpty()) {
                  config.put(key, cipher.decrypt(sealed));
                }
              }
              return new Channel(
                  rs.getLong(1), rs.getString(2), ChannelKind.valueOf(rs.getString(3)), config);
            })
        .optional();
  }

  public View create(Request r) {
    ChannelKind kind = kind(r.kind());
    Map<String, Object> config = checked(r.name(), kind, r.config(), Map.of());
    checkHost(config, webhookHosts);
    Timestamp now = Timestamp.from(Instant.now());
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    try {
      db.sql(
              "INSERT INTO ferry_alert_channel (name, kind, config, created_by, created_at,"
                  + " updated_at) VALUES (?, ?, ?, ?, ?, ?)")
          .params(r.name().strip(), kind.name(), sealed(config), AuditLog.currentUser(), now, now)
          .update(keys, "id");
    } catch (DuplicateKeyException e) {
      throw nameInUse(r.name());
    }
    long id = keys.getKey().longValue();
    audit.record("alert-channel-created", "alert-channel", id, r.name());
    return get(id);
  }

  public View update(long id, Request r) {
    Channel stored = open(id).orElseThrow(() -> DomainException.notFound("alert channel", id));
    ChannelKind kind = r.kind() == null ? stored.kind() : kind(r.kind());
    Map<String, Object> config =
        checked(r.name(), kind, r.config(), stored.kind() == kind ? stored.config() : Map.of());
    checkHost(config, webhookHosts);
    try {
      db.sql(
              "UPDATE ferry_alert_channel SET name = ?, kind = ?, config = ?, updated_at = ? WHERE id = ?")
          .params(r.name().strip(), kind.name(), sealed(config), Timestamp.from(Instant.now()), id)
          .update();
    } catch (DuplicateKeyException e) {
      throw nameInUse(r.name());
    }
    audit.record("alert-channel-updated", "alert-channel", id, r.name());
    return get(id);
  }

  public void delete(long id) {
    get(id);
    db.sql("DELETE FROM ferry_alert_channel WHERE id = ?").param(id).update();
    audit.record("alert-channel-deleted", "alert-channel", id, null);
  }

  private static DomainException nameInUse(String name) {
    return new DomainException.Conflict(
        "an alert channel named '" + name + "' exists",
        List.of(new DomainException.FieldProblem("name", "in use")));
  }

  private static ChannelKind kind(String kind) {
    if (kind == null) {
      throw DomainException.invalid("kind", "is required");
    }
    String k = kind.replace('-', '_').toUpperCase(Locale.ROOT);
    DomainException.choice(
        "kind", k, java.util.Arrays.stream(ChannelKind.values()).map(Enum::name).toList());
    return ChannelKind.valueOf(k);
  }

  /**
   * The settings to store, in clear: those of the kind, checked; a masked value sent back keeps
   * {@code stored}'s.
   */
  private static Map<String, Object> checked(
      String name, ChannelKind kind, Map<String, Object> given, Map<String, Object> stored) {
    if (name == null || name.isBlank()) {
      throw DomainException.invalid("name", "is required");
    }
    if (name.length() > 200) {
      throw DomainException.invalid("name", "at most 200 characters");
    }
    Map<String, Object> in = given == null ? Map.of() : given;
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> allowed =
        switch (kind) {
          case IN_APP -> List.of();
          case EMAIL -> List.of("to");
          case WEBHOOK, DINGTALK, FEISHU -> List.of("url", "secret");
          case WECOM, SLACK -> List.of("url");
        };
    for (String key : in.keySet()) {
      if (!allowed.contains(key)) {
        throw DomainException.invalid(
            "config." + key,
            "is not a setting of a " + kind.name().toLowerCase(Locale.ROOT) + " channel");
      }
    }
    for (String key : allowed) {
      Object v = in.get(key);
      String text = v == null ? null : v.toString().strip();
      if (text != null
          && ChannelKind.SECRETS.contains(key)
          && text.equals(mask(key, stored.get(key)))) {
        text = stored.get(key) == null ? null : stored.get(key).toString(); // sent back as shown
      }
      if (text != null && !text.isEmpty()) {
        out.put(key, text);
      }
    }
    if (kind == ChannelKind.EMAIL) {
      String to = (String) out.get("to");
      if (to == null) {
        throw DomainException.invalid(
            "config.to", "is required: one or more addresses, comma-separated");
      }
      for (String address : to.split(",")) {
        if (!address.strip().matches("[^@\\s<>]+@[^@\\s<>]+")) {
          throw DomainException.invalid("config.to", "'" + address.strip() + "' is not an address");
        }
      }
    }
    if (kind.isWebhook()) {
      String url = (String) out.get("url");
      if (url == null) {
        throw DomainException.invalid("config.url", "is required");
      }
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw DomainException.invalid("config.url", "is not a URL");
      }
      if (uri.getScheme() == null
          || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
          || uri.getHost() == null
          || uri.getUserInfo() != null) {
        throw DomainException.invalid(
            "config.url", "must be an http or https URL with a host and no user");
      }
    }
    return out;
  }

  /**
   * Refuses a webhook URL whose host is not among {@code allowed} (host names, or {@code
   * *.example.com} for a domain's hosts; any host when empty): 400 naming {@code config.url}.
   */
  static void checkHost(Map<String, Object> config, List<String> allowed) {
    if (allowed.isEmpty() || !(config.get("url") instanceof String url)) {
      return;
    }
    String host = URI.create(url).getHost().toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      String rule = a.toLowerCase(Locale.ROOT);
      if (rule.startsWith("*.") ? host.endsWith(rule.substring(1)) : host.equals(rule)) {
        return;
      }
    }
    throw DomainException.invalid(
        "config.url",
        "the host " + host + " is not one the server may post to (ferry.alerts.webhook-hosts)");
  }

  /** Whether the stored channel may still send: its URL's host is allowed now. */
  void checkSendable(Channel c) {
    checkHost(c.config(), webhookHosts);
  }

  /** How a view shows a secret setting: a URL's scheme and host, anything else {@value #MASK}. */
  static String mask(String key, Object value) {
    if (value == null) {
      return null;
    }
    if (key.equals("url")) {
      try {
        URI u = URI.create(value.toString());
        return u.getScheme()
            + "://"
            + u.getHost()
            + (u.getPort() < 0 ? "" : ":" + u.getPort())
            + "/"
            + MASK;
      } catch (IllegalArgumentException e) {
        return MASK;
      }
    }
    return MASK;
  }

  private String sealed(Map<String, Object> config) {
    Map<String, Object> out = new LinkedHashMap<>(config);
    for (String key : ChannelKind.SECRETS) {
      if (out.get(key) instanceof String clear) {
        out.put(key, cipher.encrypt(clear));
      }
    }
    return write(out);
  }

  private View view(long id, String name, String kind, String config, String createdBy) {
    Map<String, Object> shown = new LinkedHashMap<>(parse(config));
    for (String key : ChannelKind.SECRETS) {
      if (shown.get(key) instanceof String sealed) {
        // The mask of a URL needs its host: opened here, never returned.
        shown.put(key, mask(key, key.equals("url") ? cipher.decrypt(sealed) : sealed));
      }
    }
    return new View(id, name, kind.toLowerCase(Locale.ROOT).replace('_', '-'), shown, createdBy);
  }

  static Map<String, Object> parse(String json) {
    try {
      return JSON.readValue(json, OBJECT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String write(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
