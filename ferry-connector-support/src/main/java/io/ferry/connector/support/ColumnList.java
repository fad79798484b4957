package io.ferry.connector.support;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The grammar of a connector's {@code columns} option, parsed in one place: a list whose entries
 * are either a text {@code "name rest..."} (the words after the name are the connector's, usually a
 * Ferry type) or a map with a {@code name} and the keys the connector declares. A key the connector
 * does not declare is an error that names it, as is a repeated name.
 *
 * <pre>{@code
 * static final ColumnList GRAMMAR = ColumnList.of("column", "[\"id int64\", {name: amount, type: decimal(12,2)}]");
 * Option.object("columns", raw -> GRAMMAR.parse(raw, e -> Column.of(e.name(), e.requiredType())))
 * }</pre>
 *
 * <p>Messages count entries from 1 and call them by the noun given ({@code column}, {@code field});
 * {@link io.ferry.spi.OptionSet} puts the option's name in front of them.
 */
public final class ColumnList {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final String noun;
  private final String example;
  private final String textForm;
  private final Set<String> keys;
  private final String textSeparator;
  private final boolean uniqueNames;

  private ColumnList(
      String noun,
      String example,
      String textForm,
      Set<String> keys,
      String textSeparator,
      boolean uniqueNames) {
    this.noun = noun;
    this.example = example;
    this.textForm = textForm;
    this.keys = keys;
    this.textSeparator = textSeparator;
    this.uniqueNames = uniqueNames;
  }

  /**
   * The usual grammar: entries {@code "name type"} or {@code {name, type}}, names unique, a list
   * only.
   *
   * @param noun what an entry is called in messages, e.g. {@code column}
   * @param example a short valid list, shown when the value is not a list
   */
  public static ColumnList of(String noun, String example) {
    return new ColumnList(
        requireNonNull(noun, "noun is null"),
        requireNonNull(example, "example is null"),
        "'name type'",
        new LinkedHashSet<>(List.of("name", "type")),
        null,
        true);
  }

  /** This grammar with the map keys besides {@code name}, in the order messages list them. */
  public ColumnList keys(String... keys) {
    Set<String> all = new LinkedHashSet<>();
    all.add("name");
    all.addAll(Arrays.asList(keys));
    return new ColumnList(noun, example, textForm, all, textSeparator, uniqueNames);
  }

  /** This grammar with the text form shown in messages, e.g. {@code 'name [type]'}. */
  public ColumnList textForm(String textForm) {
    return new ColumnList(noun, example, textForm, keys, textSeparator, uniqueNames);
  }

  /**
   * This grammar also taking one text whose entries are separated by {@code separator} (a parameter
   * substitution yields text, not a list). Blank entries between separators are skipped.
   */
  public ColumnList orText(String separator) {
    return new ColumnList(noun, example, textForm, keys, separator, uniqueNames);
  }

  /** This grammar allowing one name in several entries (e.g. a row key that is also a cell). */
  public ColumnList namesMayRepeat() {
    return new ColumnList(noun, example, textForm, keys, textSeparator, false);
  }

  /**
   * Parses a raw option value.
   *
   * @param entry makes the connector's column of one entry; throws {@link IllegalArgumentException}
   *     (see {@link Entry#problem}) for what it does not accept
   * @throws IllegalArgumentException saying which entry is wrong and why
   */
  public <T> List<T> parse(Object raw, Function<Entry, T> entry) {
    List<?> items = items(raw);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("must list at least one " + noun);
    }
    List<T> out = new ArrayList<>(items.size());
    Set<String> names = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      Entry e = entry(items.get(i), i + 1);
      if (uniqueNames && !names.add(e.name)) {
        throw new IllegalArgumentException(noun + " '" + e.name + "' is listed twice");
      }
      out.add(entry.apply(e));
    }
    return List.copyOf(out);
  }

  private List<?> items(Object raw) {
    if (raw instanceof List<?> list) {
      return list;
    }
    if (textSeparator != null && raw instanceof String text && !text.isBlank()) {
      List<String> parts = new ArrayList<>();
      for (String part : text.split(Pattern.quote(textSeparator))) {
        if (!part.isBlank()) {
          parts.add(part);
        }
      }
      return parts;
    }
    throw new IllegalArgumentException("expected a list of " + noun + "s such as " + example);
  }

  private Entry entry(Object item, int number) {
    if (item instanceof String text) {
      String trimmed = text.trim();
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException(noun + " " + number + " is empty");
      }
      String[] words = WHITESPACE.split(trimmed, 2);
      return new Entry(number, words[0], words.length > 1 ? words[1].trim() : "", null, trimmed);
    }
    if (item instanceof Map<?, ?> map) {
      for (Object key : map.keySet()) {
        if (!keys.contains(key)) {
          throw new IllegalArgumentException(
              noun
                  + " "
                  + number
                  + " has unknown key '"
                  + key
                  + "'; a "
                  + noun
                  + " has "
                  + String.join(", ", keys));
        }
      }
      if (!(map.get("name") instanceof String name) || name.isBlank()) {
        throw new IllegalArgumentException(noun + " " + number + " needs a text 'name'");
      }
      return new Entry(number, name.trim(), null, map, null);
    }
    throw new IllegalArgumentException(
        noun
            + " "
            + number
            + " must be the text "
            + textForm
            + " or a map with "
            + String.join(", ", keys));
  }

  /** One entry of the list, as written. */
  public final class Entry {
    private final int number;
    private final String name;
    private final String rest;
    private final Map<?, ?> map;
    private final String text;

    private Entry(int number, String name, String rest, Map<?, ?> map, String text) {
      this.number = number;
      this.name = name;
      this.rest = rest;
      this.map = map;
      this.text = text;
    }

    /** The entry's place in the list, from 1. */
    public int number() {
      return number;
    }

    public String name() {
      return name;
    }

    /** Whether the entry is a text (else a map). */
    public boolean isText() {
      return map == null;
    }

    /** A text entry's words after the name (none for a map, or a text that is only a name). */
    public List<String> words() {
      return map == null && !rest.isEmpty() ? List.of(WHITESPACE.split(rest)) : List.of();
    }

    /** A map entry's value of a declared key, or null (always null for a text entry). */
    public Object get(String key) {
      if (!keys.contains(key)) {
        throw new IllegalArgumentException("key '" + key + "' is not declared");
      }
      return map == null ? null : map.get(key);
    }

    /**
     * The type as written: a text entry's rest after the name, a map entry's {@code type}; null
     * when none is given.
     */
    public String typeText() {
      if (map == null) {
        return rest.isEmpty() ? null : rest;
      }
      Object type = map.get("type");
      if (type != null && !(type instanceof String)) {
        throw new IllegalArgumentException(
            noun + " " + number + " '" + name + "' needs a text 'type', e.g. int64 or string");
      }
      return type == null || ((String) type).isBlank() ? null : (String) type;
    }

    /** The Ferry type given, or null when none is. */
    public DataType type() {
      String type = typeText();
      return type == null ? null : dataType(type);
    }

    /** The Ferry type, which this entry must give. */
    public DataType requiredType() {
      String type = typeText();
      if (type == null) {
        throw new IllegalArgumentException(
            map == null
                ? noun + " " + number + " '" + text + "' needs a name and a type, e.g. 'id int64'"
                : noun
                    + " "
                    + number
                    + " '"
                    + name
                    + "' needs a text 'type', e.g. int64 or string");
      }
      return dataType(type);
    }

    /** Parses {@code text} as a Ferry type; a problem names this entry. */
    public DataType dataType(String text) {
      try {
        return DataType.parse(text);
      } catch (IllegalArgumentException e) {
        throw problem(e.getMessage());
      }
    }

    /** A problem with this entry: {@code column 'name': problem}. */
    public IllegalArgumentException problem(String problem) {
      return new IllegalArgumentException(noun + " '" + name + "': " + problem);
    }

    /** The entry as written, for messages: the text, or the name of a map entry. */
    @Override
    public String toString() {
      return text != null ? text : name;
    }
  }
}
