package io.ferry.connector.ftp;

import io.ferry.connector.file.FileOptions;
import io.ferry.connector.file.TextSourceFormat;
import io.ferry.connector.support.CommonOptions;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of the ftp and sftp connectors: connection options declared here, the others taken
 * from the file connector ({@link TextSourceFormat#options()}, {@link FileOptions#sinkOptions()}).
 */
final class RemoteOptions {
  private RemoteOptions() {}

  static final Option<String> HOST =
      Option.string("host")
          .endpoint()
          .required()
          .validator(Validator.notBlank())
          .description("The server's host name or IP address.")
          .build();

  static final Option<Integer> FTP_PORT =
      Option.integer("port")
          .endpoint()
          .defaultValue(21)
          .validator(Validator.range(1, 65535))
          .description("The server's control port.")
          .build();

  static final Option<Integer> SFTP_PORT =
      Option.integer("port")
          .endpoint()
          .defaultValue(22)
          .validator(Validator.range(1, 65535))
          .description("The server's SSH port.")
          .build();

  static final Option<String> FTP_USER =
      Option.string("user")
          .defaultValue("anonymous")
          .validator(Validator.notBlank())
          .description("The user to log in as; anonymous unless given.")
          .build();

  static final Option<String> SFTP_USER =
      Option.string("user")
          .required()
          .validator(Validator.notBlank())
          .description("The SSH user to log in as.")
          .build();

  static final Option<String> PASSWORD =
      Option.string("password")
          .secret()
          .description("The user's password (FTP; for SFTP unless privateKey is given).")
          .build();

  static final Option<String> PRIVATE_KEY =
      Option.string("privateKey")
          .validator(Validator.notBlank())
          .description(
              "Path of a private key file (OpenSSH or PEM) to log in with instead of or before the"
                  + " password.")
          .build();

  static final Option<String> PASSPHRASE =
      Option.string("passphrase")
          .secret()
          .description("The passphrase of an encrypted privateKey.")
          .build();

  static final Option<String> KNOWN_HOSTS =
      Option.string("knownHosts")
          .endpoint()
          .validator(Validator.notBlank())
          .description(
              "The OpenSSH known_hosts file that holds the server's host key; ~/.ssh/known_hosts"
                  + " unless given.")
          .build();

  static final Option<HostKeyChecking> HOST_KEY_CHECKING =
      Option.enumeration("hostKeyChecking", HostKeyChecking.class)
          .endpoint()
          .defaultValue(HostKeyChecking.STRICT)
          .description(
              "strict: the server's host key must be listed in knownHosts, or the connection is"
                  + " refused. off: any host key is accepted (tests, trusted networks only: it"
                  + " allows a man in the middle).")
          .build();

  static final Option<Boolean> PASSIVE_MODE =
      Option.bool("passiveMode")
          .defaultValue(true)
          .description(
              "FTP passive mode: the client opens the data connections (works through firewalls"
                  + " and NAT). false: active mode, the server connects back to the client.")
          .build();

  static final Option<Duration> CONNECT_TIMEOUT =
      Option.duration("connectTimeout")
          .defaultValue(Duration.ofSeconds(30))
          .validator(v -> v.isNegative() || v.isZero() ? "must be positive" : null)
          .description("How long to wait for a connection (and, SFTP, the SSH handshake).")
          .build();

  static final Option<Duration> READ_TIMEOUT =
      Option.duration("readTimeout")
          .defaultValue(Duration.ofSeconds(60))
          .validator(v -> v.isNegative() || v.isZero() ? "must be positive" : null)
          .description(
              "How long a read from the server may block before the connection counts as lost.")
          .build();

  /**
   * Deprecated (also under its older name {@code retries}): the job setting {@code
   * settings.maxRetries}; the connector does not use it.
   */
  static final Option<Integer> MAX_RETRIES = CommonOptions.deprecatedMaxRetries("retries");

  /** Deprecated: the job setting {@code settings.retryBackoff}. */
  static final Option<Duration> RETRY_BACKOFF = CommonOptions.deprecatedRetryBackoff();

  static final Option<String> SOURCE_PATH =
      Option.string("path")
          .required()
          .validator(Validator.notBlank())
          .description(
              "What to read on the server: one file, a directory (every regular, non-hidden file"
                  + " directly in it) or a file name pattern with * and ? in the last segment, such"
                  + " as /data/orders-*.csv.gz.")
          .build();

  /** Whether the options are for the ftp or the sftp connector. */
  enum Protocol {
    FTP,
    SFTP
  }

  static List<Option<?>> connection(Protocol protocol) {
    List<Option<?>> options = new ArrayList<>();
    options.add(HOST);
    if (protocol == Protocol.FTP) {
      options.addAll(List.of(FTP_PORT, FTP_USER, PASSWORD, PASSIVE_MODE));
    } else {
      options.addAll(
          List.of(
              SFTP_PORT,
              SFTP_USER,
              PASSWORD,
              PRIVATE_KEY,
              PASSPHRASE,
              KNOWN_HOSTS,
              HOST_KEY_CHECKING));
    }
    options.addAll(List.of(CONNECT_TIMEOUT, READ_TIMEOUT, MAX_RETRIES, RETRY_BACKOFF));
    return options;
  }

  static OptionSet source(Protocol protocol) {
    List<Option<?>> options = connection(protocol);
    options.add(SOURCE_PATH);
    options.addAll(TextSourceFormat.options());
    return OptionSet.of(options);
  }

  static OptionSet sink(Protocol protocol) {
    List<Option<?>> options = connection(protocol);
    options.addAll(FileOptions.sinkOptions());
    return OptionSet.of(options);
  }

  /** How the SFTP client checks the server's host key. */
  enum HostKeyChecking {
    STRICT,
    OFF
  }
}
