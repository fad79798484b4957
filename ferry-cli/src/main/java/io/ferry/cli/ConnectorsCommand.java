package io.ferry.cli;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.spi.Connector;
import io.ferry.spi.FerryException;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry connectors [NAME]}: what is installed, and every option of each role. */
@Command(
    name = "connectors",
    mixinStandardHelpOptions = true,
    versionProvider = FerryVersion.class,
    description = {
      "Lists the installed connectors with their roles.",
      "With NAME or --options, also every option of each role: type, required or default,",
      "accepted values and what it does. Secret options are marked and their defaults masked."
    })
final class ConnectorsCommand implements Callable<Integer> {
  /** Shown instead of a secret option's value. */
  static final String MASK = "****";

  @Spec CommandSpec spec;

  @Mixin LoggingOptions logging;

  @Parameters(
      arity = "0..1",
      paramLabel = "NAME",
      description = "One connector to describe with its options.")
  String name;

  @picocli.CommandLine.Option(
      names = "--options",
      description = "Show the options of every connector.")
  boolean options;

  @Override
  public Integer call() {
    logging.apply();
    PrintWriter out = spec.commandLine().getOut();
    ConnectorRegistry registry = FerryHome.current().connectors();
    if (name != null) {
      Connector connector;
      try {
        connector = registry.connector(name);
      } catch (FerryException e) {
        spec.commandLine().getErr().println("ferry: " + e.getMessage());
        return ExitCode.INVALID;
      }
      describe(out, connector);
    } else if (options) {
      for (Connector connector : registry.connectors()) {
        describe(out, connector);
        out.println();
      }
    } else {
      list(out, registry.connectors());
    }
    out.flush();
    return ExitCode.SUCCEEDED;
  }

  private static void list(PrintWriter out, Collection<Connector> connectors) {
    int nameWidth = 4;
    int rolesWidth = 5;
    for (Connector c : connectors) {
      nameWidth = Math.max(nameWidth, c.name().length());
      rolesWidth = Math.max(rolesWidth, String.join(", ", roles(c).keySet()).length());
    }
    String format = "%-" + nameWidth + "s  %-" + rolesWidth + "s  %s%n";
    out.printf(Locale.ROOT, format, "NAME", "ROLES", "DESCRIPTION");
    for (Connector c : connectors) {
      out.printf(
          Locale.ROOT, format, c.name(), String.join(", ", roles(c).keySet()), c.description());
    }
  }

  private static void describe(PrintWriter out, Connector connector) {
    Map<String, OptionSet> roles = roles(connector);
    out.println(connector.name() + ": " + connector.description());
    out.println("  roles: " + String.join(", ", roles.keySet()));
    roles.forEach(
        (role, set) -> {
          out.println();
          out.println("  " + role + " options:");
          for (Option<?> option : set.options()) {
            out.println("    " + header(option));
            out.println("        " + option.description());
          }
        });
  }

  /** {@code format (enum, default csv): csv, tsv, jsonl}. */
  static String header(Option<?> option) {
    List<String> facts = new ArrayList<>();
    facts.add(option.type().name().toLowerCase(Locale.ROOT));
    if (option.required()) {
      facts.add("required");
    } else if (option.defaultValue() != null) {
      facts.add("default " + (option.secret() ? MASK : text(option)));
    }
    if (option.secret()) {
      facts.add("secret");
    }
    String header = option.name() + " (" + String.join(", ", facts) + ")";
    return option.choices().isEmpty()
        ? header
        : header + ": one of " + String.join(", ", option.choices());
  }

  /** The default as a job file would write it (10s, 8MB, skip-header, a, b), or what it is. */
  static String text(Option<?> option) {
    Object value = option.defaultValue();
    if (value instanceof Collection<?> c && c.isEmpty()) {
      return "(none)";
    }
    if (value instanceof String s && s.isEmpty()) {
      return "''";
    }
    return option.defaultText();
  }

  /** The roles a connector offers, in the order job files and forms use them. */
  static Map<String, OptionSet> roles(Connector connector) {
    Map<String, OptionSet> roles = new LinkedHashMap<>();
    connector.source().ifPresent(r -> roles.put("source", r.options()));
    connector.sink().ifPresent(r -> roles.put("sink", r.options()));
    connector.catalog().ifPresent(r -> roles.put("catalog", r.options()));
    connector.changeSource().ifPresent(r -> roles.put("change-source", r.options()));
    connector.miningLog().ifPresent(r -> roles.put("mining-log", r.options()));
    return roles;
  }
}
