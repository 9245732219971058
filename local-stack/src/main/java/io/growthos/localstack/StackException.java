package io.growthos.localstack;

/**
 * A problem the user can act on; {@code ./growthos} prints its message alone, without a stack
 * trace, and exits non-zero.
 */
final class StackException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  StackException(String message) {
    super(message);
  }

  StackException(String message, Throwable cause) {
    super(message, cause);
  }
}
