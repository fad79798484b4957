package io.ferry.connector.kafka;

/** How a record's value (and key) holds a row. */
enum ValueFormat {
  JSON,
  CSV
}
