package io.ferry.connector.mongodb;

import com.mongodb.ReadPreference;
import io.ferry.spi.Option;

/** The {@code readPreference} choices. */
enum ReadPreferenceChoice implements Option.Choice {
  PRIMARY("primary", ReadPreference.primary()),
  PRIMARY_PREFERRED("primaryPreferred", ReadPreference.primaryPreferred()),
  SECONDARY("secondary", ReadPreference.secondary()),
  SECONDARY_PREFERRED("secondaryPreferred", ReadPreference.secondaryPreferred()),
  NEAREST("nearest", ReadPreference.nearest());

  private final String choice;
  private final ReadPreference preference;

  ReadPreferenceChoice(String choice, ReadPreference preference) {
    this.choice = choice;
    this.preference = preference;
  }

  @Override
  public String choice() {
    return choice;
  }

  ReadPreference preference() {
    return preference;
  }
}
