package io.ferry.connector.hdfs;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What ORC and Parquet files hold for Ferry's types (the README's type mapping): flat columns only;
 * TIME is written as text in ORC (which has no time type) and as Parquet's TIME.
 */
final class ColumnarTypes {
  static final ErrorCode UNSUPPORTED_TYPE = ErrorCode.user("hdfs.unsupported-type");

  /** The widest decimal both formats store as a decimal; wider or unconstrained ones are text. */
  static final int MAX_DECIMAL_PRECISION = 38;

  private ColumnarTypes() {}

  /**
   * Refuses the columns a columnar file cannot hold.
   *
   * @throws FerryException naming every nested column
   */
  static void checkWritable(Schema schema, FileType type) {
    List<String> nested = new ArrayList<>();
    for (Column c : schema.columns()) {
      if (c.type().kind().isNested()) {
        nested.add(c.name() + " " + c.type());
      }
    }
    if (!nested.isEmpty()) {
      throw new FerryException(
          UNSUPPORTED_TYPE,
          "fileType "
              + type.choice()
              + " does not write nested columns yet: "
              + String.join(", ", nested)
              + "; cast them to json or string, or use fileType text",
          HdfsOptions.FILE_TYPE.name(),
          null);
    }
  }

  /** Whether a decimal type is stored as a decimal (else as its plain text). */
  static boolean storedAsDecimal(DataType type) {
    return !type.isUnconstrainedDecimal() && type.precision() <= MAX_DECIMAL_PRECISION;
  }

  /**
   * {@code value} at the scale of {@code type} without rounding, or null when it does not fit the
   * type's precision and scale.
   */
  static BigDecimal fitDecimal(BigDecimal value, DataType type) {
    BigDecimal scaled;
    try {
      scaled = value.setScale(type.scale());
    } catch (ArithmeticException e) {
      return null;
    }
    return scaled.precision() - scaled.scale() > type.precision() - type.scale() ? null : scaled;
  }

  /** The reason a decimal does not fit, for the dirty-data store. */
  static String decimalMisfit(DataType type) {
    return "does not fit " + type + " without rounding";
  }
}
