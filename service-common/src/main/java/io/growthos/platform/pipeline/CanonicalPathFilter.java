package io.growthos.platform.pipeline;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.platform.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, before anything else runs, a request whose path or query is not in canonical form, so
 * that the path a check sees is the path Spring routes (the authentication bypass of issue 8 sent
 * {@code /%761/workspaces}, which Spring decodes to {@code /v1/workspaces}). 400 {@code
 * non_canonical_path} for a path with:
 *
 * <ul>
 *   <li>any percent-encoding ({@code /%761/...}, {@code /v%31/...}, {@code %2F}): every route of
 *       both APIs is plain ASCII, so no client needs one;
 *   <li>a {@code ;} (matrix or path parameters, which Spring strips before matching);
 *   <li>an empty segment ({@code //}) or a {@code .} or {@code ..} segment;
 *   <li>a character outside the RFC 3986 {@code pchar} set, such as a backslash.
 * </ul>
 *
 * Letter case is left alone: {@code /V1/...} is canonical in form and matches no route, so it is a
 * 404. A query string with malformed percent-encoding ({@code %zz}, a lone {@code %}) or an encoded
 * NUL ({@code %00}) is a 400 {@code invalid_query}: the container would otherwise fail on it when a
 * handler first reads a parameter. The detail names the parameter whose value is malformed ({@code
 * cursor} for {@code ?limit=5&cursor=%00}), as every 4xx names the field at fault; {@code query}
 * when the malformed part is a parameter's name.
 */
public class CanonicalPathFilter extends OncePerRequestFilter {

  private final ErrorResponses errors;

  public CanonicalPathFilter(ErrorResponses errors) {
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String problem = pathProblem(request.getRequestURI());
    if (problem != null) {
      errors.write(
          new ApiException(
              ErrorCode.VALIDATION_ERROR,
              "The request path is not in canonical form: " + problem + ".",
              List.of(ErrorDetail.of("path", "non_canonical_path", problem))),
          request,
          response);
      return;
    }
    String queryProblem = queryProblem(request.getQueryString());
    if (queryProblem != null) {
      errors.write(
          new ApiException(
              ErrorCode.VALIDATION_ERROR,
              "The query string is malformed: " + queryProblem + ".",
              List.of(
                  ErrorDetail.of(
                      queryFieldAtFault(request.getQueryString()), "invalid_query", queryProblem))),
          request,
          response);
      return;
    }
    chain.doFilter(request, response);
  }

  /** Why {@code path} (raw, as sent) is not canonical, or null when it is. */
  public static String pathProblem(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return "it must start with '/'";
    }
    int segmentStart = 1;
    for (int i = 1; i <= path.length(); i++) {
      char c = i < path.length() ? path.charAt(i) : '/';
      if (c == '/') {
        String segment = path.substring(segmentStart, i);
        boolean last = i == path.length();
        if (segment.isEmpty() && !last) {
          return "it has an empty segment ('//')";
        }
        if (segment.equals(".") || segment.equals("..")) {
          return "it has a '" + segment + "' segment";
        }
        segmentStart = i + 1;
        continue;
      }
      if (c == '%') {
        return "it has percent-encoded characters; send them unencoded";
      }
      if (c == ';') {
        return "it has ';' parameters";
      }
      if (!isPchar(c)) {
        return "it has the character '" + (c < 0x20 || c > 0x7e ? "\\u" + hex4(c) : c) + "'";
      }
    }
    return null;
  }

  /**
   * The field a malformed {@code query} (raw) is refused for: the decoded name of the first
   * parameter whose value is malformed, or {@code query} when a name is malformed (or none is).
   */
  public static String queryFieldAtFault(String query) {
    if (query == null) {
      return "query";
    }
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (queryProblem(name) != null) {
        return "query";
      }
      if (eq >= 0 && queryProblem(pair.substring(eq + 1)) != null) {
        String decoded = java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
        return decoded.isEmpty() ? "query" : decoded;
      }
    }
    return "query";
  }

  /** Why {@code query} (raw) is malformed, or null when it is well-formed. */
  public static String queryProblem(String query) {
    if (query == null) {
      return null;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(query.length());
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c == '%') {
        if (i + 2 >= query.length() || !isHex(query.charAt(i + 1)) || !isHex(query.charAt(i + 2))) {
          return "'%' must be followed by two hexadecimal digits";
        }
        int b = Integer.parseInt(query.substring(i + 1, i + 3), 16);
        if (b == 0) {
          return "it encodes the NUL character (%00)";
        }
        bytes.write(b);
        i += 2;
      } else {
        bytes.write(c > 0x7f ? '?' : c);
      }
    }
    try {
      java.nio.charset.StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
    } catch (java.nio.charset.CharacterCodingException e) {
      return "its percent-encoded bytes are not UTF-8";
    }
    return null;
  }

  private static boolean isPchar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,=:@".indexOf(c) >= 0;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String hex4(char c) {
    return String.format("%04x", (int) c);
  }
}
