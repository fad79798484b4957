package io.ferry.connector.mongodb;

import com.mongodb.ReadConcern;

/** The {@code readConcern} choices. */
enum ReadConcernChoice {
  DEFAULT(ReadConcern.DEFAULT),
  LOCAL(ReadConcern.LOCAL),
  AVAILABLE(ReadConcern.AVAILABLE),
  MAJORITY(ReadConcern.MAJORITY);

  private final ReadConcern concern;

  ReadConcernChoice(ReadConcern concern) {
    this.concern = concern;
  }

  ReadConcern concern() {
    return concern;
  }
}
