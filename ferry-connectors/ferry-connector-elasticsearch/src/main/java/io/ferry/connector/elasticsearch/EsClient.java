package io.ferry.connector.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Options;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.message.BasicHeader;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thin JSON client over Elasticsearch's low-level REST client: it speaks plain HTTP, so the same
 * code serves Elasticsearch 7.x and 8.x and OpenSearch 2.x ({@link Server} holds what differs).
 * Requests that fail on the connection or are rejected as overloaded are retried with exponential
 * backoff; errors become {@link FerryException}s naming the option at fault where one is.
 */
final class EsClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EsClient.class);
  private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
  static final ErrorCode REJECTED = ErrorCode.user("elasticsearch.request-rejected");
  static final ErrorCode UNAVAILABLE = ErrorCode.external("elasticsearch.unavailable", true);
  static final ErrorCode TLS = ErrorCode.external("elasticsearch.tls", false);
  static final ErrorCode VERSION = ErrorCode.external("elasticsearch.version", false);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final RestClient client;
  private final String hosts;
  private final int maxRetries;
  private final Duration backoff;
  private final String authOption;
  private volatile Server server;

  private EsClient(
      RestClient client, String hosts, int maxRetries, Duration backoff, String authOption) {
    this.client = client;
    this.authOption = authOption;
    this.hosts = hosts;
    this.maxRetries = maxRetries;
    this.backoff = backoff;
  }

  /**
   * A client from the connection options; reads the CA certificate file, if any, through {@code
   * localFiles}, and does no other I/O.
   */
  static EsClient create(Options options, LocalFiles localFiles) {
    List<String> hostTexts = options.get(EsOptions.HOSTS);
    List<HttpHost> hosts = new ArrayList<>();
    for (String h : hostTexts) {
      URI uri = EsOptions.hostUri(h);
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 9200;
      hosts.add(new HttpHost(uri.getHost(), port, scheme));
    }
    RestClientBuilder builder = RestClient.builder(hosts.toArray(new HttpHost[0]));
    List<Header> headers = new ArrayList<>();
    if (options.get(EsOptions.USERNAME) != null) {
      String password =
          options.get(EsOptions.PASSWORD) == null ? "" : options.get(EsOptions.PASSWORD);
      String token =
          Base64.getEncoder()
              .encodeToString(
                  (options.get(EsOptions.USERNAME) + ":" + password)
                      .getBytes(StandardCharsets.UTF_8));
      headers.add(new BasicHeader("Authorization", "Basic " + token));
    } else if (options.get(EsOptions.API_KEY) != null) {
      headers.add(
          new BasicHeader(
              "Authorization", "ApiKey " + encodeApiKey(options.get(EsOptions.API_KEY))));
    }
    if (!headers.isEmpty()) {
      builder.setDefaultHeaders(headers.toArray(new Header[0]));
    }
    int connectMillis =
        (int) Math.min(Integer.MAX_VALUE, options.get(EsOptions.CONNECT_TIMEOUT).toMillis());
    int socketMillis =
        (int) Math.min(Integer.MAX_VALUE, options.get(EsOptions.SOCKET_TIMEOUT).toMillis());
    builder.setRequestConfigCallback(
        config -> config.setConnectTimeout(connectMillis).setSocketTimeout(socketMillis));
    String ca = options.get(EsOptions.CA_CERTIFICATE);
    boolean verifyHostname = options.get(EsOptions.VERIFY_HOSTNAME);
    SSLContext ssl =
        ca == null ? null : sslContext(localFiles.resolve(EsOptions.CA_CERTIFICATE.name(), ca));
    builder.setHttpClientConfigCallback(
        http -> {
          if (ssl != null) {
            http.setSSLContext(ssl);
          }
          if (!verifyHostname) {
            http.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
          }
          return http.setMaxConnPerRoute(32).setMaxConnTotal(64);
        });
    return new EsClient(
        builder.build(),
        String.join(", ", hostTexts),
        options.get(EsOptions.MAX_RETRIES),
        options.get(EsOptions.RETRY_BACKOFF),
        options.get(EsOptions.API_KEY) != null && options.get(EsOptions.USERNAME) == null
            ? EsOptions.API_KEY.name()
            : EsOptions.USERNAME.name());
  }

  /** An API key as Elasticsearch wants it: encoded, or id:key encoded here. */
  static String encodeApiKey(String key) {
    String k = key.trim();
    return k.contains(":")
        ? Base64.getEncoder().encodeToString(k.getBytes(StandardCharsets.UTF_8))
        : k;
  }

  private static SSLContext sslContext(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, cert);
      }
      if (i == 0) {
        throw FerryException.option(
            ErrorCode.OPTION_INVALID,
            EsOptions.CA_CERTIFICATE.name(),
            caFile + " holds no PEM certificate");
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (FerryException e) {
      throw e;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new FerryException(
          ErrorCode.OPTION_INVALID,
          "cannot read the CA certificate " + caFile + ": " + e.getMessage(),
          EsOptions.CA_CERTIFICATE.name(),
          e);
    }
  }

  /** The hosts, as configured, for messages. */
  String hosts() {
    return hosts;
  }

  /**
   * What runs at the hosts, read once per client. OpenSearch names itself at {@code GET /} ({@code
   * version.distribution}); Elasticsearch's integ-test distributions answer 405 there, so its
   * version comes from {@code /_nodes/_local}.
   */
  Server server() {
    Server s = server;
    if (s == null) {
      Reply root = exchange("GET", "/", (JsonNode) null);
      if (root.status() == 401 || root.status() == 403) {
        throw error("GET", "/", root);
      }
      JsonNode version = root.status() == 200 ? root.body().path("version") : null;
      if (version != null && version.path("number").isTextual()) {
        s =
            new Server(
                "opensearch".equals(version.path("distribution").asText())
                    ? Flavor.OPENSEARCH
                    : Flavor.ELASTICSEARCH,
                Version.parse(version.path("number").asText()));
      } else {
        JsonNode nodes = get("/_nodes/_local?filter_path=nodes.*.version").path("nodes");
        String text =
            nodes.elements().hasNext() ? nodes.elements().next().path("version").asText() : "";
        s = new Server(Flavor.ELASTICSEARCH, Version.parse(text));
      }
      server = s;
    }
    return s;
  }

  JsonNode get(String path) {
    return send("GET", path, null);
  }

  JsonNode send(String method, String path, JsonNode body) {
    HttpEntity entity =
        body == null
            ? null
            : new ByteArrayEntity(
                body.toString().getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON);
    Reply reply = exchange(method, path, entity, true);
    if (reply.status() >= 300) {
      throw error(method, path, reply);
    }
    return reply.body();
  }

  /** A request whose error statuses the caller looks at itself; connection errors still throw. */
  Reply exchange(String method, String path, JsonNode body) {
    HttpEntity entity =
        body == null
            ? null
            : new ByteArrayEntity(
                body.toString().getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON);
    return exchange(method, path, entity, true);
  }

  /** Sends an NDJSON {@code _bulk} body; retries whole-request failures. */
  Reply bulk(byte[] body, int length) {
    return exchange("POST", "/_bulk", new ByteArrayEntity(body, 0, length, NDJSON), true);
  }

  private Reply exchange(String method, String path, HttpEntity entity, boolean retry) {
    int attempt = 0;
    while (true) {
      Request request = new Request(method, path);
      if (entity != null) {
        request.setEntity(entity);
      }
      Response response;
      try {
        response = client.performRequest(request);
      } catch (ResponseException e) {
        response = e.getResponse();
      } catch (IOException e) {
        if (retry && attempt < maxRetries && !isTls(e)) {
          pause(attempt++, method + " " + path + ": " + e);
          continue;
        }
        throw connectionError(e);
      }
      int status = response.getStatusLine().getStatusCode();
      JsonNode json = readBody(response);
      if (retry && attempt < maxRetries && retriableStatus(status)) {
        pause(attempt++, method + " " + path + " answered " + status);
        continue;
      }
      return new Reply(status, json);
    }
  }

  static boolean retriableStatus(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  /** Waits before retry {@code attempt} (0-based): backoff × 2^attempt, at most 30 s. */
  void pause(int attempt, String why) {
    long millis = Math.min(MAX_BACKOFF.toMillis(), backoff.toMillis() << Math.min(attempt, 20));
    LOG.debug("retrying in {} ms after {}", millis, why);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.IO, "interrupted while waiting to retry " + why, e);
    }
  }

  int maxRetries() {
    return maxRetries;
  }

  private static JsonNode readBody(Response response) {
    HttpEntity entity = response.getEntity();
    if (entity == null) {
      return JsonValues.mapper().createObjectNode();
    }
    try {
      byte[] bytes = EntityUtils.toByteArray(entity);
      if (bytes.length == 0) {
        return JsonValues.mapper().createObjectNode();
      }
      try {
        return JsonValues.mapper().readTree(bytes);
      } catch (IOException e) {
        ObjectNode text = JsonValues.mapper().createObjectNode();
        text.put("text", new String(bytes, StandardCharsets.UTF_8));
        return text;
      }
    } catch (IOException e) {
      throw new FerryException(ErrorCode.IO, "cannot read Elasticsearch's response: " + e, e);
    }
  }

  /** Whether a failure is TLS's (the REST client re-wraps some as plain IOExceptions). */
  static boolean isTls(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t instanceof javax.net.ssl.SSLException
          || m.contains("certificate")
          || m.contains("PKIX")
          || m.contains("SSL")) {
        return true;
      }
    }
    return false;
  }

  FerryException connectionError(IOException e) {
    if (isTls(e)) {
      return new FerryException(
          TLS,
          "TLS with Elasticsearch at "
              + hosts
              + " failed ("
              + e.getMessage()
              + "): give the cluster's CA as caCertificate, or verifyHostname: false for a"
              + " certificate that names another host",
          EsOptions.HOSTS.name(),
          e);
    }
    String what =
        e instanceof ConnectException || e instanceof UnknownHostException
            ? "cannot connect to Elasticsearch at "
            : "lost the connection to Elasticsearch at ";
    return new FerryException(
        ErrorCode.CONNECTION, what + hosts + ": " + e, EsOptions.HOSTS.name(), e);
  }

  /** An error reply as an exception with the right code and, where one is, the option at fault. */
  FerryException error(String method, String path, Reply reply) {
    int status = reply.status();
    String message =
        method + " " + path + " failed with HTTP " + status + ": " + reason(reply.body());
    if (status == 401 || status == 403) {
      return new FerryException(ErrorCode.AUTHENTICATION, message, authOption, null);
    }
    if (status == 404) {
      return new FerryException(ErrorCode.NOT_FOUND, message);
    }
    if (retriableStatus(status) || status >= 500) {
      return new FerryException(UNAVAILABLE, message);
    }
    return new FerryException(REJECTED, message);
  }

  /** The error's type and reason, from Elasticsearch's error JSON. */
  static String reason(JsonNode body) {
    JsonNode error = body.path("error");
    if (error.isTextual()) {
      return error.asText();
    }
    if (error.isObject()) {
      String text = error.path("type").asText("") + ": " + error.path("reason").asText("");
      JsonNode cause = error.path("caused_by");
      if (cause.isObject()) {
        text += " (" + cause.path("type").asText("") + ": " + cause.path("reason").asText("") + ")";
      }
      JsonNode failed = error.path("failed_shards");
      if (failed.isArray() && failed.size() > 0 && error.path("root_cause").isArray()) {
        JsonNode root = error.path("root_cause").path(0);
        text += " [" + root.path("type").asText("") + ": " + root.path("reason").asText("") + "]";
      }
      return text;
    }
    return body.has("text") ? body.path("text").asText() : body.toString();
  }

  /** Whether an error reply has {@code type} as its error type or root cause. */
  static boolean hasErrorType(JsonNode body, String type) {
    JsonNode error = body.path("error");
    if (type.equals(error.path("type").asText())) {
      return true;
    }
    for (JsonNode cause : error.path("root_cause")) {
      if (type.equals(cause.path("type").asText())) {
        return true;
      }
    }
    return false;
  }

  static String encode(String pathPart) {
    return URLEncoder.encode(pathPart, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("%2C", ",")
        .replace("%2A", "*");
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      LOG.debug("closing the Elasticsearch client", e);
    }
  }

  /** A reply: HTTP status and JSON body (an empty object when there was none). */
  record Reply(int status, JsonNode body) {}

  enum Flavor {
    ELASTICSEARCH,
    OPENSEARCH
  }

  /**
   * The product and version at the hosts; the one place where the REST APIs of Elasticsearch and
   * OpenSearch differ for this connector (point in time).
   */
  record Server(Flavor flavor, Version version) {
    boolean openSearch() {
      return flavor == Flavor.OPENSEARCH;
    }

    /** Point in time: Elasticsearch 7.10, OpenSearch 2.4. */
    boolean hasPit() {
      return openSearch() ? version.atLeast(2, 4) : version.atLeast(7, 10);
    }

    /** The {@code _shard_doc} tiebreaker of point-in-time searches: Elasticsearch 7.12 only. */
    boolean hasShardDoc() {
      return !openSearch() && version.atLeast(7, 12);
    }

    /** The point-in-time endpoint: {@code /_pit}, or OpenSearch's. */
    String pitPath() {
      return openSearch() ? "/_search/point_in_time" : "/_pit";
    }

    /** The field of the open reply that holds the point-in-time id. */
    String pitIdField() {
      return openSearch() ? "pit_id" : "id";
    }

    /** The body of the close request. */
    ObjectNode closePitBody(String pit) {
      ObjectNode body = JsonValues.mapper().createObjectNode();
      if (openSearch()) {
        body.putArray("pit_id").add(pit);
      } else {
        body.put("id", pit);
      }
      return body;
    }

    @Override
    public String toString() {
      return (openSearch() ? "OpenSearch " : "Elasticsearch ") + version;
    }
  }

  /** A server version, e.g. 8.19.4. */
  record Version(int major, int minor, String text) {
    static Version parse(String text) {
      String[] parts = text.split("[.-]");
      try {
        return new Version(
            Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0, text);
      } catch (NumberFormatException e) {
        throw new FerryException(VERSION, "cannot read the server version from '" + text + "'");
      }
    }

    boolean atLeast(int major, int minor) {
      return this.major > major || (this.major == major && this.minor >= minor);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
