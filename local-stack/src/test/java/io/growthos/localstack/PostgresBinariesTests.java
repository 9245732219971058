package io.growthos.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTests {

  @TempDir Path data;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void unpacksOnceIntoTheDataDirectoryAndZonkyRunsThoseBinaries() throws Exception {
    StackFiles files = new StackFiles(data);
    Files.createDirectories(files.logs());

    try (LocalPostgres postgres = LocalPostgres.start(files, out);
        Connection c =
            DriverManager.getConnection(
                postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.USER);
        ResultSet rs = c.createStatement().executeQuery("show server_version")) {
      rs.next();
      assertThat(rs.getString(1)).startsWith("17.");
      Path unpacked = PostgresBinaries.prepare(files.postgresBinaries(), out).directory();
      // zonky found the binaries complete: it unpacked nothing beside them.
      assertThat(list(files.postgresBinaries())).containsExactly(unpacked);
      assertThat(postgres.postmaster().orElseThrow().info().command().orElse(""))
          .startsWith(unpacked.toRealPath().toString());
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).containsOnlyOnce("Unpacking PostgreSQL");
  }

  @Test
  void healsAnInterruptedUnpackAndDropsOtherVersions() throws Exception {
    Path root = data.resolve("postgres-binaries");
    PostgresBinaries binaries = PostgresBinaries.prepare(root, out);
    Path complete = binaries.directory();
    // What a kill -9 during an unpack leaves, and binaries of an earlier version.
    Path interrupted = root.resolve(complete.getFileName() + ".partial-12345");
    Files.createDirectories(interrupted.resolve("lib"));
    Files.writeString(interrupted.resolve("lib").resolve("libicudata.so"), "half");
    Path older = root.resolve("PG-0123");
    Files.createDirectories(older.resolve("bin"));
    Files.createFile(older.resolve(".exists"));

    PostgresBinaries again = PostgresBinaries.prepare(root, out);

    assertThat(again.directory()).isEqualTo(complete);
    assertThat(list(root)).containsExactly(complete);
    assertThat(complete.resolve("bin").resolve("pg_ctl")).isExecutable();
    assertThat(complete.resolve("lib").resolve("libicudata.so")).exists();
  }

  @Test
  void unpacksAgainWhenTheCompleteMarkIsMissing() throws Exception {
    Path root = data.resolve("postgres-binaries");
    Path complete = PostgresBinaries.prepare(root, out).directory();
    Files.delete(complete.resolve(".exists"));
    Files.delete(complete.resolve("bin").resolve("postgres"));

    PostgresBinaries.prepare(root, out);

    assertThat(complete.resolve("bin").resolve("postgres")).isExecutable();
    assertThat(complete.resolve(".exists")).exists();
  }

  private static java.util.List<Path> list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
