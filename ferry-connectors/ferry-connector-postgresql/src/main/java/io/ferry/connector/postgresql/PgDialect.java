package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.BulkTarget;
import io.ferry.connector.jdbc.BulkWriter;
import io.ferry.connector.jdbc.ColumnBinder;
import io.ferry.connector.jdbc.ColumnReader;
import io.ferry.connector.jdbc.Dialect;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.ReadSnapshot;
import io.ferry.connector.jdbc.ServerAddress;
import io.ferry.connector.jdbc.SqlStates;
import io.ferry.connector.jdbc.StandardTypes;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * PostgreSQL: URLs from host/port/database, a session in the job's time zone with ISO-8601
 * intervals, streaming reads in a transaction, exported snapshots shared by all readers, COPY for
 * bulk writes (a staging table for upsert), {@code INSERT ... ON CONFLICT} for upserts by
 * statement, and the type mapping documented in the README.
 */
public final class PgDialect implements Dialect {
  static final int DEFAULT_PORT = 5432;

  /** Precision that marks an unconstrained {@code numeric}: values keep their own scale. */
  static final int UNCONSTRAINED_PRECISION = 1000;

  private static final Pattern COLUMN_IN_WHERE = Pattern.compile(", column (.+?)(?::|$)");

  @Override
  public String name() {
    return "postgresql";
  }

  /** PostgreSQL range-scans an index for {@code (a, b) > (?, ?)}; the OR expansion it does not. */
  @Override
  public boolean supportsRowValueComparison() {
    return true;
  }

  // ---- connections ---------------------------------------------------------------------------

  @Override
  public boolean buildsUrls() {
    return true;
  }

  @Override
  public String url(String host, OptionalInt port, String database) {
    return clusterUrl(List.of(ServerAddress.of(host, port)), database).orElseThrow();
  }

  /**
   * {@code jdbc:postgresql://h1:5432,h2:5432/db}: pgjdbc tries the servers in order and takes the
   * first that answers and has the wanted role, {@code targetServerType} (see {@link
   * #clusterProperties}).
   */
  @Override
  public Optional<String> clusterUrl(List<ServerAddress> servers, String database) {
    return Optional.of(
        "jdbc:postgresql://"
            + ServerAddress.toUrlPart(servers, DEFAULT_PORT)
            + "/"
            + (database == null ? "" : URLEncoder.encode(database, StandardCharsets.UTF_8)));
  }

  /**
   * {@code targetServerType=primary}: the server that takes writes, for sources, sinks and catalogs
   * alike. A source can read from standbys with {@code properties: {targetServerType:
   * preferSecondary}} (add {@code loadBalanceHosts: true} to spread its connections).
   */
  @Override
  public Map<String, String> clusterProperties(List<ServerAddress> servers) {
    return Map.of("targetServerType", "primary");
  }

  /**
   * pgjdbc's {@code connectTimeout}, in whole seconds (at least 1; its default is 10 s): how long
   * it waits for each server's TCP connection before trying the next.
   */
  @Override
  public Map<String, String> connectTimeoutProperties(Duration connectTimeout) {
    return Map.of("connectTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
  }

  @Override
  public Map<String, String> driverProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("ApplicationName", "ferry");
    // Strings bound as parameters take the target column's type: uuid, enum, json, inet, interval.
    p.put("stringtype", "unspecified");
    // The batched fallback sends multi-row INSERTs.
    p.put("reWriteBatchedInserts", "true");
    p.put("tcpKeepAlive", "true");
    return p;
  }

  @Override
  public void initSession(Connection connection, ZoneId zone) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT set_config('TimeZone', ?, false), set_config('IntervalStyle', 'iso_8601',"
                + " false), set_config('lc_monetary', 'C', false)")) {
      s.setString(1, timeZoneName(zone));
      s.executeQuery().close();
    }
  }

  /**
   * The zone as PostgreSQL's {@code TimeZone} setting reads it. A fixed offset is written in POSIX
   * form, whose sign is the inverse of ISO's: {@code +08:00} is {@code <+08:00>-08:00}.
   */
  static String timeZoneName(ZoneId zone) {
    ZoneId z = zone.normalized();
    if (z instanceof ZoneOffset offset) {
      if (offset.getTotalSeconds() == 0) {
        return "UTC";
      }
      String iso = offset.getId();
      String posix = iso.startsWith("+") ? "-" + iso.substring(1) : "+" + iso.substring(1);
      return "<" + iso.replace(":", "") + ">" + posix;
    }
    return z.getId();
  }

  /**
   * A protocol violation (08P01) while connecting: something accepted the connection but does not
   * speak PostgreSQL's protocol, e.g. another service on that port, or a proxy or firewall that
   * answers for a host it cannot reach. pgjdbc first asks for SSL ({@code sslmode=prefer}), so it
   * reports "An error occurred while setting up the SSL connection.", which points at SSL settings
   * instead of the address.
   */
  @Override
  public String connectionFailureReason(SQLException e) {
    if (SqlStates.hasState(e, "08P01")) {
      return "no PostgreSQL server answers there: something accepted the connection but does not"
          + " speak PostgreSQL's protocol (another service on that port, or a proxy or firewall"
          + " answering for a host it cannot reach); check host and port";
    }
    return null;
  }

  @Override
  public boolean isRetriable(SQLException e) {
    if (isAuthenticationFailure(e)) {
      return false;
    }
    return Dialect.super.isRetriable(e)
        || SqlStates.hasState(e, "57P01")
        || SqlStates.hasState(e, "57P02")
        || SqlStates.hasState(e, "57P03");
  }

  @Override
  public boolean isDataError(SQLException e) {
    return isRowError(e);
  }

  /** Errors of one row's data: class 22 (data exception), 23 (integrity), 54000 (too large). */
  static boolean isRowError(SQLException e) {
    return SqlStates.hasClass(e, "22")
        || SqlStates.hasClass(e, "23")
        || SqlStates.hasState(e, "54000");
  }

  /**
   * The column the server names: the error's column field (NOT NULL), the COPY context's {@code
   * column x}, then a quoted column name in the message.
   */
  @Override
  public String faultyColumn(SQLException e, List<String> columns) {
    if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
      ServerErrorMessage m = p.getServerErrorMessage();
      if (m.getColumn() != null && columns.contains(m.getColumn())) {
        return m.getColumn();
      }
      if (m.getWhere() != null) {
        Matcher matcher = COLUMN_IN_WHERE.matcher(m.getWhere());
        if (matcher.find() && columns.contains(matcher.group(1))) {
          return matcher.group(1);
        }
      }
    }
    return Dialect.super.faultyColumn(e, columns);
  }

  // ---- types ---------------------------------------------------------------------------------

  @Override
  public DataType ferryType(JdbcColumn column) {
    String name = column.typeName().toLowerCase(Locale.ROOT);
    if (name.startsWith("_")) {
      DataType element = elementType(name.substring(1), column);
      return element == null ? DataType.STRING : DataType.array(element);
    }
    DataType scalar = scalarType(name, column);
    return scalar != null ? scalar : StandardTypes.ferryType(column);
  }

  private static DataType scalarType(String name, JdbcColumn column) {
    return switch (name) {
      case "int2" -> DataType.INT16;
      case "int4" -> DataType.INT32;
      case "int8" -> DataType.INT64;
      case "float4" -> DataType.FLOAT32;
      case "float8" -> DataType.FLOAT64;
      case "bool" -> DataType.BOOLEAN;
      case "numeric" ->
          column.precision() <= 0 || column.precision() > UNCONSTRAINED_PRECISION
              ? DataType.decimal(UNCONSTRAINED_PRECISION, 0)
              : DataType.decimal(column.precision(), Math.max(0, column.scale()));
      case "money" -> DataType.decimal(19, 2);
      case "text",
          "varchar",
          "bpchar",
          "char",
          "name",
          "citext",
          "uuid",
          "xml",
          "interval",
          "timetz",
          "inet",
          "cidr",
          "macaddr",
          "macaddr8",
          "varbit",
          "tsvector",
          "point" ->
          DataType.STRING;
      case "bit" -> column.precision() == 1 ? DataType.BOOLEAN : DataType.STRING;
      case "bytea" -> DataType.BYTES;
      case "json", "jsonb" -> DataType.JSON;
      case "date" -> DataType.DATE;
      case "time" -> DataType.time(fraction(column.scale()));
      case "timestamp" -> DataType.timestamp(fraction(column.scale()));
      case "timestamptz" -> DataType.timestampTz(fraction(column.scale()));
      default ->
          // Enums and domains over text report VARCHAR; other unknown types are read as text.
          column.sqlType() == Types.OTHER || column.sqlType() == Types.VARCHAR
              ? DataType.STRING
              : null;
    };
  }

  /** Element type of an array column; the driver reports no element precision. */
  private static DataType elementType(String name, JdbcColumn column) {
    JdbcColumn element =
        new JdbcColumn(
            column.name(),
            Types.OTHER,
            name,
            name.equals("numeric") ? 0 : column.precision(),
            column.scale(),
            true,
            false);
    DataType type = scalarType(name, element);
    return type == null ? DataType.STRING : type;
  }

  private static int fraction(int scale) {
    return scale >= 0 && scale <= 6 ? scale : DataType.DEFAULT_FRACTION;
  }

  @Override
  public ColumnReader reader(JdbcColumn column, DataType type) {
    String name = column.typeName().toLowerCase(Locale.ROOT);
    if (type.kind() == TypeKind.ARRAY) {
      DataType element = type.elementType();
      return (rs, i) -> {
        String text = rs.getString(i);
        return text == null ? null : parseArray(text, element);
      };
    }
    if (type.kind() == TypeKind.DECIMAL) {
      // Unconstrained numeric: the value's own scale. money: the driver strips '$' and ','.
      return decimalReader(
          type.precision() == UNCONSTRAINED_PRECISION || name.equals("money")
              ? (rs, i) -> rs.getBigDecimal(i)
              : StandardTypes.reader(type));
    }
    if (type.kind() == TypeKind.BOOLEAN && name.equals("bit")) {
      return (rs, i) -> {
        String text = rs.getString(i);
        return text == null ? null : text.equals("1");
      };
    }
    return StandardTypes.reader(type);
  }

  /**
   * {@code numeric}'s NaN, Infinity and -Infinity have no {@link BigDecimal}, so Ferry's decimal
   * cannot carry them: the driver's getter fails on them, and they become the row's dirty-row
   * reason instead of failing the read. Other values cost nothing extra.
   */
  private static ColumnReader decimalReader(ColumnReader reader) {
    return (rs, i) -> {
      try {
        return reader.read(rs, i);
      } catch (SQLException e) {
        String text = rs.getString(i);
        if (text != null && NOT_A_DECIMAL.contains(text)) {
          throw new IllegalArgumentException(
              text
                  + " is not representable in Ferry's decimal, which has no NaN or infinity;"
                  + " to carry it, read the column as double precision or text with query:"
                  + " (e.g. col::float8)");
        }
        throw e;
      }
    };
  }

  private static final Set<String> NOT_A_DECIMAL = Set.of("NaN", "Infinity", "-Infinity");

  /** A one-dimensional array's output text as a list of Ferry values of {@code element}. */
  static List<Object> parseArray(String text, DataType element) {
    List<String> parts = PgArrayLiteral.parse(text);
    List<Object> out = new ArrayList<>(parts.size());
    for (String p : parts) {
      out.add(p == null ? null : elementValue(p, element));
    }
    return out;
  }

  private static final DateTimeFormatter TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .toFormatter(Locale.ROOT);
  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral(' ')
          .append(TIME)
          .toFormatter(Locale.ROOT);
  private static final DateTimeFormatter TIMESTAMP_TZ =
      new DateTimeFormatterBuilder()
          .append(TIMESTAMP)
          .appendOffset("+HH:mm:ss", "+00")
          .toFormatter(Locale.ROOT);

  private static Object elementValue(String text, DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> text.equals("t");
      case INT16 -> Short.parseShort(text);
      case INT32 -> Integer.parseInt(text);
      case INT64 -> Long.parseLong(text);
      case FLOAT32 -> Float.parseFloat(text);
      case FLOAT64 -> Double.parseDouble(text);
      case DECIMAL -> {
        BigDecimal d = new BigDecimal(text);
        yield type.precision() == UNCONSTRAINED_PRECISION ? d : d.setScale(type.scale());
      }
      case BYTES -> HexFormat.of().parseHex(text.substring(2));
      case DATE -> LocalDate.parse(text);
      case TIME -> LocalTime.parse(text, TIME);
      case TIMESTAMP -> LocalDateTime.parse(text, TIMESTAMP);
      case TIMESTAMP_TZ -> OffsetDateTime.parse(text, TIMESTAMP_TZ);
      case JSON -> text;
      default -> text;
    };
  }

  @Override
  public ColumnBinder binder(DataType type, JdbcColumn target) {
    String name = target == null ? "" : target.typeName().toLowerCase(Locale.ROOT);
    boolean json = name.equals("json") || name.equals("jsonb");
    if (type.kind() == TypeKind.ARRAY && !json) {
      // Bound as text (stringtype=unspecified): the server parses it as the column's array type.
      return (ps, i, v) -> ps.setString(i, arrayLiteral((List<?>) v, type.elementType()));
    }
    if (type.kind().isNested()) {
      return (ps, i, v) -> ps.setString(i, JsonValues.toJson(v, type));
    }
    if (type.kind() == TypeKind.INT8) {
      return (ps, i, v) -> ps.setShort(i, (Byte) v);
    }
    return StandardTypes.binder(type);
  }

  /** A PostgreSQL array literal of a list. */
  static String arrayLiteral(List<?> list, DataType element) {
    StringBuilder sb = new StringBuilder();
    CopyTextEncoder.appendArrayLiteral(sb, list, element);
    return sb.toString();
  }

  /**
   * Native types for {@code createTable}: int8 as smallint, unconstrained decimal as {@code
   * numeric}, string as text, JSON, maps and rows as jsonb, arrays of scalars as {@code type[]},
   * time precision capped at PostgreSQL's 6.
   */
  @Override
  public String nativeType(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> "boolean";
      case INT8, INT16 -> "smallint";
      case INT32 -> "integer";
      case INT64 -> "bigint";
      case FLOAT32 -> "real";
      case FLOAT64 -> "double precision";
      case DECIMAL ->
          type.precision() == UNCONSTRAINED_PRECISION && type.scale() == 0
              ? "numeric"
              : "numeric(" + type.precision() + "," + type.scale() + ")";
      case STRING -> "text";
      case BYTES -> "bytea";
      case DATE -> "date";
      case TIME -> "time(" + Math.min(6, type.precision()) + ")";
      case TIMESTAMP -> "timestamp(" + Math.min(6, type.precision()) + ")";
      case TIMESTAMP_TZ -> "timestamptz(" + Math.min(6, type.precision()) + ")";
      case JSON, MAP, ROW -> "jsonb";
      case ARRAY -> {
        DataType e = type.elementType();
        yield e.kind().isNested() ? "jsonb" : nativeType(e) + "[]";
      }
    };
  }

  @Override
  public String nativeTypeText(JdbcColumn column) {
    String name = column.typeName();
    if (name.startsWith("_")) {
      return name.substring(1) + "[]";
    }
    if (name.equalsIgnoreCase("numeric") && column.precision() <= 0) {
      return "numeric";
    }
    return StandardTypes.nativeTypeText(column);
  }

  // ---- reading -------------------------------------------------------------------------------

  /** {@code pg_class.reltuples}; a table never analyzed (-1) is counted. */
  @Override
  public OptionalLong rowEstimate(Connection connection, TableRef table) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = ?::regclass")) {
      s.setString(1, qualifiedName(table));
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next() && rs.getLong(1) >= 0) {
          return OptionalLong.of(rs.getLong(1));
        }
      }
    }
    return Dialect.super.rowEstimate(connection, table);
  }

  @Override
  public boolean supportsSnapshot() {
    return true;
  }

  @Override
  public ReadSnapshot snapshot(DataSource connections, int readers) throws SQLException {
    return PgSnapshot.export(connections);
  }

  // ---- writing -------------------------------------------------------------------------------

  @Override
  public Optional<String> upsertSql(String table, List<String> columns, List<String> keys) {
    StringJoiner k = new StringJoiner(", ", "(", ")");
    keys.forEach(c -> k.add(quote(c)));
    StringJoiner set = new StringJoiner(", ");
    for (String c : columns) {
      if (!keys.contains(c)) {
        set.add(quote(c) + " = EXCLUDED." + quote(c));
      }
    }
    return Optional.of(
        insertSql(table, columns)
            + " ON CONFLICT "
            + k
            + (set.length() == 0 ? " DO NOTHING" : " DO UPDATE SET " + set));
  }

  /**
   * The same statement as upsert: every written column takes the new value; columns the sink does
   * not write keep theirs (PostgreSQL has no delete-and-insert REPLACE).
   */
  @Override
  public Optional<String> replaceSql(String table, List<String> columns, List<String> keys) {
    return upsertSql(table, columns, keys);
  }

  @Override
  public Optional<BulkWriter> bulkWriter(Connection connection, BulkTarget target)
      throws SQLException {
    return Optional.of(new PgBulkWriter(connection, target, this));
  }
}
