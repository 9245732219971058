package io.growthos.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pinned npm project under {@code src/test/…} (its {@code package.json} and {@code
 * package-lock.json} plus scripts), copied to {@code target/} and installed with exactly its lock
 * file ({@code npm ci}), then run with the machine's Node. Tests use it to prove compatibility with
 * real client packages (the Segment and RudderStack SDKs, the Standard Webhooks library) rather
 * than with imitations of them.
 *
 * <p>Needs {@code node} and {@code npm} on the PATH and the npm registry (or a warm npm cache): a
 * build without them fails with a message that says so, rather than skipping the proof.
 */
public final class NodeProject {

  /** What a command printed (stdout and stderr together) and its exit code. */
  public record Run(int exitCode, String output) {}

  private final Path directory;

  private NodeProject(Path directory) {
    this.directory = directory;
  }

  /**
   * Copies {@code files} from {@code sources} to {@code target} and runs {@code npm ci} there
   * (scripts ignored).
   */
  public static NodeProject install(Path sources, Path target, List<String> files)
      throws IOException, InterruptedException {
    Files.createDirectories(target);
    for (String file : files) {
      Files.copy(sources.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    NodeProject project = new NodeProject(target);
    Run install =
        project.run(
            Duration.ofMinutes(5),
            "npm",
            "ci",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--loglevel=error");
    if (install.exitCode() != 0) {
      throw new AssertionError("npm ci in " + target + " failed:\n" + install.output());
    }
    return project;
  }

  /**
   * Runs {@code command} in the project's directory; fails the test when it does not end in time.
   */
  public Run run(Duration timeout, String... command) throws IOException, InterruptedException {
    Path output = Files.createTempFile("node-project-", ".out");
    try {
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
      } catch (IOException e) {
        throw new AssertionError(
            "'" + command[0] + "' could not be run; install Node.js 18 or newer (with npm)", e);
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            String.join(" ", command) + " timed out:\n" + Files.readString(output));
      }
      return new Run(process.exitValue(), Files.readString(output));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
