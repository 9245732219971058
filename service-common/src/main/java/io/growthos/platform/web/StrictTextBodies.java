package io.growthos.platform.web;

import io.growthos.model.values.JsonNesting;
import io.growthos.model.values.NumberRange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies {@link RequestText} to every {@code @RequestBody} before it is bound: bytes that are not
 * strict UTF-8 are 400 naming {@code body}; a string or key holding NUL or an unpaired surrogate is
 * 400 naming its field. Without it, Jackson decoded an overlong {@code C0 AF} as {@code /}, and a
 * {@code \}{@code uD800} reached PostgreSQL, which stored {@code ?} while the 201 echoed the
 * original. A body whose bytes hold no such escape is not parsed here; one that is not JSON is left
 * to the binding's own 400. A body with a Content-Encoding (gzip, br, ...) is a 415 naming the
 * header ({@link Errors#unsupportedContentEncoding}): these bodies are read as sent, never decoded.
 *
 * <p>The bytes checked as UTF-8 are also read as UTF-8, whatever {@code charset} the Content-Type
 * names: JSON is UTF-8 (RFC 8259 §8.1, and §11: the parameter "has no effect on compliant
 * recipients"), and the Ingest API reads its bodies so. Passing the label on made Jackson decode a
 * UTF-8 body labelled {@code ISO-8859-1} as Latin-1: "café" was stored as "cafÃ©", with a 201.
 */
@ControllerAdvice
public class StrictTextBodies extends RequestBodyAdviceAdapter {

  private static final JsonMapper PLAIN = JsonMapper.builder().build();

  @Override
  public boolean supports(
      MethodParameter parameter,
      Type targetType,
      Class<? extends HttpMessageConverter<?>> converterType) {
    return true;
  }

  @Override
  public HttpInputMessage beforeBodyRead(
      HttpInputMessage input,
      MethodParameter parameter,
      Type targetType,
      Class<? extends HttpMessageConverter<?>> converterType)
      throws IOException {
    String encoding = input.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING);
    if (!Errors.isIdentityEncoding(encoding)) {
      throw Errors.unsupportedContentEncoding(encoding, null);
    }
    byte[] body = input.getBody().readAllBytes();
    RequestText.requireUtf8(body);
    if (JsonNesting.depth(body) > JsonNesting.MAX_DEPTH
        || hasNumberRunLongerThan(body, NumberRange.MAX_CHARS)) {
      requireWithinParserLimits(body);
    }
    if (RequestText.mayHoldUnstorableText(body)) {
      JsonNode tree;
      try {
        tree = PLAIN.readTree(body);
      } catch (JacksonException notJson) {
        tree = null; // the binding answers it
      }
      if (tree != null) {
        RequestText.requireStorableText(tree);
      }
    }
    HttpHeaders headers = readAsUtf8(input.getHeaders());
    return new HttpInputMessage() {
      @Override
      public InputStream getBody() {
        return new ByteArrayInputStream(body);
      }

      @Override
      public HttpHeaders getHeaders() {
        return headers;
      }
    };
  }

  private static final JsonMapper LIMITS =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(JsonNesting.MAX_DEPTH)
                          .maxNumberLength(NumberRange.MAX_CHARS)
                          .build())
                  .build())
          .build();

  /**
   * Whether {@code body} has a run of more than {@code max} characters a number literal is written
   * with (digits, sign, point, exponent): a cheap first look, true for every body with too long a
   * number (and for some strings, which the token scan then passes).
   */
  static boolean hasNumberRunLongerThan(byte[] body, int max) {
    int run = 0;
    for (byte b : body) {
      boolean numeric =
          (b >= '0' && b <= '9') || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-';
      run = numeric ? run + 1 : 0;
      if (run > max) {
        return true;
      }
    }
    return false;
  }

  /**
   * 400 naming the field where {@code body} passes a limit of the parser that the API answers for
   * itself, as the Ingest API does: nesting deeper than {@link JsonNesting#MAX_DEPTH} ({@code
   * too_deep}), or a number literal longer than {@link NumberRange#MAX_CHARS} ({@code
   * out_of_range}, as a parsed number beyond it, {@code 1e1000}, is answered; the binding's parser
   * refuses such a literal without saying where, and until 2026-12-07 it was "The body could not be
   * read." naming its parent). The text is read again token by token, building nothing, to the
   * parser's refusal; a body that is not JSON before that point, or passes another limit, is left
   * to the binding's own 400.
   */
  private static void requireWithinParserLimits(byte[] body) {
    JsonParser parser = LIMITS.createParser(body);
    try {
      while (parser.nextToken() != null) {
        // The parser checks the depth and each number's length as it reads.
      }
    } catch (StreamConstraintsException limit) {
      if (Errors.isNumberTooLong(limit)) {
        throw Errors.numberTooLong(Errors.parserPath(parser));
      }
      if (Errors.isNestingTooDeep(limit)) {
        throw Errors.tooDeep(Errors.parserPath(parser), JsonNesting.MAX_DEPTH);
      }
    } catch (JacksonException notJson) {
      // the binding answers it
    } finally {
      parser.close();
    }
  }

  /** {@code headers} with the Content-Type's charset, if it names one, replaced by UTF-8. */
  private static HttpHeaders readAsUtf8(HttpHeaders headers) {
    MediaType type = headers.getContentType();
    if (type == null
        || type.getCharset() == null
        || StandardCharsets.UTF_8.equals(type.getCharset())) {
      return headers;
    }
    HttpHeaders copy = HttpHeaders.copyOf(headers);
    copy.setContentType(new MediaType(type, StandardCharsets.UTF_8));
    return copy;
  }
}
