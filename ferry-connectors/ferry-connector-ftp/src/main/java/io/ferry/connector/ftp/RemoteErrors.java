package io.ferry.connector.ftp;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;

/**
 * The errors of the ftp and sftp connectors, each naming the option at fault where there is one.
 */
final class RemoteErrors {
  private RemoteErrors() {}

  /** A host name that does not resolve: fixed by the user, not by a retry. */
  static final ErrorCode UNKNOWN_HOST = ErrorCode.user("remote.unknown-host");

  /** The SFTP server's host key is not the one in known_hosts, or is not there. */
  static final ErrorCode HOST_KEY = ErrorCode.external("sftp.host-key-rejected", false);

  /** The server refused an operation for a reason a retry will not change (permissions...). */
  static final ErrorCode REFUSED = ErrorCode.external("remote.refused", false);

  /** A lost connection, a timeout, or a transfer the server did not complete: retriable. */
  static final ErrorCode IO = ErrorCode.external("remote.io", true);

  /** An output that appeared while the job ran and that overwrite does not allow to replace. */
  static final ErrorCode OUTPUT_EXISTS = ErrorCode.user("remote.exists");

  static FerryException connection(String where, Throwable cause) {
    return new FerryException(
        ErrorCode.CONNECTION,
        "cannot connect to " + where + ": " + message(cause),
        RemoteOptions.HOST.name(),
        cause);
  }

  static FerryException unknownHost(String host, Throwable cause) {
    return new FerryException(
        UNKNOWN_HOST, "unknown host '" + host + "'", RemoteOptions.HOST.name(), cause);
  }

  static FerryException authentication(String where, String user, String detail, Throwable cause) {
    return new FerryException(
        ErrorCode.AUTHENTICATION,
        "login to " + where + " as '" + user + "' failed" + (detail == null ? "" : ": " + detail),
        RemoteOptions.PASSWORD.name(),
        cause);
  }

  static FerryException notFound(String path, String option) {
    return new FerryException(ErrorCode.NOT_FOUND, path + ": no such file or folder", option, null);
  }

  static FerryException io(String what, Throwable cause) {
    return new FerryException(IO, what + ": " + message(cause), cause);
  }

  static FerryException refused(String what, String reply) {
    return new FerryException(REFUSED, what + ": " + reply);
  }

  static String message(Throwable e) {
    if (e == null) {
      return "";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
