package io.growthos.platform.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The route takes a write key ({@code gos_wk_}) and no other: the Ingest API's tracking and widget
 * routes. Every {@code /v1} handler declares who may call it; a handler without a declaration is
 * refused.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresWriteKey {}
