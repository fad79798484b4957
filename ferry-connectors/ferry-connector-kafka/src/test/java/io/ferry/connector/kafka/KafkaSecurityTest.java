package io.ferry.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Pipelines;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.connector.testkit.TestDatasets;
import io.ferry.spi.Connector;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The connection options against the test broker's SASL and TLS listeners: rows written and read
 * back through SASL/PLAIN, SASL/SCRAM-SHA-256 and TLS; a wrong password, an untrusted certificate
 * and a plaintext client on a TLS port are refused on the option at fault, and the password never
 * appears in what is reported.
 */
class KafkaSecurityTest {
  private final Connector kafka = new KafkaConnector();
  private final KafkaTestBroker broker = KafkaTestBroker.get();

  private Map<String, Object> sasl(String mechanism, String user, String password) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("bootstrapServers", List.of(broker.saslBootstrap()));
    o.put("securityProtocol", "sasl-plaintext");
    o.put("saslMechanism", mechanism);
    o.put("username", user);
    o.put("password", password);
    o.put("requestTimeout", "5s");
    return o;
  }

  private Map<String, Object> tls(boolean trusted) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("bootstrapServers", List.of(broker.sslBootstrap()));
    o.put("securityProtocol", "ssl");
    o.put("requestTimeout", "5s");
    if (trusted) {
      o.put(
          "properties",
          Map.of(
              "ssl.truststore.type",
              "PEM",
              "ssl.truststore.location",
              broker.certificatePem().toString()));
    }
    return o;
  }

  /** Writes rows to a new topic through {@code connection} and reads them back through it. */
  private void roundTrip(String name, Map<String, Object> connection) {
    Schema schema = TestDatasets.standardSchema(t -> true);
    List<Object[]> rows = TestDatasets.standardRows(schema, 40);
    String topic = KafkaTestBroker.uniqueTopic(name);
    broker.createTopic(topic, 2);
    TestConnectorContext ctx = new TestConnectorContext(name);
    Map<String, Object> sink = new LinkedHashMap<>(connection);
    sink.put("topic", topic);
    sink.put("transactional", true);
    Pipelines.write(kafka, sink, ctx, schema, rows, 2);
    Map<String, Object> source = new LinkedHashMap<>(connection);
    source.put("topics", List.of(topic));
    source.put("columns", KafkaSourceSuiteTest.columns(schema));
    try (Source s = Pipelines.source(kafka, source, ctx)) {
      assertThat(s.check()).isEmpty();
      Rows.assertRowsEqual(schema, Pipelines.readAll(s), rows);
    }
  }

  private List<OptionProblem> sourceCheck(Map<String, Object> connection) {
    Map<String, Object> source = new LinkedHashMap<>(connection);
    source.put("topics", List.of("t-any"));
    source.put("columns", List.of("id int64"));
    try (Source s = Pipelines.source(kafka, source, new TestConnectorContext("refused"))) {
      return s.check();
    }
  }

  @Test
  void saslPlainCarriesRowsThereAndBack() {
    roundTrip(
        "sasl-plain", sasl("plain", KafkaTestBroker.SASL_USER, KafkaTestBroker.SASL_PASSWORD));
  }

  @Test
  void saslScramCarriesRowsThereAndBack() {
    roundTrip(
        "sasl-scram",
        sasl("scram-sha-256", KafkaTestBroker.SCRAM_USER, KafkaTestBroker.SASL_PASSWORD));
  }

  @Test
  void tlsWithTheBrokersCertificateCarriesRowsThereAndBack() {
    roundTrip("tls", tls(true));
  }

  @Test
  void aWrongPasswordIsRefusedWithoutShowingIt() {
    String wrong = "not-the-password-4711";
    for (Map<String, Object> connection :
        List.of(
            sasl("plain", KafkaTestBroker.SASL_USER, wrong),
            sasl("scram-sha-256", KafkaTestBroker.SCRAM_USER, wrong))) {
      List<OptionProblem> problems = sourceCheck(connection);
      assertThat(problems).extracting(OptionProblem::option).containsExactly("password");
      assertThat(problems.toString())
          .containsIgnoringCase("authentication")
          .doesNotContain(wrong)
          .doesNotContain(KafkaTestBroker.SASL_PASSWORD);
    }
  }

  @Test
  void anUntrustedCertificateOrAPlaintextClientOnTheTlsPortIsRefused() {
    assertThat(sourceCheck(tls(false)))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.option()).isEqualTo("properties");
              assertThat(p.message()).contains("TLS handshake");
            });
    Map<String, Object> plaintext = tls(true);
    plaintext.remove("securityProtocol");
    plaintext.remove("properties");
    assertThat(sourceCheck(plaintext))
        .extracting(OptionProblem::option)
        .containsExactly("bootstrapServers");
  }
}
