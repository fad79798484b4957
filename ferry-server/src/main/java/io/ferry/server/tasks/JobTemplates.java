package io.ferry.server.tasks;

import io.ferry.engine.Settings;
import io.ferry.server.datasources.ConnectorTexts;
import io.ferry.server.i18n.Texts;
import io.ferry.server.shared.DomainException;
import io.ferry.spi.Connector;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Job files for script mode, generated from the option declarations of the two connectors a person
 * picks, so that each connector comes with its own template:
 *
 * <pre>{@code
 * source:
 *   connector: mysql              # or datasource: <alias>, whose options are then left out
 *   # <the option's description>
 *   table: <table>                # a required option: a placeholder to fill in
 *   # <the option's description>
 *   # fetchSize: 1000             # an optional one: commented out, with its default
 * sink:
 *   ...
 * # settings:                     # the engine's settings, all commented out
 * }</pre>
 *
 * Descriptions are in the request's language (see {@link ConnectorTexts}). Secret options are never
 * offered as values: a script holds no secrets, a data source does. A connector with a catalog
 * names its connection with its catalog's options and the object a job reads or writes (a table, a
 * collection, an index) with the others, each group first with what identifies it: that first
 * option is a placeholder too, required or not. With every placeholder filled in, the template is a
 * job the server accepts (but for rules across options that no declaration states, such as the row
 * key an HBase sink needs unless a column maps to it).
 */
@Component
public class JobTemplates {
  /** Columns of a comment line; a wide (CJK) character counts twice. */
  private static final int WIDTH = 100;

  /**
   * Text that YAML reads back as the same string without quotes: a word, a path, a URL, or a
   * duration or size ({@code 10s}, {@code 64MB}).
   */
  private static final Pattern PLAIN =
      Pattern.compile("[A-Za-z_./@][A-Za-z0-9_./:+@-]*|\\d+(ms|s|m|h|d|B|KB|MB|GB|TB)");

  private final ConnectorTexts texts;

  public JobTemplates(ConnectorTexts texts) {
    this.texts = texts;
  }

  /**
   * One side of a job.
   *
   * @param connector the connector
   * @param datasource the alias of the data source the side names; null to name the connector
   * @param given the options the data source holds, left out of the template
   */
  public record Side(Connector connector, String datasource, Set<String> given) {}

  /**
   * The template of a job from {@code source} to {@code sink}.
   *
   * @throws DomainException.Invalid when the source connector cannot read or the sink cannot write
   */
  public String job(Side source, Side sink, Locale locale) {
    ResourceBundle words = words(locale);
    OptionSet read =
        source
            .connector()
            .source()
            .orElseThrow(() -> noRole("source", source.connector(), "cannotRead", words))
            .options();
    OptionSet write =
        sink.connector()
            .sink()
            .orElseThrow(() -> noRole("sink", sink.connector(), "cannotWrite", words))
            .options();
    StringBuilder out = new StringBuilder();
    comment(out, "", text(words, "header", source.connector().name(), sink.connector().name()));
    section(out, "source", source, read.options(), locale, words);
    section(out, "sink", sink, write.options(), locale, words);
    comment(out, "", text(words, "settings"));
    out.append("# settings:\n");
    for (Option<?> o : Settings.OPTIONS.options()) {
      comment(out, "#   ", texts.engineDescription(o, locale));
      out.append("#   ").append(o.name()).append(": ").append(example(o)).append('\n');
    }
    return out.toString();
  }

  private static DomainException noRole(
      String field, Connector connector, String key, ResourceBundle words) {
    return DomainException.invalid(field, text(words, key, connector.name()));
  }

  private void section(
      StringBuilder out,
      String name,
      Side side,
      Collection<Option<?>> options,
      Locale locale,
      ResourceBundle words) {
    Connector connector = side.connector();
    out.append(name).append(":\n");
    if (side.datasource() == null) {
      out.append("  connector: ").append(connector.name()).append('\n');
    } else {
      out.append("  datasource: ").append(scalar(side.datasource())).append('\n');
      List<String> given =
          options.stream().map(Option::name).filter(side.given()::contains).toList();
      if (!given.isEmpty()) {
        comment(
            out, "  ", text(words, "fromDatasource", String.join(", ", given), side.datasource()));
      }
    }
    List<Option<?>> open = options.stream().filter(o -> !side.given().contains(o.name())).toList();
    Set<Option<?>> placeholders = placeholders(connector, options);
    // Placeholders first; the other options commented out with their defaults.
    for (Option<?> o : open) {
      if (placeholders.contains(o)) {
        comment(out, "  ", texts.description(connector, o, locale));
        out.append("  ").append(o.name()).append(": <").append(o.name()).append(">\n");
      }
    }
    for (Option<?> o : open) {
      if (placeholders.contains(o)) {
        continue;
      }
      String description = texts.description(connector, o, locale);
      if (o.secret()) {
        description += " " + text(words, "secret");
      }
      comment(out, "  ", description);
      out.append("  # ").append(o.name()).append(": ").append(example(o)).append('\n');
    }
  }

  /**
   * The options a job must give: the required ones (secrets aside). A connector with a catalog
   * names its connection with its catalog's options and its object with the rest, each group first
   * with what identifies it (a JDBC url, MongoDB hosts, a source's table): the first option of each
   * group, secrets aside, is a placeholder too, required or not (a JDBC source reads a table or a
   * query, connects by url or by host).
   */
  static Set<Option<?>> placeholders(Connector connector, Collection<Option<?>> options) {
    Set<Option<?>> placeholders = new LinkedHashSet<>();
    options.stream().filter(o -> o.required() && !o.secret()).forEach(placeholders::add);
    connector
        .catalog()
        .ifPresent(
            catalog -> {
              Set<String> connection =
                  catalog.options().options().stream()
                      .map(Option::name)
                      .collect(Collectors.toSet());
              for (boolean ofConnection : List.of(true, false)) {
                List<Option<?>> group =
                    options.stream()
                        .filter(o -> connection.contains(o.name()) == ofConnection && !o.secret())
                        .toList();
                if (!group.isEmpty()) {
                  placeholders.add(group.get(0));
                }
              }
            });
    return placeholders;
  }

  /**
   * What a commented-out option shows: its default, or a hint of the value it takes ({@code
   * <text>}, {@code <integer>}, {@code 30s}, the choices of an enumeration...).
   */
  static String example(Option<?> o) {
    return defaultText(o)
        .orElseGet(
            () ->
                switch (o.type()) {
                  case STRING -> o.secret() ? "<secret>" : "<text>";
                  case INTEGER, LONG -> "<integer>";
                  case DOUBLE -> "<number>";
                  case BOOLEAN -> "true|false";
                  case DURATION -> "<duration: 500ms, 30s, 5m, 1h>";
                  case SIZE -> "<size: 512KB, 64MB, 1GB>";
                  case ENUM -> String.join("|", o.choices());
                  case LIST -> "[<value>, ...]";
                  case OBJECT -> "{...}";
                });
  }

  /**
   * An option's default as a YAML value of a job file ({@link Option#defaultText()}): {@code 10s},
   * {@code 64MB}, an enumeration's spelling, a list in brackets, text quoted where YAML needs it;
   * empty when it has none.
   */
  public static Optional<String> defaultText(Option<?> o) {
    Object value = o.defaultValue();
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(
        switch (o.type()) {
          case INTEGER, LONG, DOUBLE, BOOLEAN -> String.valueOf(value);
          case LIST ->
              ((List<?>) value)
                  .stream()
                      .map(v -> scalar(String.valueOf(v)))
                      .collect(Collectors.joining(", ", "[", "]"));
          default -> scalar(o.defaultText());
        });
  }

  /** A YAML scalar: plain when it reads back as the same text, else double-quoted. */
  static String scalar(String text) {
    boolean plain =
        PLAIN.matcher(text).matches()
            && !text.endsWith(":")
            && !text.matches("(?i)true|false|yes|no|on|off|null|\\.inf|\\.nan");
    return plain ? text : '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /**
   * Appends {@code text} as comment lines of at most {@link #WIDTH} columns after {@code indent}
   * (which is {@code "# "} inside a commented-out block).
   */
  private static void comment(StringBuilder out, String indent, String text) {
    String prefix = indent + "# ";
    int room = Math.max(40, WIDTH - prefix.length());
    for (String line : wrap(text, room)) {
      out.append(prefix).append(line).append('\n');
    }
  }

  /** Lines of at most {@code room} columns, broken at spaces, or anywhere in CJK text. */
  static List<String> wrap(String text, int room) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    int columns = 0;
    int lastSpace = -1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int width = c >= 0x2E80 ? 2 : 1;
      if (columns + width > room) {
        if (lastSpace > 0) {
          String rest = line.substring(lastSpace + 1);
          lines.add(line.substring(0, lastSpace).stripTrailing());
          line = new StringBuilder(rest);
        } else {
          lines.add(line.toString().stripTrailing());
          line = new StringBuilder();
        }
        columns = line.codePoints().map(ch -> ch >= 0x2E80 ? 2 : 1).sum();
        lastSpace = line.lastIndexOf(" ");
      }
      if (c == ' ' && line.isEmpty()) {
        continue;
      }
      line.append(c);
      columns += width;
      if (c == ' ') {
        lastSpace = line.length() - 1;
      }
    }
    if (!line.toString().isBlank()) {
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  /** The template's own words: English, or Simplified Chinese for a Chinese locale. */
  private static ResourceBundle words(Locale locale) {
    return Texts.bundle("io.ferry.server.tasks.TemplateTexts", locale);
  }

  private static String text(ResourceBundle words, String key, Object... values) {
    return Texts.format(words, key, values);
  }
}
