package io.ferry.connector.hdfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.spi.Option;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every text the web UI shows of this connector has a Simplified Chinese translation: in this
 * connector's zh-CN.xml, or (for the text format options it shares) in the file connector's, both
 * in the connector's folder as the server loads them.
 */
class HdfsTextsTest {
  @Test
  void everyOptionAndTheDescriptionHaveAChineseText() throws Exception {
    Properties zh = new Properties();
    for (URL url :
        Collections.list(
            getClass().getClassLoader().getResources("META-INF/ferry/i18n/zh-CN.xml"))) {
      try (InputStream in = url.openStream()) {
        Properties one = new Properties();
        one.loadFromXML(in);
        zh.putAll(one);
      }
    }
    HdfsConnector hdfs = new HdfsConnector();
    List<String> missing = new ArrayList<>();
    if (!isChinese(zh.getProperty(hdfs.description()))) {
      missing.add("description: " + hdfs.description());
    }
    for (Option<?> option :
        Stream.concat(
                hdfs.source().orElseThrow().options().options().stream(),
                hdfs.sink().orElseThrow().options().options().stream())
            .toList()) {
      if (!isChinese(zh.getProperty(option.description()))) {
        missing.add(option.name() + ": " + option.description());
      }
      if (!isChinese(zh.getProperty("label." + option.name()))) {
        missing.add("label." + option.name());
      }
    }
    assertThat(missing).as("texts without a translation").isEmpty();
  }

  private static boolean isChinese(String text) {
    return text != null
        && text.codePoints()
            .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }
}
