package io.growthos.management.web;

import io.growthos.management.auth.RequiresScope;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Which handlers are writes that take an {@code Idempotency-Key}: every POST, PATCH and DELETE of
 * this app but a read sent as a POST because its question is too rich for a URL (one that needs
 * only {@code :read} scopes: an analytics query, a segment preview). A read changes nothing, so a
 * retry may simply run again, as a GET does; storing its answer for replays kept what it showed for
 * 24 h, past the erasure of a person it named by e-mail (an analytics breakdown, a preview's
 * count). One predicate serves the idempotency advice and the OpenAPI document.
 */
public final class WriteRoutes {

  private WriteRoutes() {}

  public static boolean isIdempotentWrite(Method method, Class<?> type) {
    return AnnotatedElementUtils.hasAnnotation(type, RestController.class)
        && type.getPackageName().startsWith("io.growthos.management")
        && (AnnotatedElementUtils.hasAnnotation(method, PostMapping.class)
            || AnnotatedElementUtils.hasAnnotation(method, PatchMapping.class)
            || AnnotatedElementUtils.hasAnnotation(method, DeleteMapping.class))
        && !isReadOverPost(method);
  }

  private static boolean isReadOverPost(Method method) {
    RequiresScope scope = AnnotatedElementUtils.findMergedAnnotation(method, RequiresScope.class);
    return scope != null
        && scope.value().length > 0
        && Arrays.stream(scope.value()).allMatch(s -> s.endsWith(":read"));
  }
}
