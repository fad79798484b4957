package io.ferry.server.datasources;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Settings;
import io.ferry.spi.Connector;
import io.ferry.spi.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Chinese texts of the connectors on this class path (mysql, postgresql, jdbc, datagen,
 * blackhole, console, file); WebUiIT checks every connector of the distribution the same way.
 */
public class ConnectorTextsTest {
  private static final Locale CHINESE = Locale.SIMPLIFIED_CHINESE;
  private final ConnectorTexts texts = new ConnectorTexts();
  private final List<Connector> connectors =
      List.copyOf(ConnectorRegistry.fromClassPath(getClass().getClassLoader()).connectors());

  public static boolean isChinese(String text) {
    return text.codePoints()
        .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }

  static List<Option<?>> options(Connector c) {
    List<Option<?>> all = new ArrayList<>();
    for (Optional<? extends Connector.Role<?>> role : List.of(c.source(), c.sink(), c.catalog())) {
      role.ifPresent(r -> all.addAll(r.options().options()));
    }
    return all;
  }

  @Test
  void everyOptionOfEveryConnectorHereHasAChineseLabelAndDescription() {
    assertThat(connectors).extracting(Connector::name).contains("mysql", "file", "datagen");
    List<String> missing = new ArrayList<>();
    for (Connector c : connectors) {
      if (!isChinese(texts.description(c, CHINESE))) {
        missing.add(c.name() + ": " + c.description());
      }
      for (Option<?> o : options(c)) {
        if (!isChinese(texts.description(c, o, CHINESE))) {
          missing.add(c.name() + "." + o.name() + ": " + o.description());
        }
        String label = texts.label(c, o, CHINESE);
        if (label == null || label.isBlank()) {
          missing.add(c.name() + "." + o.name() + ": no label");
        }
      }
    }
    assertThat(missing).as("texts without a Simplified Chinese translation").isEmpty();
  }

  @Test
  void englishIsTheDeclarationItself() {
    Connector mysql = connectors.stream().filter(c -> c.name().equals("mysql")).findFirst().get();
    Option<?> where = mysql.source().get().options().option("where");
    assertThat(texts.description(mysql, Locale.ENGLISH)).isEqualTo(mysql.description());
    assertThat(texts.description(mysql, where, Locale.ENGLISH)).isEqualTo(where.description());
    assertThat(texts.label(mysql, where, Locale.ENGLISH)).isNull();
    assertThat(texts.description(mysql, where, Locale.GERMAN)).isEqualTo(where.description());
    assertThat(texts.description(mysql, where, CHINESE)).startsWith("行必须满足的 SQL 条件");
    assertThat(texts.label(mysql, where, Locale.forLanguageTag("zh"))).isEqualTo("过滤条件");
  }

  @Test
  void theEnginesSettingsSpeakChineseToo() {
    for (Option<?> o : Settings.OPTIONS.options()) {
      assertThat(texts.engineDescription(o, CHINESE))
          .as(o.name())
          .matches(ConnectorTextsTest::isChinese);
      assertThat(texts.engineDescription(o, Locale.ENGLISH)).isEqualTo(o.description());
    }
  }
}
