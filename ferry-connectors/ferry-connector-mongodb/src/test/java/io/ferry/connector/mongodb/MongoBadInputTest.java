package io.ferry.connector.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Source;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Wrong options name the option at fault. */
class MongoBadInputTest {
  private static MongoTestServer server;
  private final TestConnectorContext context = new TestConnectorContext("mongo-bad");

  @BeforeAll
  static void startServer() {
    server = MongoTestServer.start();
    server.database().getCollection("present").insertOne(new org.bson.Document("qty", 1));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static Map<String, Object> raw(Map<String, Object> extra) {
    Map<String, Object> o = new HashMap<>(server.options());
    o.put("collection", "present");
    o.putAll(extra);
    return o;
  }

  private Source create(Map<String, Object> raw) {
    var role = new MongoConnector().source().orElseThrow();
    return role.create(role.options().parse(raw), context);
  }

  @Test
  void anUnreachableHostNamesUri() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    long start = System.nanoTime();
    try (Source source =
        create(raw(Map.of("uri", "mongodb://127.0.0.1:" + port, "connectTimeout", "500ms")))) {
      List<OptionProblem> problems = source.check();
      assertThat(problems).extracting(OptionProblem::option).containsExactly("uri");
      assertThat(problems.get(0).message())
          .contains("127.0.0.1:" + port)
          .contains("connectTimeout");
    }
    assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
  }

  @Test
  void anUnreachableHostNamesHosts() throws Exception {
    Map<String, Object> o = raw(Map.of("hosts", List.of("127.0.0.1:1"), "connectTimeout", "300ms"));
    o.remove("uri");
    try (Source source = create(o)) {
      assertThat(source.check()).extracting(OptionProblem::option).containsExactly("hosts");
    }
  }

  @Test
  void aMissingCollectionNamesCollection() {
    try (Source source = create(raw(Map.of("collection", "absent")))) {
      List<OptionProblem> problems = source.check();
      assertThat(problems).extracting(OptionProblem::option).containsExactly("collection");
      assertThat(problems.get(0).message()).contains("absent").contains("present");
    }
  }

  @Test
  void badFilterJsonNamesFilter() {
    var role = new MongoConnector().source().orElseThrow();
    InvalidOptionsException e =
        catchThrowableOfType(
            InvalidOptionsException.class,
            () -> role.options().parse(raw(Map.of("filter", "{\"qty\": {\"$gt\": }"))));
    assertThat(e.problems()).extracting(OptionProblem::option).containsExactly("filter");
  }

  @Test
  void aFilterTheServerRejectsNamesFilter() {
    try (Source source = create(raw(Map.of("filter", "{\"qty\": {\"$nope\": 1}}")))) {
      assertThat(source.check()).extracting(OptionProblem::option).containsExactly("filter");
    }
  }

  @Test
  void uriAndHostsTogetherAreRefused() {
    InvalidOptionsException e =
        catchThrowableOfType(
            InvalidOptionsException.class, () -> create(raw(Map.of("hosts", List.of("h1")))));
    assertThat(e.problems()).extracting(OptionProblem::option).containsExactly("hosts");
  }

  @Test
  void optionsOfHostsAreRefusedWithUriInsteadOfIgnored() {
    // The connection string carries these itself (authSource=..., tls=true): beside a uri the
    // options would have no effect.
    InvalidOptionsException e =
        catchThrowableOfType(
            InvalidOptionsException.class,
            () -> create(raw(Map.of("authSource", "users", "tls", true, "user", "ferry"))));
    assertThat(e.problems())
        .extracting(OptionProblem::option)
        .containsExactlyInAnyOrder("authSource", "tls", "user");
    assertThat(e.problems())
        .extracting(OptionProblem::message)
        .allMatch(m -> m.contains("put it in the connection string"));
  }

  @Test
  void aBadUriIsRefusedWithoutShowingIt() {
    var role = new MongoConnector().source().orElseThrow();
    InvalidOptionsException e =
        catchThrowableOfType(
            InvalidOptionsException.class,
            () -> role.options().parse(raw(Map.of("uri", "mysql://u:secret@h"))));
    assertThat(e.problems()).extracting(OptionProblem::option).containsExactly("uri");
    assertThat(e.getMessage()).doesNotContain("secret");
  }
}
