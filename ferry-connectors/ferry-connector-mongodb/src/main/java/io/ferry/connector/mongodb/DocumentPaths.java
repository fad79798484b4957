package io.ferry.connector.mongodb;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/** Field access by name, where a dotted name reaches into embedded documents. */
final class DocumentPaths {
  private DocumentPaths() {}

  /** The value at {@code path}: a field of that exact name, else the nested field; null if none. */
  static BsonValue get(BsonDocument doc, String path) {
    BsonValue v = doc.get(path);
    if (v != null || path.indexOf('.') < 0) {
      return v;
    }
    BsonValue current = doc;
    for (String part : path.split("\\.", -1)) {
      if (current == null || !current.isDocument()) {
        return null;
      }
      current = current.asDocument().get(part);
    }
    return current;
  }
}
