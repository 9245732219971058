package io.growthos.bench.ingest;

/** Builds rows of PostgreSQL's COPY text format (tab-separated, {@code \N} for null). */
final class CopyText {

  private final StringBuilder sb;
  private boolean rowStarted;

  CopyText(int capacity) {
    this.sb = new StringBuilder(capacity);
  }

  /** Appends one column of the current row; null becomes {@code \N}. */
  CopyText column(String value) {
    if (rowStarted) {
      sb.append('\t');
    }
    rowStarted = true;
    if (value == null) {
      sb.append("\\N");
      return this;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
    return this;
  }

  /** Ends the current row. */
  CopyText endRow() {
    sb.append('\n');
    rowStarted = false;
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
