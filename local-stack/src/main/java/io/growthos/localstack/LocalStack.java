package io.growthos.localstack;

import io.growthos.model.runtime.ServiceJvm;
import java.io.PrintStream;
import java.util.Map;

/**
 * Entry point of {@code ./growthos}: {@code start}, {@code stop}, {@code status} or {@code help}.
 * Configuration comes from the environment (see {@link StackConfig}); the script sets {@code
 * GROWTHOS_HOME}.
 */
public final class LocalStack {

  private LocalStack() {}

  public static void main(String[] args) {
    System.exit(run(args.length == 0 ? "help" : args[0], System.getenv(), System.out));
  }

  static int run(String command, Map<String, String> env, PrintStream out) {
    Launcher launcher = null;
    try {
      StackConfig config = StackConfig.fromEnvironment(env);
      switch (command) {
        case "start":
          launcher = new Launcher(config, env, out);
          return launcher.run();
        case "stop":
          return new StackControl(config.files(), out).stop();
        case "status":
          return new StackControl(config.files(), out).status();
        case "help":
        case "--help":
        case "-h":
          out.print(HELP);
          return 0;
        default:
          System.err.print("growthos: unknown command '" + command + "'\n\n" + HELP);
          return 2;
      }
    } catch (StackException e) {
      System.err.println("growthos: " + e.getMessage());
      return 1;
    } finally {
      if (launcher != null) {
        launcher.stop();
      }
    }
  }

  static final String HELP =
      """
      Usage: ./growthos <command>

        start    build what is missing, then run PostgreSQL, the ingest API and the
                 management API in the foreground until Ctrl-C; prints URLs and keys
        stop     stop the stack running on the data directory (from another terminal)
        status   show the stack's processes, their health and memory
        help     show this text

      Environment:
        GROWTHOS_DATA_DIR           data, credentials.json and logs (default: .growthos/)
        GROWTHOS_INGEST_PORT        ingest API port (default: 8081)
        GROWTHOS_MANAGEMENT_PORT    management API port (default: 8082)
        GROWTHOS_SERVICE_JAVA_OPTS  JVM options of each service (default: %s;
                                    management adds %s)
        GROWTHOS_START_TIMEOUT      seconds the services get to become healthy (default: 300)
        GROWTHOS_BOOTSTRAP_WORKSPACE_ID, GROWTHOS_BOOTSTRAP_WRITE_KEY, _SECRET_KEY, _ADMIN_KEY
                                    fix the workspace and keys on the first start
      """
          .formatted(ServiceJvm.DEFAULT_OPTIONS, ServiceJvm.Service.MANAGEMENT.own());
}
