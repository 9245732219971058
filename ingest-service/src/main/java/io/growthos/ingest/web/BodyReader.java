package io.growthos.ingest.web;

import io.growthos.ingest.admission.RequestCosts;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.platform.web.Errors;
import jakarta.servlet.http.HttpServletRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body into memory, bounded: never more than the limit (plus one byte to detect
 * overflow) is held, before or after gzip decompression, so neither a huge body nor a gzip bomb can
 * exhaust memory. The limit applies to the decompressed body (SPEC §3). Every buffer is charged to
 * the caller before it is allocated, so a full in-flight budget refuses the request before its body
 * takes memory.
 */
final class BodyReader {

  private static final int INITIAL_BUFFER = RequestCosts.INITIAL_BODY_BUFFER;

  private final int limit;

  BodyReader(long limitBytes) {
    this.limit = (int) Math.min(Integer.MAX_VALUE - 16, limitBytes);
  }

  /**
   * @param charge told the size of each buffer before it is allocated; may throw to refuse
   */
  byte[] read(HttpServletRequest request, LongConsumer charge) {
    String encoding = request.getHeader("Content-Encoding");
    boolean gzip = false;
    if (!Errors.isIdentityEncoding(encoding)) {
      String e = encoding.strip().toLowerCase(Locale.ROOT);
      if (e.equals("gzip") || e.equals("x-gzip")) {
        gzip = true;
      } else {
        throw Errors.unsupportedContentEncoding(encoding, "gzip");
      }
    }
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      // For gzip the compressed size is a lower bound of the decompressed one (in practice).
      throw Errors.bodyTooLarge(limit);
    }
    try {
      InputStream raw = new BoundedStream(request.getInputStream(), limit);
      InputStream in = gzip ? new GZIPInputStream(raw, 8192) : raw;
      return readBounded(in, charge);
    } catch (ZipException | EOFException e) {
      if (!gzip) {
        throw Errors.unreadableBody();
      }
      throw new ApiException(
          ErrorCode.INVALID_JSON,
          "The body is marked gzip but is not a complete gzip stream.",
          List.of(
              ErrorDetail.of(
                  "Content-Encoding",
                  "invalid_gzip",
                  "Send a complete gzip stream or no encoding.")));
    } catch (TooLarge e) {
      throw Errors.bodyTooLarge(limit);
    } catch (IOException e) {
      throw Errors.unreadableBody();
    }
  }

  private byte[] readBounded(InputStream in, LongConsumer charge) throws IOException {
    charge.accept(INITIAL_BUFFER);
    byte[] buf = new byte[INITIAL_BUFFER];
    int len = 0;
    while (true) {
      if (len == buf.length) {
        int grown = Math.min(limit + 1, buf.length * 2);
        if (len == grown) {
          throw new TooLarge();
        }
        charge.accept(grown);
        buf = Arrays.copyOf(buf, grown);
      }
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        if (len == buf.length) {
          return buf;
        }
        charge.accept(len);
        return Arrays.copyOf(buf, len);
      }
      len += n;
      if (len > limit) {
        throw new TooLarge();
      }
    }
  }

  /** The body exceeded the limit. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /** Fails once more than {@code limit} bytes were read from the wire (compressed or not). */
  private static final class BoundedStream extends InputStream {
    private final InputStream in;
    private final long limit;
    private long count;

    BoundedStream(InputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0 && ++count > limit) {
        throw new TooLarge();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
        if (count > limit) {
          throw new TooLarge();
        }
      }
      return n;
    }
  }
}
