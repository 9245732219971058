package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import io.growthos.platform.pipeline.AccessDeclarations;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Deny by default: every handler of the Ingest API declares who may call it. */
class RouteDeclarationsTests extends IngestTestBase {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  @Autowired AccessDeclarations declarations;

  @Test
  void everyHandlerDeclaresWhoMayCallIt() {
    List<HandlerMethod> handlers = List.copyOf(mapping.getHandlerMethods().values());
    assertThat(handlers).isNotEmpty();
    for (HandlerMethod handler : handlers) {
      assertThat(declarations.of(handler))
          .as("%s declares @RequiresWriteKey or @PublicRoute", handler)
          .isPresent();
    }
  }

  @Test
  void everyV1RouteTakesAWriteKeyOrIsDeliberatelyPublic() {
    mapping
        .getHandlerMethods()
        .forEach(
            (info, handler) -> {
              if (info.getPatternValues().stream().anyMatch(p -> p.startsWith("/v1/"))) {
                assertThat(declarations.of(handler).orElseThrow().charged())
                    .as("%s is charged to the rate limit", info)
                    .isTrue();
              }
            });
  }
}
