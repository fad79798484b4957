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
 *   <li>BOOLEAN {@code 1} or {@code 0}; integers in decimal;
 *   <li>DECIMAL: hashed as a constrained {@code decimal(p, s)}, with exactly {@code s} fractional
 *       digits ({@code 1.50} at scale 2); hashed as the unconstrained decimal ({@link
 *       DataType#isUnconstrainedDecimal}), by value: without trailing fractional zeros ({@code
 *       1.50} is {@code 1.5}, {@code 2.00} is {@code 2}). The verification hashes a pair of
 *       decimals of the same declared scale at that scale, any other pair of numbers (integers,
 *       booleans, decimals of other scales) by value;
 *   <li>STRING the text itself (fixed-length CHAR without its pad spaces);
 *   <li>BYTES lower-case hex;
 *   <li>DATE {@code yyyy-MM-dd}; TIME {@code HH:mm:ss} and TIMESTAMP {@code yyyy-MM-dd HH:mm:ss},
 *       each with {@code .} and exactly as many fractional digits as the type's precision
 *       (truncated); TIMESTAMP_TZ as TIMESTAMP, of the instant in UTC.
 * </ul>
 *
 * Other kinds (floats, JSON, nested values) have no canonical text a store computes alike: a store
 * returns no checksum for them. No canonical text of a kind other than STRING holds {@code ;} or is
 * {@code N}.
 *
 * <p><b>Row text</b>: for each column in order, a field and {@code ;}: {@code N} for NULL; for a
 * STRING value {@code <n>:<text>}, where {@code <n>} is the number of bytes of the text in UTF-8;
 * for any other value its text. The row text can be read back column by column (a string's field by
 * its length, any other up to its {@code ;}), so different rows have different texts: {@code ('a',
 * NULL)} is {@code 1:a;N;}, {@code (NULL, 'a')} is {@code N;1:a;}, {@code ('12','3')} is {@code
 * 2:12;1:3;} and {@code ('1','23')} is {@code 1:1;2:23;}; NULL, {@code ''}, {@code 'N'} and {@code
 * 'NULL'} are {@code N;}, {@code 0:;}, {@code 1:N;} and {@code 4:NULL;}; {@code ('a;1:b', 'c')} is
 * {@code 5:a;1:b;1:c;}, not {@code ('a', 'b;1:c')}'s {@code 1:a;5:b;1:c;}. The form costs one pass
 * over each value: no length of a formatted text, no per-column branch in SQL.
 *
 * <p><b>Hash</b>: the MD5 of the row text's UTF-8 bytes, as 32 hex digits, computed once per row;
 * {@code sum} is the sum over all rows of the number its first 15 hex digits make (60 bits, so the
 * sum is an exact integer in every store). A sum, not an XOR, so a row present twice does not
 * cancel out; with the row count, two different sets of rows agree by chance with a probability of
 * about 2<sup>-60</sup>.
 *
 * @param rows the number of rows
 * @param sum the sum of the first 60 bits of the rows' hashes, in decimal
 */
public record RangeChecksum(long rows, String sum) {
  public RangeChecksum {
    Objects.requireNonNull(sum, "sum is null");
  }

  /** The checksum of no rows. */
  public static RangeChecksum empty() {
    return new RangeChecksum(0, "0");
  }
}
