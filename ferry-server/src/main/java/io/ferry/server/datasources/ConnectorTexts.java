package io.ferry.server.datasources;

import static io.ferry.server.i18n.Texts.isChinese;

import io.ferry.spi.Connector;
import io.ferry.spi.Option;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What a connector's declarations say to a person, in the language of the web UI: English as
 * declared, or Simplified Chinese from the translations the connector ships (see {@link
 * Connector}): {@value #CHINESE} in its jars, Java XML properties in which
 *
 * <ul>
 *   <li>an English text (the connector's {@link Connector#description()}, an option's {@link
 *       Option#description()}) is the key of its translation, so that a changed English text is
 *       seen to lack one, and a text shared by several connectors is translated once;
 *   <li>{@code label.<option name>} is the option's name as a form labels it ({@code label.user}:
 *       用户名).
 * </ul>
 *
 * Every file a connector's class loader sees is read (a connector's jar and the shared jars it
 * builds on, such as the JDBC base of the database dialects). A text without a translation shows in
 * English.
 */
@Component
public class ConnectorTexts {
  /** The Simplified Chinese translations in a connector's jars. */
  public static final String CHINESE = "META-INF/ferry/i18n/zh-CN.xml";

  private final Map<ClassLoader, Properties> chinese = new ConcurrentHashMap<>();

  /** The connector's one sentence on what it reads or writes. */
  public String description(Connector connector, Locale locale) {
    return translate(connector, connector.description(), locale);
  }

  /** An option's description. */
  public String description(Connector connector, Option<?> option, Locale locale) {
    return translate(connector, option.description(), locale);
  }

  /**
   * The description of an option the engine declares (a setting such as {@code channels}): the
   * engine's jar ships its translations like a connector.
   */
  public String engineDescription(Option<?> option, Locale locale) {
    return isChinese(locale)
        ? translations(io.ferry.engine.Settings.class.getClassLoader())
            .getProperty(option.description(), option.description())
        : option.description();
  }

  /**
   * The option's name as a form labels it beside the name itself; null in English, where the name
   * is the label.
   */
  public String label(Connector connector, Option<?> option, Locale locale) {
    return isChinese(locale) ? translations(connector).getProperty("label." + option.name()) : null;
  }

  /** Whether the connector ships a translation of this English text (an option's, its own). */
  public boolean hasChinese(Connector connector, String english) {
    return translations(connector).containsKey(english);
  }

  private String translate(Connector connector, String english, Locale locale) {
    return isChinese(locale) ? translations(connector).getProperty(english, english) : english;
  }

  private Properties translations(Connector connector) {
    return translations(connector.getClass().getClassLoader());
  }

  private Properties translations(ClassLoader loader) {
    return chinese.computeIfAbsent(loader, ConnectorTexts::load);
  }

  private static Properties load(ClassLoader loader) {
    Properties all = new Properties();
    try {
      for (URL url : Collections.list(loader.getResources(CHINESE))) {
        Properties one = new Properties();
        try (InputStream in = url.openStream()) {
          one.loadFromXML(in);
        }
        all.putAll(one);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the translations " + CHINESE, e);
    }
    return all;
  }
}
