package io.ferry.connector.mongodb;

/** How the sink writes each row. */
enum WriteMode {
  /** insertOne; a document whose _id exists goes to the dirty-data store. */
  INSERT,
  /** updateOne({keys}, {$set: fields}, upsert): fields the row does not carry stay. */
  UPSERT,
  /** replaceOne({keys}, document, upsert): the document becomes exactly the row. */
  REPLACE
}
