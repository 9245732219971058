package io.growthos.management.web;

import io.growthos.model.errors.ApiException;
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

/**
 * Refuses a JSON body that carries the NUL character (a raw 0 byte, or the escape {@code \}{@code
 * u0000}) with 400 before it is bound: PostgreSQL stores no NUL in {@code text} or {@code jsonb},
 * so it could only fail later, deep in a write. Query parameters get the same treatment in the
 * canonical-path filter ({@code %00}).
 */
@ControllerAdvice
class NoNulCharacters extends RequestBodyAdviceAdapter {

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
    byte[] body = input.getBody().readAllBytes();
    if (hasNul(body)) {
      throw ApiException.invalid(
          "body",
          "invalid_character",
          "Text may not contain the NUL character (\\" + "u0000); remove it.");
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

  /** A 0 byte, or {@code \}{@code u0000} not itself escaped ({@code \\u0000} is plain text). */
  static boolean hasNul(byte[] body) {
    for (int i = 0; i < body.length; i++) {
      if (body[i] == 0) {
        return true;
      }
      if (body[i] == '\\' && i + 5 < body.length && body[i + 1] == 'u') {
        int backslashes = 0;
        for (int j = i; j >= 0 && body[j] == '\\'; j--) {
          backslashes++;
        }
        if (backslashes % 2 == 1
            && body[i + 2] == '0'
            && body[i + 3] == '0'
            && body[i + 4] == '0'
            && body[i + 5] == '0') {
          return true;
        }
      }
    }
    return false;
  }
}
