package io.ferry.server.alerts;

import java.util.Set;

/**
 * Where an alert goes, and which of a channel's settings are secret (sealed at rest, never shown).
 *
 * <ul>
 *   <li>{@link #IN_APP}: a notice every user sees in the web UI (the bell), pushed over the
 *       WebSocket. No settings.
 *   <li>{@link #EMAIL}: {@code to} (addresses, comma-separated), through the server's SMTP settings
 *       ({@code spring.mail.*}).
 *   <li>{@link #WEBHOOK}: a generic JSON POST to {@code url}; with {@code secret}, the header
 *       {@code X-Ferry-Signature: sha256=<hex HMAC-SHA256 of the body>}.
 *   <li>{@link #DINGTALK}: a DingTalk robot's {@code url}; with {@code secret}, signed as DingTalk
 *       asks ({@code timestamp} and {@code sign} added to the URL).
 *   <li>{@link #FEISHU}: a Feishu / Lark bot's {@code url}; with {@code secret}, {@code timestamp}
 *       and {@code sign} in the body.
 *   <li>{@link #WECOM}: a WeCom group robot's {@code url} (its key is in the URL).
 *   <li>{@link #SLACK}: a Slack incoming webhook's {@code url}.
 * </ul>
 *
 * A webhook's URL carries its access token for most of these services, so it is a secret too.
 */
public enum ChannelKind {
  IN_APP,
  EMAIL,
  WEBHOOK,
  DINGTALK,
  FEISHU,
  WECOM,
  SLACK;

  /** The settings of every channel that are secret. */
  public static final Set<String> SECRETS = Set.of("url", "secret");

  /** Whether this kind posts to a URL. */
  public boolean isWebhook() {
    return this != IN_APP && this != EMAIL;
  }
}
