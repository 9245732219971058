package io.growthos.management.paging;

import io.growthos.management.web.ManagementProperties;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Opaque pagination cursors: {@code base64url(payload) "." base64url(HMAC-SHA256(payload))}, where
 * the payload binds the list, the caller's workspace, a hash of the list's filters and the last id
 * returned. A cursor that was altered, minted for another workspace or list, or used with other
 * filters is 400 {@code invalid_cursor}; the server never trusts a cursor it did not sign.
 */
@Component
public class Cursors {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final String VERSION = "c1";

  private final SecretKeySpec key;

  public Cursors(ManagementProperties props) {
    this.key =
        new SecretKeySpec(props.cursorSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** A cursor that resumes {@code list} after {@code lastId}. */
  public String encode(String list, String tenant, String filters, String lastId) {
    String payload = String.join("\n", VERSION, list, tenant, digest(filters), lastId);
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return B64.encodeToString(bytes) + "." + B64.encodeToString(sign(bytes));
  }

  /** The last id of the page before, if {@code cursor} was minted for exactly this list. */
  public String decode(String cursor, String list, String tenant, String filters) {
    try {
      int dot = cursor.indexOf('.');
      if (dot <= 0) {
        throw invalid();
      }
      byte[] payload = B64D.decode(cursor.substring(0, dot));
      byte[] mac = B64D.decode(cursor.substring(dot + 1));
      if (!MessageDigest.isEqual(mac, sign(payload))) {
        throw invalid();
      }
      String[] parts = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
      if (parts.length != 5
          || !parts[0].equals(VERSION)
          || !parts[1].equals(list)
          || !parts[2].equals(tenant)
          || !parts[3].equals(digest(filters))
          || parts[4].isEmpty()) {
        throw invalid();
      }
      return parts[4];
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  private byte[] sign(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Arrays.copyOf(mac.doFinal(payload), 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }

  private static String digest(String filters) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(filters.getBytes(StandardCharsets.UTF_8));
      return B64.encodeToString(Arrays.copyOf(d, 12));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ApiException invalid() {
    return new ApiException(
        ErrorCode.INVALID_CURSOR,
        "The cursor is not valid for this list: pass next_cursor from the previous page of the"
            + " same list with the same filters.",
        List.of(ErrorDetail.of("cursor", "invalid_cursor", "Use next_cursor unchanged.")));
  }
}
