package io.growthos.localstack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service jar made quick to start: unpacked once into the data directory ({@code java
 * -Djarmode=tools -jar <jar> extract}: the application jar plus {@code lib/}, which Class Data
 * Sharing needs, as it cannot map classes from jars nested in a jar), with a CDS archive of the
 * classes the service loads, written by the service's first run and mapped by every later one
 * instead of loading and verifying those classes again. That first run is a training run the
 * launcher makes before the real start of a new build ({@link #needsTrainingRun}), so even the
 * first real start maps the archive.
 *
 * <p>On Java 19+ the JVM keeps the archive itself ({@code -XX:+AutoCreateSharedArchive}). On 17 the
 * first run writes it at exit ({@code -XX:ArchiveClassesAtExit}) to a temporary name, and {@link
 * #keepArchive} renames it once the service stopped cleanly, so a run killed mid-write leaves no
 * half archive behind. A stale archive or one that is not an archive only costs the speed-up: the
 * JVM then warns and runs without it ({@code -Xshare:auto}). A <em>truncated</em> one is worse on
 * Java 17: the JVM maps it and dies of SIGBUS ({@code
 * FileMapInfo::relocate_pointers_in_core_regions}, exit 134) at every start; Java 25 notices and
 * runs without it. So the archive is flushed to disk before it is renamed into place, its size is
 * recorded beside it, and {@link #prepare} discards an archive whose size is not the recorded one
 * (a crash of the machine right after the rename, a disk that lost the tail), after which the start
 * makes a new one.
 */
final class ServiceImage {

  private static final String COMPLETE = ".complete";
  private static final String ARCHIVE = "classes.jsa";
  private static final String NEW_ARCHIVE = "classes.jsa.new";
  private static final String ARCHIVE_SIZE = "classes.jsa.size";
  private static final String NO_ARCHIVE = "training-run-wrote-no-archive";

  private final Path directory;
  private final Path jar;

  ServiceImage(Path directory, Path jar) {
    this.directory = directory;
    this.jar = jar;
  }

  /**
   * The unpacked image of {@code jar} under {@code root}, unpacked now if missing; images of
   * earlier builds of the same service are removed. Call it holding the launcher's lock.
   */
  static ServiceImage prepare(String name, Path jar, Path root, Path java) {
    try {
      Files.createDirectories(root);
      // A rebuild writes a new jar: its size and time name the image (hashing 60 MB would cost
      // more than the start it speeds up).
      String key =
          HexFormat.of()
              .toHexDigits(Files.size(jar) * 31 + Files.getLastModifiedTime(jar).toMillis());
      Path directory = root.resolve(name + "-" + key);
      Path unpacked = directory.resolve(jar.getFileName());
      if (Files.exists(directory.resolve(COMPLETE))) {
        ServiceImage image = new ServiceImage(directory, unpacked);
        image.discardDamagedArchive();
        return image;
      }
      try (DirectoryStream<Path> old = Files.newDirectoryStream(root, name + "-*")) {
        for (Path stale : old) {
          FileTrees.delete(stale);
        }
      }
      Path partial = root.resolve(name + "-" + key + ".partial-" + ProcessHandle.current().pid());
      extract(java, jar, partial);
      Files.createFile(partial.resolve(COMPLETE));
      Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
      return new ServiceImage(directory, unpacked);
    } catch (IOException e) {
      throw new StackException("cannot unpack " + jar + " into " + root + ": " + e.getMessage(), e);
    }
  }

  /** The JVM options that map (or, on a first run, write) the class data archive. */
  List<String> jvmOptions(int javaFeatureVersion) {
    List<String> options = new ArrayList<>();
    Path archive = directory.resolve(ARCHIVE);
    boolean mapsOnly = false;
    if (javaFeatureVersion >= 19) {
      options.add("-XX:+AutoCreateSharedArchive");
      options.add("-XX:SharedArchiveFile=" + archive);
    } else if (Files.isRegularFile(archive)) {
      options.add("-XX:SharedArchiveFile=" + archive);
      mapsOnly = true;
    } else {
      options.add("-XX:ArchiveClassesAtExit=" + directory.resolve(NEW_ARCHIVE));
    }
    options.add("-Xshare:auto");
    // A run that only maps the archive warns (in the service log) when it cannot use it: the start
    // is then slow and the log says why. A run that writes the archive logs errors only: writing
    // it warns once per class it leaves out (hundreds: generated accessors, classes of old
    // bytecode versions), which says nothing a user can act on.
    String level = mapsOnly ? "warning" : "error";
    options.add("-Xlog:cds=" + level + ",cds+dynamic=" + level + ":stdout");
    return options;
  }

  /** Whether a run started now writes the archive when it exits (which takes a while). */
  boolean writesArchiveAtExit() {
    return !Files.isRegularFile(directory.resolve(ARCHIVE));
  }

  /**
   * Whether the launcher should run the service once before its real start, so that the archive
   * exists when it starts for real: there is none yet, and no such run of this build has already
   * failed to write one (where the JVM cannot write it, every start would otherwise pay for a run
   * that gives nothing).
   */
  boolean needsTrainingRun() {
    return writesArchiveAtExit() && !Files.exists(directory.resolve(NO_ARCHIVE));
  }

  /** Records that a training run wrote no archive: later starts of this build run none. */
  void trainingRunWroteNoArchive() {
    try {
      Files.writeString(directory.resolve(NO_ARCHIVE), "");
    } catch (IOException e) {
      // the next start tries once more
    }
  }

  /** The unpacked application jar, to run with {@code -jar}. */
  Path jar() {
    return jar;
  }

  /**
   * After a clean stop: makes the archive the first run wrote the one later runs map. It is on disk
   * before it gets its name (a crash of the machine cannot leave a name on a part of it), and its
   * size is recorded for {@link #discardDamagedArchive}.
   */
  void keepArchive() {
    Path written = directory.resolve(NEW_ARCHIVE);
    try {
      long size = Files.isRegularFile(written) ? Files.size(written) : 0;
      if (size > 0) {
        force(written);
        Path recorded = directory.resolve(ARCHIVE_SIZE);
        Files.writeString(recorded, Long.toString(size));
        force(recorded);
        Files.move(
            written,
            directory.resolve(ARCHIVE),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // Only the speed-up is lost: the next run writes a new archive.
      deleteQuietly(written);
    }
  }

  /**
   * Deletes an archive whose size is not the one {@link #keepArchive} recorded: Java 17 would die
   * mapping a truncated one. The start then makes a new archive (a training run), as on the first
   * start of a build. An archive without a recorded size (kept by an older launcher, or written by
   * the JVM itself on Java 19+, which checks it) is left alone.
   */
  void discardDamagedArchive() {
    Path archive = directory.resolve(ARCHIVE);
    Path recorded = directory.resolve(ARCHIVE_SIZE);
    try {
      if (!Files.isRegularFile(archive) || !Files.isRegularFile(recorded)) {
        return;
      }
      if (!Files.readString(recorded).trim().equals(Long.toString(Files.size(archive)))) {
        Files.delete(archive);
        deleteQuietly(recorded);
      }
    } catch (IOException e) {
      // Unreadable: leave both; the JVM says in the service log if the archive cannot be used.
    }
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void extract(Path java, Path jar, Path into) throws IOException {
    Path log = Files.createTempFile("growthos-extract-", ".log");
    try {
      Process process =
          new ProcessBuilder(
                  java.toString(),
                  "-Djarmode=tools",
                  "-jar",
                  jar.toString(),
                  "extract",
                  "--destination",
                  into.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("extracting timed out");
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            "extract exited with " + process.exitValue() + ": " + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while extracting", e);
    } finally {
      deleteQuietly(log);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // left for the next start to remove
    }
  }
}
