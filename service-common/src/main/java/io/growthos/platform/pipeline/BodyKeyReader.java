package io.growthos.platform.pipeline;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Reads a request's body, once, to find a key it carries ({@code writeKey}): provided by a service
 * whose routes accept one (the Ingest API). The body read here is kept for the handler, so it is
 * parsed once per request.
 */
public interface BodyKeyReader {

  /**
   * The key in the body, if any.
   *
   * @throws io.growthos.model.errors.ApiException 400/413/415 when the body cannot be read
   */
  Optional<String> bodyKey(HttpServletRequest request);
}
