package io.growthos.management.auth;

import io.growthos.model.keys.KeyType;
import io.growthos.platform.pipeline.Access;
import io.growthos.platform.pipeline.AccessDeclarations;
import java.util.Optional;
import org.springframework.web.method.HandlerMethod;

/**
 * What a Management API handler declares: {@link RequiresScope} (a secret key holding every scope
 * named), {@link RequiresAdminKey} (an admin key), or one of the shared declarations ({@code
 * PublicRoute}). The request pipeline of service-common enforces it; a handler declaring none is
 * refused.
 */
public class ManagementAccess implements AccessDeclarations {

  @Override
  public ServiceName service() {
    return ServiceName.MANAGEMENT;
  }

  @Override
  public Optional<Access> of(HandlerMethod handler) {
    RequiresScope scope = handler.getMethodAnnotation(RequiresScope.class);
    boolean admin = handler.hasMethodAnnotation(RequiresAdminKey.class);
    if (scope != null && admin) {
      return Optional.empty(); // contradictory: refused, and the route-table test names it
    }
    if (scope != null) {
      return Optional.of(Access.key(KeyType.SECRET, scope.value()));
    }
    if (admin) {
      return Optional.of(Access.key(KeyType.ADMIN));
    }
    return AccessDeclarations.common(handler)
        .filter(a -> a.keyType() == null); // write keys do not reach this API
  }
}
