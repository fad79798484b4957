package io.ferry.connector.kafka;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Options;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Client settings from the connection options, and Kafka failures as Ferry errors. */
final class KafkaClients {
  static final ErrorCode TOPIC_NOT_FOUND = ErrorCode.user("kafka.topic-not-found");
  static final ErrorCode OFFSET_OUT_OF_RANGE = ErrorCode.user("kafka.offset-out-of-range");
  static final ErrorCode KAFKA_FAILED = ErrorCode.external("kafka.failed", false);
  static final ErrorCode KAFKA_UNAVAILABLE = ErrorCode.external("kafka.unavailable", true);
  static final ErrorCode NOT_AUTHORIZED = ErrorCode.user("kafka.not-authorized");
  static final ErrorCode KEY_MISSING = ErrorCode.user("kafka.key-missing");

  private KafkaClients() {}

  /**
   * The connector's own class loader: a distribution loads each connector with its own, while the
   * thread's context class loader is the application's; the client loads classes it is configured
   * with (and JAAS its login modules) through the context class loader.
   */
  private static final ClassLoader OWN = KafkaClients.class.getClassLoader();

  /** Creates a client with this connector's class loader as the thread's context class loader. */
  static <T> T create(java.util.function.Supplier<T> client) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(OWN);
    try {
      return client.get();
    } catch (org.apache.kafka.common.config.ConfigException e) {
      // Only the properties map can hold a setting the client rejects: the rest is Ferry's.
      throw FerryException.option(
          ErrorCode.OPTION_INVALID,
          KafkaOptions.PROPERTIES.name(),
          "the Kafka client refuses a setting: " + e.getMessage());
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** The settings every client of these options shares: servers, security, timeouts, extras. */
  static Properties common(Options options, String clientId) {
    Properties p = new Properties();
    p.put(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        String.join(",", options.get(KafkaOptions.BOOTSTRAP_SERVERS)));
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    int timeout =
        (int) Math.min(Integer.MAX_VALUE, options.get(KafkaOptions.REQUEST_TIMEOUT).toMillis());
    p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    KafkaOptions.SecurityProtocol protocol = options.get(KafkaOptions.SECURITY_PROTOCOL);
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name());
    if (protocol.sasl()) {
      KafkaOptions.SaslMechanism mechanism = options.get(KafkaOptions.SASL_MECHANISM);
      p.put(SaslConfigs.SASL_MECHANISM, mechanism.kafkaName);
      p.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          mechanism.loginModule
              + " required username=\""
              + jaasEscape(options.get(KafkaOptions.USERNAME))
              + "\" password=\""
              + jaasEscape(options.get(KafkaOptions.PASSWORD))
              + "\";");
    }
    Map<String, String> extra = options.get(KafkaOptions.PROPERTIES);
    if (extra != null) {
      p.putAll(extra);
    }
    return p;
  }

  /** The cross-option checks of the connection: SASL needs a user and a password. */
  static void checkConnection(Options options, List<io.ferry.spi.OptionProblem> problems) {
    if (options.get(KafkaOptions.SECURITY_PROTOCOL).sasl()) {
      if (options.get(KafkaOptions.USERNAME) == null) {
        problems.add(
            new io.ferry.spi.OptionProblem(
                KafkaOptions.USERNAME.name(), "securityProtocol sasl-* needs a username"));
      }
      if (options.get(KafkaOptions.PASSWORD) == null) {
        problems.add(
            new io.ferry.spi.OptionProblem(
                KafkaOptions.PASSWORD.name(), "securityProtocol sasl-* needs a password"));
      }
    } else if (options.has(KafkaOptions.USERNAME)) {
      problems.add(
          new io.ferry.spi.OptionProblem(
              KafkaOptions.USERNAME.name(),
              "a user needs securityProtocol sasl-plaintext or sasl-ssl"));
    }
  }

  private static String jaasEscape(String text) {
    return text == null ? "" : text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /**
   * What a live check reports when the brokers could not be used: no broker answering (a problem on
   * bootstrapServers), SASL refusing the user (on password), a TLS handshake failing (on
   * properties, where the truststore is given, or on securityProtocol). Empty for any other
   * failure, which the check throws.
   */
  static java.util.Optional<io.ferry.spi.OptionProblem> connectionProblem(
      Options options, FerryException f) {
    String servers = String.join(",", options.get(KafkaOptions.BOOTSTRAP_SERVERS));
    String option;
    String message;
    if (f.getCause() instanceof org.apache.kafka.common.errors.SslAuthenticationException) {
      option =
          options.get(KafkaOptions.SECURITY_PROTOCOL).tls()
              ? KafkaOptions.PROPERTIES.name()
              : KafkaOptions.SECURITY_PROTOCOL.name();
      message = "the TLS handshake with " + servers + " failed: " + f.getCause().getMessage();
    } else if (f.code().equals(ErrorCode.AUTHENTICATION)) {
      option = KafkaOptions.PASSWORD.name();
      message =
          "the brokers "
              + servers
              + " refused the authentication of "
              + options.get(KafkaOptions.USERNAME)
              + ": "
              + f.getCause().getMessage();
    } else if (f.code().equals(KAFKA_UNAVAILABLE)) {
      option = KafkaOptions.BOOTSTRAP_SERVERS.name();
      message =
          "no broker of "
              + servers
              + " answered: "
              + (f.getCause() != null ? f.getCause().getMessage() : f.getMessage());
    } else {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new io.ferry.spi.OptionProblem(option, message));
  }

  /** A Kafka failure as a Ferry error, retriable where Kafka says a retry may help. */
  static FerryException failure(String what, Throwable e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof FerryException f) {
      return f;
    }
    String message = what + ": " + cause.getMessage();
    if (cause instanceof AuthenticationException) {
      return new FerryException(ErrorCode.AUTHENTICATION, message, cause);
    }
    if (cause instanceof AuthorizationException) {
      return new FerryException(NOT_AUTHORIZED, message, cause);
    }
    if (cause instanceof UnknownTopicOrPartitionException) {
      return new FerryException(TOPIC_NOT_FOUND, message, cause);
    }
    if (cause instanceof TimeoutException || cause instanceof RetriableException) {
      return new FerryException(KAFKA_UNAVAILABLE, message, cause);
    }
    return new FerryException(KAFKA_FAILED, message, cause);
  }
}
