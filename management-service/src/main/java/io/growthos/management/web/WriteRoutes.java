package io.growthos.management.web;

import java.lang.reflect.Method;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Which handlers are writes that take an {@code Idempotency-Key}: every POST, PATCH and DELETE of
 * this app. One predicate serves the idempotency advice and the OpenAPI document.
 */
public final class WriteRoutes {

  private WriteRoutes() {}

  public static boolean isIdempotentWrite(Method method, Class<?> type) {
    return AnnotatedElementUtils.hasAnnotation(type, RestController.class)
        && type.getPackageName().startsWith("io.growthos.management")
        && (AnnotatedElementUtils.hasAnnotation(method, PostMapping.class)
            || AnnotatedElementUtils.hasAnnotation(method, PatchMapping.class)
            || AnnotatedElementUtils.hasAnnotation(method, DeleteMapping.class));
  }
}
