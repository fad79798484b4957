package io.ferry.connector.jdbc;

import io.ferry.connector.support.Values;
import io.ferry.spi.DataType;
import io.ferry.spi.Split;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Cuts a table into key ranges. A single integer key whose values are dense enough gets even ranges
 * between MIN and MAX; any other key (strings, composite keys, sparse or skewed integers) gets
 * quantile boundaries from a streamed, ordered read of the keys that keeps every k-th one, doubling
 * k whenever more than twice the wanted boundaries are kept, so memory stays bounded and the counts
 * per range come out exact. Without a usable key, or for a custom query, one split.
 *
 * <p>The first range has no lower bound and the last none above, so rows inserted outside the
 * planned MIN/MAX are still read.
 */
final class KeyRangePlanner {
  /** Even ranges only when the key range is at most this many times the row count. */
  private static final int MAX_SPARSENESS = 8;

  private final JdbcSource source;
  private final ReadPlan plan;
  private final Connection connection;
  private final Dialect dialect;

  KeyRangePlanner(JdbcSource source, ReadPlan plan, Connection connection) {
    this.source = source;
    this.plan = plan;
    this.connection = connection;
    this.dialect = source.dialect();
  }

  /** Up to {@code wanted} splits; none for an empty keyed table. */
  List<Split> plan(int wanted) throws SQLException {
    if (!plan.keyed()) {
      OptionalLong rows = source.tableRowEstimate(connection);
      return List.of(new JdbcSplit("all", List.of(), null, null, rows.orElse(-1)));
    }
    List<DataType> keyTypes = plan.keyTypes();
    if (keyTypes.size() == 1 && isInteger(keyTypes.get(0))) {
      List<Split> even = evenRanges(keyTypes.get(0), wanted);
      if (even != null) {
        return even;
      }
    }
    return sampledRanges(keyTypes, wanted);
  }

  private static boolean isInteger(DataType type) {
    return type.kind().isInteger() || (type.kind() == TypeKind.DECIMAL && type.scale() == 0);
  }

  /** Even ranges, or null when the keys are too sparse for them to be balanced. */
  private List<Split> evenRanges(DataType keyType, int wanted) throws SQLException {
    String key = dialect.sql().quote(plan.keyNames().get(0));
    String sql =
        "SELECT MIN("
            + key
            + "), MAX("
            + key
            + ") FROM "
            + plan.qualifiedTable()
            + (plan.where() == null ? "" : " WHERE (" + plan.where() + ")");
    BigDecimal min;
    BigDecimal max;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      min = rs.getBigDecimal(1);
      max = rs.getBigDecimal(2);
    }
    if (min == null || max == null) {
      return List.of();
    }
    BigInteger low = min.toBigIntegerExact();
    BigInteger range = max.toBigIntegerExact().subtract(low);
    OptionalLong rows = source.tableRowEstimate(connection);
    if (rows.isPresent()
        && range.compareTo(
                BigInteger.valueOf(rows.getAsLong())
                    .multiply(BigInteger.valueOf(MAX_SPARSENESS))
                    .add(BigInteger.valueOf(wanted)))
            > 0) {
      return null;
    }
    int n = (int) Math.min(wanted, range.add(BigInteger.ONE).longValue());
    List<Object[]> bounds = new ArrayList<>();
    Object previous = null;
    for (int i = 1; i < n; i++) {
      BigInteger b = low.add(range.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n)));
      Object value = Values.fromDecimal(new BigDecimal(b), keyType);
      if (!value.equals(previous)) {
        bounds.add(new Object[] {value});
        previous = value;
      }
    }
    long[] estimates = new long[bounds.size() + 1];
    if (rows.isPresent()) {
      for (int i = 0; i < estimates.length; i++) {
        estimates[i] =
            rows.getAsLong() * (i + 1) / estimates.length - rows.getAsLong() * i / estimates.length;
      }
    } else {
      java.util.Arrays.fill(estimates, -1);
    }
    return splits(List.of(keyType), bounds, estimates);
  }

  /** Quantile ranges from every k-th key of an ordered, streamed read. */
  private List<Split> sampledRanges(List<DataType> keyTypes, int wanted) throws SQLException {
    int capacity = Math.max(2, 2 * wanted);
    List<Object[]> kept = new ArrayList<>(capacity + 1);
    long step = 1;
    long count = 0;
    List<JdbcColumn> keyColumns = plan.keyColumns();
    int[] keyIndexes = plan.keyIndexes();
    ColumnReader[] readers = new ColumnReader[keyIndexes.length];
    for (int k = 0; k < readers.length; k++) {
      readers[k] = plan.readers()[keyIndexes[k]];
    }
    String sql = dialect.sql().sampleSql(plan.qualifiedTable(), plan.keyNames(), plan.where());
    try (PreparedStatement s =
        connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      dialect.prepareStreaming(connection, s, source.fetchSize());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          count++;
          if (count % step != 0) {
            continue;
          }
          Object[] key = new Object[readers.length];
          for (int k = 0; k < readers.length; k++) {
            key[k] = readers[k].read(rs, k + 1);
          }
          kept.add(key);
          if (kept.size() > capacity) {
            // Keep the keys at multiples of 2 × step: every second one.
            List<Object[]> halved = new ArrayList<>(capacity + 1);
            for (int i = 1; i < kept.size(); i += 2) {
              halved.add(kept.get(i));
            }
            kept = halved;
            step *= 2;
          }
        }
      }
    } finally {
      if (!connection.getAutoCommit()) {
        connection.rollback();
      }
    }
    if (count == 0) {
      return List.of();
    }
    // kept.get(j) is the key of row (j + 1) * step, counting from 1.
    List<Object[]> bounds = new ArrayList<>();
    List<Long> ordinals = new ArrayList<>();
    int n = (int) Math.min(wanted, count);
    long lastOrdinal = 0;
    for (int i = 1; i < n; i++) {
      long target = count * i / n;
      int j = (int) Math.min(kept.size() - 1, Math.max(0, Math.round((double) target / step) - 1));
      long ordinal = (j + 1) * step;
      if (ordinal > lastOrdinal && ordinal < count) {
        bounds.add(kept.get(j));
        ordinals.add(ordinal);
        lastOrdinal = ordinal;
      }
    }
    long[] estimates = new long[bounds.size() + 1];
    long previous = 0;
    for (int i = 0; i < bounds.size(); i++) {
      estimates[i] = ordinals.get(i) - previous;
      previous = ordinals.get(i);
    }
    estimates[bounds.size()] = count - previous;
    return splits(keyTypes, bounds, estimates);
  }

  /** Ranges between consecutive boundaries, open at both ends of the table. */
  private List<Split> splits(List<DataType> keyTypes, List<Object[]> bounds, long[] estimates) {
    List<Split> splits = new ArrayList<>(bounds.size() + 1);
    for (int i = 0; i <= bounds.size(); i++) {
      Object[] lower = i == 0 ? null : bounds.get(i - 1);
      Object[] upper = i == bounds.size() ? null : bounds.get(i);
      splits.add(new JdbcSplit("range-" + i, keyTypes, lower, upper, estimates[i]));
    }
    return splits;
  }
}
