package io.ferry.connector.jdbc;

import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;

/** The Ferry types the generic dialect round-trips on H2: all but JSON and nested values. */
final class H2Types {
  private H2Types() {}

  static boolean supported(DataType type) {
    return type.kind() != TypeKind.JSON && !type.kind().isNested();
  }
}
