package io.ferry.server.i18n;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The server's own texts in the language of a request: English, or Simplified Chinese for any
 * Chinese locale (the two languages of the web UI). Texts are resource bundles of {@link
 * MessageFormat} patterns: {@code name.properties} in English and {@code name_zh.properties}.
 */
public final class Texts {
  private Texts() {}

  /** Whether a locale reads Simplified Chinese. */
  public static boolean isChinese(Locale locale) {
    return "zh".equals(locale.getLanguage());
  }

  /**
   * The bundle for a locale, whatever the machine's own locale (which never stands in for a missing
   * translation).
   */
  public static ResourceBundle bundle(String baseName, Locale locale) {
    return ResourceBundle.getBundle(
        baseName,
        isChinese(locale) ? Locale.CHINESE : Locale.ROOT,
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
  }

  /** A text of the bundle with its values, numbers as plain digits (never grouped). */
  public static String format(ResourceBundle texts, String key, Object... values) {
    Object[] plain = Arrays.stream(values).map(String::valueOf).toArray();
    return new MessageFormat(texts.getString(key), Locale.ROOT).format(plain);
  }
}
