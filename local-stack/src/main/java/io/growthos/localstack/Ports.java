package io.growthos.localstack;

import java.io.IOException;
import java.net.ServerSocket;

/** Whether a TCP port can be listened on. */
final class Ports {

  private Ports() {}

  /** True when nothing listens on {@code port} on any local address. */
  static boolean isFree(int port) {
    try {
      new ServerSocket(port).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void requireFree(int port, String variable, String service) {
    if (!isFree(port)) {
      throw new StackException(
          "port "
              + port
              + " for the "
              + service
              + " is already in use by another program; stop it or choose another port with "
              + variable
              + "=<port>");
    }
  }
}
