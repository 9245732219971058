package io.growthos.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceImageTests {

  @TempDir Path dir;

  @Test
  void onJava17TheFirstRunWritesTheArchiveAsideAndLaterRunsMapIt() throws Exception {
    ServiceImage image = new ServiceImage(dir, dir.resolve("app.jar"));

    assertThat(image.jvmOptions(17))
        .contains("-XX:ArchiveClassesAtExit=" + dir.resolve("classes.jsa.new"), "-Xshare:auto")
        .noneMatch(o -> o.startsWith("-XX:SharedArchiveFile"));

    Files.writeString(dir.resolve("classes.jsa.new"), "archive");
    image.keepArchive();

    assertThat(dir.resolve("classes.jsa.new")).doesNotExist();
    assertThat(image.jvmOptions(17))
        .contains("-XX:SharedArchiveFile=" + dir.resolve("classes.jsa"))
        .noneMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit"));
  }

  @Test
  void theRunThatWritesTheArchiveLogsOnlyErrorsAndARunThatMapsItWarns() throws Exception {
    ServiceImage image = new ServiceImage(dir, dir.resolve("app.jar"));

    assertThat(image.jvmOptions(17)).contains("-Xlog:cds=error,cds+dynamic=error:stdout");
    assertThat(image.jvmOptions(21)).contains("-Xlog:cds=error,cds+dynamic=error:stdout");

    Files.writeString(dir.resolve("classes.jsa.new"), "archive");
    image.keepArchive();

    assertThat(image.jvmOptions(17)).contains("-Xlog:cds=warning,cds+dynamic=warning:stdout");
  }

  @Test
  void aKeptArchiveThatLostItsTailIsDiscardedAndTheNextStartMakesANewOne() throws Exception {
    ServiceImage image = new ServiceImage(dir, dir.resolve("app.jar"));
    Files.writeString(dir.resolve("classes.jsa.new"), "a whole archive");
    image.keepArchive();
    image.discardDamagedArchive();
    assertThat(dir.resolve("classes.jsa")).hasContent("a whole archive");
    assertThat(image.needsTrainingRun()).isFalse();

    // What a crash of the machine after the rename, or a disk that lost the tail, leaves: Java 17
    // would map it and die of SIGBUS at every start.
    Files.writeString(dir.resolve("classes.jsa"), "a whole");
    image.discardDamagedArchive();

    assertThat(dir.resolve("classes.jsa")).doesNotExist();
    assertThat(image.needsTrainingRun()).isTrue();
    assertThat(image.jvmOptions(17))
        .anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit"))
        .noneMatch(o -> o.startsWith("-XX:SharedArchiveFile"));
  }

  @Test
  void anArchiveWithoutARecordedSizeIsLeftAlone() throws Exception {
    // Kept by an older launcher, or written by the JVM itself on Java 19+.
    Files.writeString(dir.resolve("classes.jsa"), "archive");
    new ServiceImage(dir, dir.resolve("app.jar")).discardDamagedArchive();
    assertThat(dir.resolve("classes.jsa")).exists();
  }

  @Test
  void anEmptyArchiveFromAnInterruptedWriteIsNotKept() throws Exception {
    ServiceImage image = new ServiceImage(dir, dir.resolve("app.jar"));
    Files.createFile(dir.resolve("classes.jsa.new"));

    image.keepArchive();

    assertThat(dir.resolve("classes.jsa")).doesNotExist();
    assertThat(image.jvmOptions(17)).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit"));
  }

  @Test
  void theLauncherRunsATrainingRunUntilTheArchiveIsKept() throws Exception {
    ServiceImage image = new ServiceImage(dir, dir.resolve("app.jar"));
    assertThat(image.needsTrainingRun()).isTrue();

    Files.writeString(dir.resolve("classes.jsa.new"), "archive");
    assertThat(image.needsTrainingRun()).as("written, not yet kept").isTrue();

    image.keepArchive();
    assertThat(image.needsTrainingRun()).isFalse();
  }

  @Test
  void aTrainingRunThatWroteNoArchiveIsNotRepeatedAndTheRealRunStillWritesIt() {
    ServiceImage image = new ServiceImage(dir, dir.resolve("app.jar"));

    image.trainingRunWroteNoArchive();

    assertThat(image.needsTrainingRun()).isFalse();
    assertThat(new ServiceImage(dir, dir.resolve("app.jar")).needsTrainingRun()).isFalse();
    assertThat(image.writesArchiveAtExit()).isTrue();
    assertThat(image.jvmOptions(17))
        .contains("-XX:ArchiveClassesAtExit=" + dir.resolve("classes.jsa.new"));
  }

  @Test
  void onJava19AndLaterTheJvmKeepsTheArchiveItself() {
    ServiceImage image = new ServiceImage(dir, dir.resolve("app.jar"));

    assertThat(image.jvmOptions(21))
        .contains(
            "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + dir.resolve("classes.jsa"));
  }
}
