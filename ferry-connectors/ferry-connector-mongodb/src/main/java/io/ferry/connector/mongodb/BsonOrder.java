package io.ferry.connector.mongodb;

import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;

/**
 * MongoDB's comparison order across BSON types, for {@code _id} ranges that stay exact whatever
 * types the {@code _id}s have. A plain {@code {_id: {$gt: 5}}} only matches numbers (query
 * operators compare within one type class); {@link #after} adds every type class sorting after the
 * bound, so {@code after(x)} holds exactly the documents a sort by {@code _id} puts after {@code
 * x}.
 */
final class BsonOrder {
  /** Type classes in MongoDB's sort order, each with the {@code $type} aliases it holds. */
  private static final List<List<String>> CLASSES =
      List.of(
          List.of("minKey"),
          List.of("null"),
          List.of("int", "long", "double", "decimal"),
          List.of("string"),
          List.of("object"),
          List.of("array"),
          List.of("binData"),
          List.of("objectId"),
          List.of("bool"),
          List.of("date"),
          List.of("timestamp"),
          List.of("regex"),
          List.of(),
          List.of(),
          List.of(),
          List.of("maxKey"));

  private BsonOrder() {}

  /** The position of a value's type class in the sort order. */
  static int typeClass(BsonValue v) {
    BsonType t = v.getBsonType();
    return switch (t) {
      case MIN_KEY -> 0;
      case NULL, UNDEFINED -> 1;
      case INT32, INT64, DOUBLE, DECIMAL128 -> 2;
      case STRING, SYMBOL -> 3;
      case DOCUMENT -> 4;
      case ARRAY -> 5;
      case BINARY -> 6;
      case OBJECT_ID -> 7;
      case BOOLEAN -> 8;
      case DATE_TIME -> 9;
      case TIMESTAMP -> 10;
      case REGULAR_EXPRESSION -> 11;
      case DB_POINTER -> 12;
      case JAVASCRIPT -> 13;
      case JAVASCRIPT_WITH_SCOPE -> 14;
      case MAX_KEY -> 15;
      default -> throw new IllegalArgumentException("no sort order for BSON " + t);
    };
  }

  /**
   * {@code field} sorts after {@code bound}: {@code $gt} within its type class, or a later class.
   */
  static BsonDocument after(String field, BsonValue bound) {
    return compare(field, "$gt", bound, true);
  }

  /** {@code field} sorts before or equal to {@code bound}. */
  static BsonDocument atMost(String field, BsonValue bound) {
    return compare(field, "$lte", bound, false);
  }

  /** {@code field} sorts before or equal to {@code bound}, or after it when {@code inclusive}. */
  static BsonDocument atLeast(String field, BsonValue bound) {
    return compare(field, "$gte", bound, true);
  }

  private static BsonDocument compare(
      String field, String operator, BsonValue bound, boolean later) {
    int cls = typeClass(bound);
    BsonDocument within;
    if (cls == 1) {
      // null only equals null; $gt/$lt null match nothing.
      within =
          operator.equals("$gt")
              ? null
              : new BsonDocument(field, new BsonDocument("$type", new BsonString("null")));
    } else if (cls == 0 || cls == 15) {
      within =
          operator.equals("$gt") ? null : new BsonDocument(field, new BsonDocument("$eq", bound));
    } else {
      within = new BsonDocument(field, new BsonDocument(operator, bound));
    }
    BsonArray others = new BsonArray();
    for (int i = later ? cls + 1 : 0; later ? i < CLASSES.size() : i < cls; i++) {
      for (String alias : CLASSES.get(i)) {
        others.add(new BsonString(alias));
      }
    }
    List<BsonDocument> branches = new ArrayList<>(2);
    if (within != null) {
      branches.add(within);
    }
    if (!others.isEmpty()) {
      branches.add(new BsonDocument(field, new BsonDocument("$type", others)));
    }
    if (branches.isEmpty()) {
      // Nothing sorts after MaxKey: a condition no document meets.
      return new BsonDocument(field, new BsonDocument("$in", new BsonArray()));
    }
    return branches.size() == 1
        ? branches.get(0)
        : new BsonDocument("$or", new BsonArray(new ArrayList<>(branches)));
  }

  /** All of {@code conditions} (null and empty ones skipped); an empty document when none. */
  static BsonDocument and(BsonDocument... conditions) {
    BsonArray all = new BsonArray();
    for (BsonDocument c : conditions) {
      if (c != null && !c.isEmpty()) {
        all.add(c);
      }
    }
    if (all.isEmpty()) {
      return new BsonDocument();
    }
    return all.size() == 1 ? all.get(0).asDocument() : new BsonDocument("$and", all);
  }
}
