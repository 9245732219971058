package io.growthos.ingest.web;

import io.growthos.ingest.events.IngestService;
import io.growthos.model.events.EventType;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.RequiresWriteKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.lang.reflect.Method;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Benchmark aid, off unless {@code growthos.ingest.bench-noop-endpoint=true}: {@code POST /v1/noop}
 * authenticates, reads, parses and validates a track call exactly like {@code /v1/track} and
 * returns the same ACK without touching the database. The {@code track} benchmark divides by it to
 * show what durable storage costs; {@code GET /v1/noop} is the baseline of the {@code feed}
 * benchmark.
 *
 * <p>Not a {@code @RestController}: its routes are registered at run time, after the context is
 * built, only when the property is true. A condition on the class would be fixed at build time by
 * Spring AOT (with which the service is built), while the benchmark turns the endpoint on by
 * environment.
 */
@Component
@ResponseBody
@Tag(name = "Benchmark")
@IngestApiDocs.StandardResponses
class NoopController implements SmartInitializingSingleton {

  private final IngestService ingest;
  private final boolean enabled;
  private final RequestMappingHandlerMapping mappings;

  NoopController(
      IngestService ingest,
      @Value("${growthos.ingest.bench-noop-endpoint:false}") boolean enabled,
      @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
    this.ingest = ingest;
    this.enabled = enabled;
    this.mappings = mappings;
  }

  /** Maps {@code POST} and {@code GET /v1/noop} to this bean when the endpoint is on. */
  @Override
  public void afterSingletonsInstantiated() {
    if (!enabled) {
      return;
    }
    try {
      register(
          RequestMethod.POST,
          getClass().getDeclaredMethod("noop", AuthenticatedKey.class, IngestRequest.class));
      register(RequestMethod.GET, getClass().getDeclaredMethod("noopGet", AuthenticatedKey.class));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  private void register(RequestMethod method, Method handler) {
    mappings.registerMapping(
        RequestMappingInfo.paths(IngestRoutes.NOOP)
            .methods(method)
            .options(mappings.getBuilderConfiguration())
            .build(),
        this,
        handler);
  }

  @RequiresWriteKey
  @PostMapping(IngestRoutes.NOOP)
  @Operation(
      summary = "Validate a track call and store nothing (benchmark baseline)",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = IngestApiDocs.TrackCall.class))))
  Ack noop(AuthenticatedKey key, IngestRequest call) {
    ingest.validateOnly(
        call.body(), EventType.TRACK, call.bodyBytes(), call.receivedAt(), call::reserveEventText);
    return Ack.OK;
  }

  /**
   * The baseline of the {@code feed} benchmark: a GET through the same pipeline (write key, rate
   * limit) as {@code GET /v1/widgets/campaigns/{id}/feed}, answering a constant.
   */
  @RequiresWriteKey
  @GetMapping(IngestRoutes.NOOP)
  @Operation(summary = "Authenticate a GET and answer a constant (benchmark baseline)")
  Ack noopGet(AuthenticatedKey key) {
    return Ack.OK;
  }
}
