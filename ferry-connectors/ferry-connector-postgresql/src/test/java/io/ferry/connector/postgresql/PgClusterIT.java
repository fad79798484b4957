package io.ferry.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.jdbc.JdbcClusterSuite;
import io.ferry.spi.OptionProblem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcClusterSuite} on PostgreSQL: pgjdbc takes the first server that answers and is a
 * primary (COPY works through it); {@code targetServerType} from {@code properties} replaces the
 * default {@code primary}.
 */
class PgClusterIT extends JdbcClusterSuite<PgTestDatabase> {
  PgClusterIT() {
    super(new PostgresConnector());
  }

  @Override
  protected PgTestDatabase openDatabase() throws Exception {
    return new PgTestDatabase();
  }

  @Override
  protected String catalogSchema() {
    return "public";
  }

  @Test
  void targetServerTypeComesFromProperties() throws Exception {
    db.execute("CREATE TABLE typed (id int PRIMARY KEY)");
    Map<String, Object> o = cluster("typed");
    o.put("properties", Map.of("targetServerType", "secondary"));
    o.put("connectTimeout", "2s");
    List<OptionProblem> problems = check(o);
    assertThat(problems).extracting(OptionProblem::option).containsExactly("hosts");
    assertThat(problems.get(0).message())
        .contains("jdbc:postgresql://127.0.0.1:1,127.0.0.1:5432/" + db.name())
        .contains("targetServerType: secondary");

    o.put("properties", Map.of("targetServerType", "preferSecondary"));
    assertThat(check(o)).as("no standby: the primary").isEmpty();
  }
}
