package io.ferry.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Codec;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Position;
import io.ferry.spi.Split;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options, value conversion and codecs, without a server. */
class EsUnitTest {
  static final ZoneId UTC = ZoneOffset.UTC;

  static JsonNode json(String text) throws Exception {
    return JsonValues.mapper().readTree(text);
  }

  @Test
  void hostsMustBeHttpUrls() {
    InvalidOptionsException e =
        catchThrowableOfType(
            InvalidOptionsException.class,
            () ->
                EsOptions.SOURCE_OPTIONS.parse(Map.of("hosts", "ftp://example:21", "index", "x")));
    assertThat(e.problems()).extracting(OptionProblem::option).containsExactly("hosts");
    assertThat(EsOptions.hostUri("127.0.0.1:9200").toString()).isEqualTo("http://127.0.0.1:9200");
  }

  /** Without ids a snapshot would index documents under generated ids no change finds again. */
  @Test
  void changesNeedDocumentIdsAndNoAliasSwitch() {
    var role = new ElasticsearchConnector().sink().orElseThrow();
    var context = new io.ferry.connector.testkit.TestConnectorContext("es-changes");
    try (var sink =
        role.create(role.options().parse(Map.of("hosts", "127.0.0.1:1", "index", "x")), context)) {
      assertThat(sink.appliesChanges()).isFalse();
      assertThat(sink.changeProblems()).extracting(p -> p.option()).containsExactly("idColumns");
    }
    try (var sink =
        role.create(
            role.options().parse(Map.of("hosts", "127.0.0.1:1", "index", "x", "idFromKey", true)),
            context)) {
      assertThat(sink.appliesChanges()).isTrue();
    }
    try (var sink =
        role.create(
            role.options()
                .parse(
                    Map.of(
                        "hosts",
                        "127.0.0.1:1",
                        "index",
                        "x",
                        "idColumns",
                        List.of("id"),
                        "aliasSwitch",
                        true)),
            context)) {
      assertThat(sink.appliesChanges()).isFalse();
      assertThat(sink.changeProblems()).extracting(p -> p.option()).containsExactly("aliasSwitch");
    }
  }

  @Test
  void secretsAreDeclaredSecret() {
    assertThat(EsOptions.PASSWORD.secret()).isTrue();
    assertThat(EsOptions.API_KEY.secret()).isTrue();
    assertThat(EsClient.encodeApiKey("id:key")).isEqualTo("aWQ6a2V5");
    assertThat(EsClient.encodeApiKey("aWQ6a2V5")).isEqualTo("aWQ6a2V5");
  }

  @Test
  void indexNamesFollowElasticsearchRules() {
    assertThat(EsOptions.checkIndexName("orders-2024")).isNull();
    assertThat(EsOptions.checkIndexName("Orders")).contains("lower case");
    assertThat(EsOptions.checkIndexName("_x")).contains("must not start");
    assertThat(EsOptions.checkIndexName("a b")).contains("' '");
    assertThat(EsSink.newIndexName("orders", "Job 1/run:7")).isEqualTo("orders-job-1-run-7");
    assertThat(EsOptions.checkIndexName(EsSink.newIndexName("orders", "Job 1/run:7"))).isNull();
  }

  @Test
  void columnsOptionParsesFerryTypes() {
    assertThat(
            EsOptions.parseColumns(
                List.of(
                    "id int64",
                    "tags array<string>",
                    Map.of("name", "a.b", "type", "row<x int32>"))))
        .extracting(c -> c.name() + " " + c.type())
        .containsExactly("id int64", "tags array<string>", "a.b row<x int32>");
    assertThat(
            catchThrowableOfType(
                IllegalArgumentException.class, () -> EsOptions.parseColumns(List.of("id"))))
        .hasMessageContaining("needs a name and a type");
  }

  @Test
  void valuesReadLikeElasticsearchReadsThem() throws Exception {
    assertThat(Documents.read(json("[5]"), DataType.INT32, UTC)).isEqualTo(5);
    assertThat(Documents.read(json("[]"), DataType.INT32, UTC)).isNull();
    assertThat(Documents.read(json("\"7\""), DataType.INT64, UTC)).isEqualTo(7L);
    assertThat(Documents.read(json("\"x\""), DataType.array(DataType.STRING), UTC))
        .isEqualTo(List.of("x"));
    assertThat(Documents.read(json("[\"a\",\"b\"]"), DataType.STRING, UTC))
        .isEqualTo("[\"a\",\"b\"]");
    assertThat(Documents.read(json("1.50"), DataType.decimal(5, 2), UTC))
        .isEqualTo(new BigDecimal("1.50"));
    assertThat(Documents.read(json("0"), DataType.TIMESTAMP_TZ, UTC))
        .isEqualTo(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    assertThat(
            Documents.read(
                json("\"2024-01-02T03:04:05+02:00\""), DataType.TIMESTAMP, ZoneId.of("UTC")))
        .isEqualTo(LocalDateTime.of(2024, 1, 2, 1, 4, 5));
    assertThat(Documents.read(json("\"2024-01-02T03:04:05\""), DataType.DATE, UTC))
        .isEqualTo(LocalDate.of(2024, 1, 2));
    assertThat(Documents.read(json("{\"a\":1}"), DataType.JSON, UTC)).isEqualTo("{\"a\":1}");
    IllegalArgumentException e =
        catchThrowableOfType(
            IllegalArgumentException.class,
            () -> Documents.read(json("[1,2]"), DataType.INT32, UTC));
    assertThat(e).hasMessageContaining("array<int32>");
    assertThat(Documents.field(json("{\"a\":{\"b\":{\"c\":3}}}"), "a.b.c").asInt()).isEqualTo(3);
    assertThat(Documents.field(json("{\"a.b\":4}"), "a.b").asInt()).isEqualTo(4);
  }

  @Test
  void valuesWriteWithEveryDigit() throws Exception {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JsonValues.mapper().getFactory().createGenerator(out)) {
      g.writeStartArray();
      Documents.write(g, new BigDecimal("10.50"), DataType.decimal(4, 2));
      Documents.write(g, "{\n \"a\" : 1 }", DataType.JSON);
      Documents.write(g, new byte[] {1, 2}, DataType.BYTES);
      Documents.write(g, Arrays.asList(1, null), DataType.array(DataType.INT32));
      Documents.write(
          g,
          OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(8)),
          DataType.TIMESTAMP_TZ);
      g.writeEndArray();
    }
    assertThat(out.toString())
        .isEqualTo("[\"10.50\",{\"a\":1},\"AQI=\",[1,null],\"2024-01-01T00:00:00+08:00\"]");
  }

  @Test
  void derivedMappingRecordsFerryTypes() {
    JsonNode mapping =
        EsTypes.mappingFor(
            io.ferry.spi.Schema.of(
                io.ferry.spi.Column.of("t", DataType.TIMESTAMP),
                io.ferry.spi.Column.of("m", DataType.map(DataType.STRING, DataType.INT64))));
    assertThat(mapping.path("properties").path("t").path("type").asText()).isEqualTo("date");
    assertThat(mapping.path("properties").path("m").path("enabled").asBoolean(true)).isFalse();
    assertThat(EsTypes.columns(mapping, null))
        .extracting(c -> c.name() + " " + c.type())
        .containsExactly("t timestamp", "m map<string,int64>");
  }

  @Test
  void splitsAndPositionsHaveVersions() {
    Codec<Split> codec = EsSplit.CODEC;
    EsSplit split = new EsSplit("slice-1-of-2", 1, 2, "pit==", -1);
    assertThat(codec.decode(codec.version(), codec.encode(split))).isEqualTo(split);
    assertThat(
            catchThrowableOfType(FerryException.class, () -> codec.decode(2, codec.encode(split)))
                .code())
        .isEqualTo(ErrorCode.STATE_INCOMPATIBLE);
    Position p = new EsPosition("pit", "[12,\"a\"]", 40).toPosition();
    assertThat(EsPosition.of(p)).isEqualTo(new EsPosition("pit", "[12,\"a\"]", 40));
    assertThat(p.description()).contains("[12,\"a\"]");
    assertThat(
            catchThrowableOfType(
                    FerryException.class, () -> EsPosition.of(new Position(9, p.bytes(), "x")))
                .code())
        .isEqualTo(ErrorCode.STATE_INCOMPATIBLE);
  }
}
