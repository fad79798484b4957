package io.ferry.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
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
 * The layers of DESIGN.md, enforced: the SPI depends on the JDK and slf4j only; a connector sees
 * only the SPI and the connector support library (never the engine, the CLI, or another connector —
 * the shared JDBC base excepted, on which the database dialects build); nothing but a connector's
 * own package names a concrete connector, so connectors stay pluggable.
 */
class ModuleBoundariesTest {
  private static final String SPI = "io.ferry.spi..";
  private static final String BASE = "io.ferry.connector.support..";
  private static final String TESTKIT = "io.ferry.connector.testkit..";
  // The shared JDBC base, on which the database dialect connectors build (like Trino's base-jdbc).
  private static final String JDBC = "io.ferry.connector.jdbc..";
  private static final String CONNECTORS = "io.ferry.connector..";

  private static JavaClasses production;

  @BeforeAll
  static void importClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ferry");
  }

  @Test
  void everyModuleIsImported() {
    // Guards the rules below against passing on an empty class set.
    for (String pkg :
        new String[] {
          "io.ferry.spi",
          "io.ferry.connector.support",
          "io.ferry.engine",
          "io.ferry.engine.internal",
          "io.ferry.cli",
          "io.ferry.server",
          "io.ferry.connector.file",
          "io.ferry.connector.datagen",
          "io.ferry.connector.jdbc",
          "io.ferry.connector.mysql",
          "io.ferry.connector.postgresql",
          "io.ferry.connector.oracle",
          "io.ferry.connector.sqlserver",
          "io.ferry.connector.mongodb",
          "io.ferry.connector.ftp",
          "io.ferry.connector.hbase",
          "io.ferry.connector.hdfs",
          "io.ferry.connector.elasticsearch",
          "io.ferry.connector.kafka"
        }) {
      assertThat(production.containPackage(pkg)).as(pkg).isTrue();
    }
  }

  @Test
  void theSpiDependsOnTheJdkAndSlf4jOnly() {
    classes()
        .that()
        .resideInAPackage(SPI)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(SPI, "java..", "org.slf4j..")
        .check(production);
  }

  @Test
  void theConnectorBaseSeesOnlyTheSpi() {
    noClasses()
        .that()
        .resideInAPackage(BASE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.ferry.engine..", "io.ferry.cli..", "io.ferry.server..")
        .orShould()
        .dependOnClassesThat(resideInAnyPackage(CONNECTORS).and(not(resideInAnyPackage(BASE))))
        .check(production);
  }

  @Test
  void connectorsSeeOnlyTheSpiAndTheConnectorBase() {
    noClasses()
        .that()
        .resideInAPackage(CONNECTORS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.ferry.engine..", "io.ferry.cli..", "io.ferry.server..", "io.ferry.flink..")
        .check(production);
  }

  @Test
  void connectorsDoNotDependOnEachOther() {
    slices()
        .matching("io.ferry.connector.(*)..")
        .should()
        .notDependOnEachOther()
        .ignoreDependency(alwaysTrue(), resideInAnyPackage(BASE, TESTKIT, JDBC))
        // FTP, SFTP and HDFS read and write the file connector's text formats through its public
        // API.
        .ignoreDependency(
            resideInAnyPackage("io.ferry.connector.ftp..", "io.ferry.connector.hdfs.."),
            resideInAnyPackage("io.ferry.connector.file.."))
        .check(production);
  }

  @Test
  void nothingOutsideAConnectorNamesAConcreteConnector() {
    noClasses()
        .that()
        .resideOutsideOfPackage(CONNECTORS)
        .should()
        .dependOnClassesThat(
            resideInAnyPackage(CONNECTORS).and(not(resideInAnyPackage(BASE, TESTKIT))))
        .check(production);
  }

  /**
   * The engine's API is the package io.ferry.engine (Engine, JobSpec, JobSpecLoader, JobRun,
   * RunResult, RunListener, Progress, RunRecord, CheckpointStore, Settings...); its machinery in
   * io.ferry.engine.internal is for the engine alone.
   */
  @Test
  void callersOfTheEngineUseItsApiOnly() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.ferry.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.ferry.engine.internal..")
        .check(production);
  }

  @Test
  void theEngineDoesNotDependOnItsCallers() {
    noClasses()
        .that()
        .resideInAPackage("io.ferry.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.ferry.cli..", "io.ferry.server..")
        .check(production);
  }
}
