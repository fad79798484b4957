package io.ferry.connector.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.UuidRepresentation;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class BsonValuesTest {
  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final BsonValues.WriteRules RULES = new BsonValues.WriteRules(UTC, false);

  @Test
  void readsBsonAsDeclaredTypes() {
    ObjectId oid = new ObjectId();
    assertThat(BsonValues.toFerry(new BsonObjectId(oid), DataType.STRING, UTC))
        .isEqualTo(oid.toHexString());
    UUID uuid = UUID.randomUUID();
    assertThat(
            BsonValues.toFerry(
                new BsonBinary(uuid, UuidRepresentation.STANDARD), DataType.STRING, UTC))
        .isEqualTo(uuid.toString());
    assertThat(BsonValues.toFerry(new BsonInt32(7), DataType.INT64, UTC)).isEqualTo(7L);
    assertThat(
            BsonValues.toFerry(
                new BsonDecimal128(new Decimal128(new BigDecimal("1.5"))),
                DataType.decimal(10, 2),
                UTC))
        .isEqualTo(new BigDecimal("1.50"));
    assertThatThrownBy(() -> BsonValues.toFerry(new BsonInt64(1L << 40), DataType.INT32, UTC))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(BsonValues.toFerry(new BsonDateTime(86_400_000L), DataType.DATE, UTC))
        .isEqualTo(LocalDate.of(1970, 1, 2));
    assertThatThrownBy(() -> BsonValues.toFerry(new BsonDateTime(1), DataType.DATE, UTC))
        .hasMessageContaining("time of day");
    assertThat(
            BsonValues.toFerry(new BsonDateTime(0), DataType.TIMESTAMP, ZoneId.of("Asia/Shanghai")))
        .isEqualTo(LocalDateTime.of(1970, 1, 1, 8, 0));
    assertThat(BsonValues.toFerry(new BsonString("12"), DataType.INT32, UTC)).isEqualTo(12);
    assertThat(BsonValues.toFerry(BsonDocument.parse("{a: 1}").get("a"), DataType.JSON, UTC))
        .isEqualTo("1");
    assertThat(BsonValues.toFerry(null, DataType.INT32, UTC)).isNull();
  }

  @Test
  void writesFerryValuesAsBson() {
    assertThat(BsonValues.toBson((byte) 3, DataType.INT8, RULES)).isEqualTo(new BsonInt32(3));
    assertThat(BsonValues.toBson(0.1f, DataType.FLOAT32, RULES).asDouble().getValue())
        .isEqualTo(0.1);
    assertThat(BsonValues.toBson(List.of(1, 2), DataType.array(DataType.INT32), RULES).asArray())
        .hasSize(2);
    assertThatThrownBy(
            () ->
                BsonValues.toBson(
                    new BigDecimal("99999999999999999999999999999999999999"),
                    DataType.decimal(38, 0),
                    RULES))
        .hasMessageContaining("34 significant digits");
    assertThat(BsonValues.toBson(LocalDate.of(2024, 2, 29), DataType.DATE, RULES))
        .isEqualTo(
            new BsonDateTime(
                LocalDate.of(2024, 2, 29).atStartOfDay(UTC).toInstant().toEpochMilli()));
  }

  @Test
  void jsonKeepsNumbersExact() {
    assertThat(BsonValues.fromJson("2.50").isDecimal128()).isTrue();
    assertThat(BsonValues.fromJson("2.5").isDouble()).isTrue();
    assertThat(BsonValues.toJson(BsonValues.fromJson("2.50"))).isEqualTo("2.50");
    assertThat(BsonValues.fromJson("{\"$oid\":\"65f1f0c2a1b2c3d4e5f60718\"}").isObjectId())
        .isTrue();
    assertThat(BsonValues.fromJson("{\"$notAnOperator\":1}").isDocument()).isTrue();
    assertThatThrownBy(() -> BsonValues.fromJson("{")).hasMessageContaining("not JSON");
  }

  @Test
  void bsonOrderCoversLaterTypeClasses() {
    BsonDocument after = BsonOrder.after("_id", new BsonInt32(5));
    assertThat(after.toJson())
        .contains("$gt")
        .contains("string")
        .contains("objectId")
        .doesNotContain("\"int\"");
    assertThat(BsonOrder.atMost("_id", new BsonString("x")).toJson())
        .contains("$lte")
        .contains("\"int\"")
        .contains("null");
  }
}
