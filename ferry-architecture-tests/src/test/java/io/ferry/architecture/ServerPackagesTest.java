package io.ferry.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's packages by domain (docs/adr/0004-server-packages.md): the HTTP layer ({@code api})
 * sits on top and nothing depends on it; the domain packages ({@code datasources}, {@code tasks},
 * {@code runs}, {@code schedule}, {@code security}, {@code shared}) refuse with domain errors, not
 * HTTP statuses, and depend on each other without cycles.
 */
class ServerPackagesTest {
  private static final String SERVER = "io.ferry.server..";
  private static final String API = "io.ferry.server.api..";
  private static final String[] DOMAIN = {
    "io.ferry.server.alerts..",
    "io.ferry.server.datasources..",
    "io.ferry.server.monitoring..",
    "io.ferry.server.tasks..",
    "io.ferry.server.runs..",
    "io.ferry.server.schedule..",
    "io.ferry.server.catalog..",
    "io.ferry.server.security..",
    "io.ferry.server.shared.."
  };

  private static JavaClasses server;

  @BeforeAll
  static void importClasses() {
    server =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ferry.server");
  }

  @Test
  void everyPackageIsImported() {
    assertThat(server.containPackage("io.ferry.server.api")).isTrue();
    for (String pkg : DOMAIN) {
      String name = pkg.substring(0, pkg.length() - 2);
      assertThat(server.containPackage(name)).as(name).isTrue();
    }
  }

  @Test
  void controllersLiveInTheApiPackage() {
    classes()
        .that()
        .areAnnotatedWith("org.springframework.web.bind.annotation.RestController")
        .or()
        .areAnnotatedWith("org.springframework.stereotype.Controller")
        .or()
        .areAnnotatedWith("org.springframework.web.bind.annotation.RestControllerAdvice")
        .or()
        .areAnnotatedWith("org.springframework.web.bind.annotation.ControllerAdvice")
        .should()
        .resideInAPackage(API)
        .check(server);
  }

  @Test
  void nothingDependsOnTheApi() {
    noClasses()
        .that()
        .resideInAPackage(SERVER)
        .and()
        .resideOutsideOfPackage(API)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(API)
        .check(server);
  }

  @Test
  void domainServicesDoNotSpeakHttp() {
    // Security configures the HTTP filter chain, so it is left out; the others refuse with
    // io.ferry.server.shared.DomainException, which the API maps to a status.
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.ferry.server.alerts..",
            "io.ferry.server.monitoring..",
            "io.ferry.server.datasources..",
            "io.ferry.server.tasks..",
            "io.ferry.server.runs..",
            "io.ferry.server.schedule..",
            "io.ferry.server.catalog..",
            "io.ferry.server.shared..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.http..", "org.springframework.web.bind..")
        .check(server);
  }

  @Test
  void serverPackagesAreFreeOfCycles() {
    // Each package its own slice, so that schedule.model (the calculations tasks and runs use)
    // counts apart from the scheduler above them.
    slices().matching("io.ferry.server.(**)").should().beFreeOfCycles().check(server);
  }
}
