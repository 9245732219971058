package io.growthos.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** shared-model is used by both apps, so it must know neither of them nor the web layer. */
@AnalyzeClasses(
    packages = "io.growthos.model",
    importOptions = ImportOption.DoNotIncludeTests.class)
class SharedModelArchitectureTests {

  @ArchTest
  static final ArchRule knowsNeitherApp =
      noClasses()
          .that()
          .resideInAPackage("io.growthos.model..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.growthos.ingest..", "io.growthos.management..", "io.growthos.platform..");

  @ArchTest
  static final ArchRule hasNoWebLayer =
      noClasses()
          .that()
          .resideInAPackage("io.growthos.model..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework.web..",
              "org.springframework.http..",
              "jakarta.servlet..",
              "org.springframework.boot.web..",
              "org.springframework.boot.webmvc..");

  @ArchTest
  static final ArchRule hasNoPackageCycles =
      slices().matching("io.growthos.model.(*)..").should().beFreeOfCycles();
}
