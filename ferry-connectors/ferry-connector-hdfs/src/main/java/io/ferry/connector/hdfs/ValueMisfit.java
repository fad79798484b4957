package io.ferry.connector.hdfs;

/** A value a columnar file cannot hold: the row goes to the dirty-data store. */
final class ValueMisfit extends Exception {
  ValueMisfit(String reason) {
    super(reason, null, false, false);
  }
}
