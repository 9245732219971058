package io.growthos.ingest.admission;

/**
 * What a request holds on the heap, as charged to the {@link InFlightBudget}: estimates, measured
 * on this code (docs/limits.md), erring high.
 */
public final class RequestCosts {

  /**
   * Heap bytes of a parsed JSON tree per byte of its text. Jackson's tree holds a map entry, a node
   * and a string per member: measured (retained after GC, JDK 17) at 7.9 for a batch of 2,500 small
   * track events, 6.2 for the amplification batch of issue 8 and 1.0 for one large string.
   */
  static final int TREE_BYTES_PER_JSON_BYTE = 8;

  /**
   * Heap bytes of the events' text per UTF-8 byte: the {@code String}s (up to two bytes a char)
   * and, while a group is written, the driver's copy of them.
   */
  static final int HEAP_BYTES_PER_EVENT_BYTE = 3;

  /** The body reader's first buffer, before it grows by doubling. */
  public static final int INITIAL_BODY_BUFFER = 8192;

  private RequestCosts() {}

  /** The heap a body of {@code bodyBytes} takes once parsed into a tree. */
  public static long parsedTree(long bodyBytes) {
    return bodyBytes * TREE_BYTES_PER_JSON_BYTE;
  }

  /** The heap the events' text of {@code utf8Bytes} takes until they are committed. */
  public static long eventText(long utf8Bytes) {
    return utf8Bytes * HEAP_BYTES_PER_EVENT_BYTE;
  }

  /**
   * The most one request can be charged: its body buffers (grown by doubling, then trimmed: up to
   * three times the body), its tree, and its events' text.
   */
  public static long worstCase(long maxBodyBytes, long maxStoredBytes, long maxEventBytes) {
    return 3 * (maxBodyBytes + 1)
        + INITIAL_BODY_BUFFER
        + parsedTree(maxBodyBytes)
        + eventText(maxStoredBytes + maxEventBytes);
  }
}
