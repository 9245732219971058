package io.growthos.platform.auth;

import io.growthos.model.errors.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Hands the {@link AuthenticatedKey} the request pipeline established to handler methods that
 * declare a parameter of that type. A handler that takes one without declaring a key (a public
 * route) is a programming error and fails closed.
 */
public class AuthenticatedKeyArgumentResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == AuthenticatedKey.class;
  }

  @Override
  public Object resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mav,
      NativeWebRequest webRequest,
      WebDataBinderFactory binderFactory) {
    AuthenticatedKey key =
        AuthenticatedKey.of(webRequest.getNativeRequest(HttpServletRequest.class));
    if (key == null) {
      throw ApiException.unauthorized("A valid API key is required.");
    }
    return key;
  }
}
