package io.growthos.localstack;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries of the data directory: unpacked once from the {@code .txz} that zonky's
 * binaries jar puts on the classpath into {@code <data dir>/postgres-binaries/}, never into a
 * directory shared with other programs (zonky's default, {@code /tmp/embedded-pg}).
 *
 * <p>Why not zonky's own unpack: it holds each archive entry in memory (libicudata is 30 MB, more
 * than the launcher's heap), and a half-unpacked directory from an interrupted run makes every
 * later start fail. Here entries are streamed to disk, into a directory with a temporary name that
 * is renamed (atomically, on the same file system) only once complete; whatever an interrupted
 * unpack left is deleted on the next start, under the launcher's instance lock.
 *
 * <p>How zonky is told to use them: it looks for {@code <working dir>/PG-<md5 of what the resolver
 * returns>/.exists} and unpacks only if that marker is missing. Our resolver returns the key of the
 * binaries (their SHA-256) rather than the archive, so the directory name is ours to compute, and
 * the marker is written before the rename.
 */
final class PostgresBinaries {

  private static final String MARKER = ".exists";
  private static final String PARTIAL = ".partial-";

  private final Path root;
  private final String resource;
  private final byte[] key;

  private PostgresBinaries(Path root, String resource, byte[] key) {
    this.root = root;
    this.resource = resource;
    this.key = key;
  }

  /**
   * The binaries for this platform under {@code root}, unpacked now if they are not complete yet;
   * call it holding the launcher's instance lock on the data directory.
   */
  static PostgresBinaries prepare(Path root, PrintStream out) {
    String resource = resourceName();
    PostgresBinaries binaries = new PostgresBinaries(root, resource, keyOf(resource));
    binaries.unpackIfMissing(out);
    return binaries;
  }

  /** Where zonky looks for (and, given {@link #resolver()}, finds) the unpacked binaries. */
  Path workingDirectory() {
    return root;
  }

  /** Hands zonky the key of these binaries; see the class comment. */
  PgBinaryResolver resolver() {
    return (system, architecture) -> new ByteArrayInputStream(key);
  }

  /** The directory holding {@code bin/}, {@code lib/} and {@code share/}. */
  Path directory() {
    try {
      return root.resolve(
          "PG-" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(key)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void unpackIfMissing(PrintStream out) {
    Path target = directory();
    try {
      Files.createDirectories(root);
      if (Files.exists(target.resolve(MARKER))) {
        deleteAllBut(target);
        return;
      }
      deleteAllBut(null);
      out.println("Unpacking PostgreSQL into " + root + " (first start only)");
      Path partial = root.resolve(target.getFileName() + PARTIAL + ProcessHandle.current().pid());
      Files.createDirectories(partial);
      try (InputStream txz = open(resource)) {
        extract(txz, partial);
      }
      Files.createFile(partial.resolve(MARKER));
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      throw new StackException(
          "cannot unpack PostgreSQL into " + root + ": " + e + " (the next start retries)", e);
    }
  }

  /** Removes interrupted unpacks and binaries of other versions; keeps {@code keep}. */
  private void deleteAllBut(Path keep) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        if (!entry.equals(keep)) {
          FileTrees.delete(entry);
        }
      }
    }
  }

  private static void extract(InputStream txz, Path into) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(txz, 1 << 16)))) {
      byte[] buffer = new byte[1 << 16];
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("archive entry outside its directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          continue;
        }
        Files.createDirectories(path.getParent());
        if (entry.isSymbolicLink()) {
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
          continue;
        }
        if (entry.isLink()) {
          Files.createLink(path, into.resolve(entry.getLinkName()).normalize());
          continue;
        }
        try (OutputStream file = Files.newOutputStream(path)) {
          int n;
          while ((n = tar.read(buffer)) > 0) {
            file.write(buffer, 0, n);
          }
        }
        Files.setPosixFilePermissions(path, permissions(entry.getMode()));
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> result = EnumSet.of(PosixFilePermission.OWNER_READ);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        result.add(bits[i]);
      }
    }
    return result;
  }

  /** Zonky's naming of the archive in its binaries jars ({@code postgres-linux-x86_64.txz}). */
  private static String resourceName() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String system =
        os.contains("mac") || os.contains("darwin")
            ? "darwin"
            : os.contains("linux") ? "linux" : os;
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String architecture =
        switch (arch) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "arm_64";
          default -> arch;
        };
    return "postgres-" + system + "-" + architecture + ".txz";
  }

  private static InputStream open(String resource) {
    InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new StackException(
          "no PostgreSQL binaries for this platform in the launcher ("
              + resource
              + " is missing); supported: Linux and macOS on x86_64 and arm64");
    }
    return in;
  }

  /** The SHA-256 of the archive: binaries from another archive get another directory. */
  private static byte[] keyOf(String resource) {
    try (InputStream in = open(resource);
        DigestInputStream digest =
            new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
      digest.transferTo(OutputStream.nullOutputStream());
      return ("growthos-"
              + resource
              + "-"
              + HexFormat.of().formatHex(digest.getMessageDigest().digest()))
          .getBytes(StandardCharsets.US_ASCII);
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new StackException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }
}
