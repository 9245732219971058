package io.growthos.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Layering of the ingest service, checked on every build. */
class ArchitectureTests {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.growthos.ingest");

  @Test
  void webLayerDoesNotTouchTheDatabase() {
    noClasses()
        .that()
        .resideInAPackage("..ingest.web..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.jdbc..", "java.sql..", "..ingest.contacts..")
        .check(CLASSES);
  }

  @Test
  void writePathDoesNotDependOnTheWebLayer() {
    noClasses()
        .that()
        .resideInAnyPackage("..ingest.events..", "..ingest.contacts..", "..ingest.auth..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..ingest.web..")
        .check(CLASSES);
  }

  @Test
  void featurePackagesHaveNoCycles() {
    slices().matching("io.growthos.ingest.(*)..").should().beFreeOfCycles().check(CLASSES);
  }
}
