package io.growthos.platform.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JacksonException;
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
    return new HttpInputMessage() {
      @Override
      public InputStream getBody() {
        return new ByteArrayInputStream(body);
      }

      @Override
      public HttpHeaders getHeaders() {
        return input.getHeaders();
      }
    };
  }
}
