package io.growthos.management.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scopes a secret key needs to call this route, such as {@code contacts:write}; when several
 * are named the key needs every one of them (e.g. {@code {"segments:read", "contacts:read"}}).
 * Every handler carries this, {@link RequiresAdminKey} or {@code @PublicRoute}; the request
 * pipeline ({@link ManagementAccess}) enforces it and the route-table tests enumerate it.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresScope {

  /** Each {@code resource:read} or {@code resource:write}; all are required. */
  String[] value();
}
