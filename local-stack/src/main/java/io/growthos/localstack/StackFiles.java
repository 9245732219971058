package io.growthos.localstack;

import java.nio.file.Path;

/**
 * The layout of a data directory. Everything the stack keeps between runs is here, so deleting the
 * directory resets the stack.
 */
record StackFiles(Path root) {

  Path credentials() {
    return root.resolve("credentials.json");
  }

  Path logs() {
    return root.resolve("logs");
  }

  Path log(String name) {
    return logs().resolve(name + ".log");
  }

  /** Pid files and the launcher lock: describe the running stack only. */
  Path run() {
    return root.resolve("run");
  }

  Path pidFile(String name) {
    return run().resolve(name + ".pid");
  }

  Path launcherLock() {
    return run().resolve("launcher.lock");
  }

  Path postgresData() {
    return root.resolve("postgres");
  }

  /**
   * A service's {@code java.io.tmpdir} (Tomcat's work directories), emptied before each of its
   * starts, so that starts leave nothing behind in the machine's shared temp directory.
   */
  Path tmp(String service) {
    return root.resolve("tmp").resolve(service);
  }

  /** PostgreSQL's programs, unpacked on the first start ({@link PostgresBinaries}). */
  Path postgresBinaries() {
    return root.resolve("postgres-binaries");
  }

  /** The services' jars, unpacked with their class data archives ({@link ServiceImage}). */
  Path serviceImages() {
    return root.resolve("services");
  }

  /** The PostgreSQL port, chosen once and kept so that tools pointed at it keep working. */
  Path postgresPort() {
    return root.resolve("postgres.port");
  }
}
