package io.ferry.connector.datagen;

/**
 * The stateless hashing behind every generated value: SplitMix64's output function applied to
 * {@code seed + column salt + row × golden gamma}. A value therefore depends on (seed, row index,
 * column index) alone, so any reader of any split, resumed anywhere, produces the same rows as one
 * reader of the whole range. Costs a few multiplications and no allocation.
 */
final class SplitMix {
  /** The 64-bit golden ratio, SplitMix64's increment. */
  static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private SplitMix() {}

  /** SplitMix64's finalizer: a bijective, well-mixed hash of {@code z}. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The hash stream's origin for one column: distinct per seed and per column. */
  static long columnBase(long seed, long column) {
    return mix(seed ^ 0x5DEECE66DL) + mix(column + 0x632BE59BD9B4E019L);
  }

  /** The hash of one value of a column whose stream starts at {@code base}. */
  static long hash(long base, long row) {
    return mix(base + row * GOLDEN_GAMMA);
  }

  /**
   * A number in {@code [0, bound)} from the high bits of {@code hash}, without modulo bias worth
   * noticing; {@code bound} is unsigned and 0 stands for 2^64 (the full range).
   */
  static long below(long hash, long bound) {
    if (bound == 0) {
      return hash;
    }
    // Unsigned 64x64 -> high 64 bits (Math.unsignedMultiplyHigh arrives in Java 18).
    return Math.multiplyHigh(hash, bound) + ((hash >> 63) & bound) + ((bound >> 63) & hash);
  }

  /** A double in {@code [0, 1)} from the top 53 bits. */
  static double unit(long hash) {
    return (hash >>> 11) * 0x1.0p-53;
  }
}
