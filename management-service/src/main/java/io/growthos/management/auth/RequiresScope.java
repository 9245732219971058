package io.growthos.management.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a secret key needs to call this route, such as {@code contacts:write}. Every {@code
 * /v1} handler carries either this or {@link RequiresAdminKey}; {@link AuthInterceptor} enforces it
 * and the route-table tests enumerate it.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresScope {

  /** {@code resource:read} or {@code resource:write}. */
  String value();
}
