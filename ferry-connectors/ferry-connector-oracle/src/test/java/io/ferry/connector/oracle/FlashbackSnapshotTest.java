package io.ferry.connector.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.jdbc.ReadSnapshot;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The session handling of the flashback snapshot, on H2 with a stand-in DBMS_FLASHBACK package that
 * records its calls (H2 has no flashback; what the data looks like at the SCN is {@link
 * OracleServerIT}'s to show on a real server).
 */
public class FlashbackSnapshotTest {
  /** The calls the stand-in package received, in order. */
  static final List<String> CALLS = new CopyOnWriteArrayList<>();

  public static long getScn() {
    CALLS.add("get");
    return 4711L;
  }

  public static void enable(long scn) {
    CALLS.add("enable " + scn);
  }

  public static void disable() {
    CALLS.add("disable");
  }

  private final String url = "jdbc:h2:mem:flashback-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  @Test
  void everyReaderReadsAtTheSameScnAndLeavesFlashbackModeOnClose() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      String self = FlashbackSnapshotTest.class.getName();
      s.execute("CREATE SCHEMA DBMS_FLASHBACK");
      s.execute("CREATE ALIAS DBMS_FLASHBACK.GET_SYSTEM_CHANGE_NUMBER FOR '" + self + ".getScn'");
      s.execute(
          "CREATE ALIAS DBMS_FLASHBACK.ENABLE_AT_SYSTEM_CHANGE_NUMBER FOR '" + self + ".enable'");
      s.execute("CREATE ALIAS DBMS_FLASHBACK.DISABLE FOR '" + self + ".disable'");
      s.execute("CREATE TABLE t (id INT)");
      s.execute("INSERT INTO t VALUES (1)");
    }
    CALLS.clear();
    DataSource pool = new DriverManagerDataSource();
    ReadSnapshot snapshot = new OracleDialect().snapshot(pool, 2);
    assertThat(CALLS).containsExactly("get");

    Connection first = snapshot.connection();
    Connection second = snapshot.connection();
    assertThat(CALLS).containsExactly("get", "enable 4711", "enable 4711");
    try (Statement s = first.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the connection reads as usual").isEqualTo(1);
    }
    first.setAutoCommit(false);
    first.close();
    assertThat(first.isClosed()).isTrue();
    assertThat(CALLS).containsExactly("get", "enable 4711", "enable 4711", "disable");
    second.close();
    assertThat(CALLS).endsWith("disable", "disable");
    snapshot.close();
  }

  /** Connections straight from the driver, standing in for the source's pool. */
  private final class DriverManagerDataSource implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      return connect();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return connect();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
