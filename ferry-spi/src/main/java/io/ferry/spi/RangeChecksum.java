package io.ferry.spi;

import java.util.Objects;

/**
 * The count and hash of a set of rows, computed by a store ({@link Source#checksum}) or by Ferry
 * from rows it read, in one canonical form, so that two stores holding the same values give the
 * same result however each spells them.
 *
 * <p><b>Canonical text of a value</b>, by the Ferry type the column is hashed as:
 *
 * <ul>
 *   <li>BOOLEAN {@code 1} or {@code 0}; integers in decimal; DECIMAL without trailing fractional
 *       zeros ({@code 1.50} is {@code 1.5}, {@code 2.00} is {@code 2}), so integers, booleans and
 *       decimals of any scale compare by value;
 *   <li>STRING the text itself (fixed-length CHAR without its pad spaces);
 *   <li>BYTES lower-case hex;
 *   <li>DATE {@code yyyy-MM-dd}; TIME {@code HH:mm:ss} and TIMESTAMP {@code yyyy-MM-dd HH:mm:ss},
 *       each with {@code .} and exactly as many fractional digits as the type's precision
 *       (truncated); TIMESTAMP_TZ as TIMESTAMP, of the instant in UTC.
 * </ul>
 *
 * Other kinds (floats, JSON, nested values) have no canonical text a store computes alike: a store
 * returns no checksum for them.
 *
 * <p><b>Row text</b>: for each column in order, {@code N;} for NULL, else {@code V<n>:<text>;}
 * where {@code <n>} is the number of Unicode code points of the text. The length prefix and the
 * separate NULL marker keep different rows apart: {@code ('a', NULL)} is {@code V1:a;N;}, {@code
 * (NULL, 'a')} is {@code N;V1:a;}, {@code ('12','3')} is {@code V2:12;V1:3;} and {@code ('1','23')}
 * is {@code V1:1;V2:23;}; NULL, {@code ''} and {@code 'NULL'} are {@code N;}, {@code V0:;} and
 * {@code V4:NULL;}.
 *
 * <p><b>Hash</b>: the MD5 of the row text's UTF-8 bytes, as 32 hex digits; {@code high} is the sum
 * over all rows of the number its hex digits 1–15 make, {@code low} the sum of digits 16–30 (60
 * bits each, so both sums are exact integers in every store). A sum, not an XOR, so a row present
 * twice does not cancel out.
 *
 * @param rows the number of rows
 * @param high the sum of the first 60 bits of the rows' hashes, in decimal
 * @param low the sum of the next 60 bits, in decimal
 */
public record RangeChecksum(long rows, String high, String low) {
  public RangeChecksum {
    Objects.requireNonNull(high, "high is null");
    Objects.requireNonNull(low, "low is null");
  }

  /** The checksum of no rows. */
  public static RangeChecksum empty() {
    return new RangeChecksum(0, "0", "0");
  }
}
