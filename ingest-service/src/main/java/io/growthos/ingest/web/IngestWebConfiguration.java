package io.growthos.ingest.web;

import io.growthos.ingest.admission.InFlightBudget;
import io.growthos.ingest.config.IngestProperties;
import io.growthos.ingest.events.IngestJson;
import io.growthos.platform.pipeline.Access;
import io.growthos.platform.pipeline.AccessDeclarations;
import io.growthos.platform.pipeline.BodyKeyReader;
import io.growthos.platform.web.FilterOrder;
import io.growthos.platform.web.RequestIds;
import io.swagger.v3.oas.models.parameters.RequestBody;
import java.util.List;
import java.util.Optional;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web layer of the Ingest API. Requests pass the shared request pipeline of service-common
 * (canonical paths, then on the matched handler: its {@code @RequiresWriteKey}, the rate limit, one
 * authentication); this adds CORS in front of it, the body reader that finds a {@code writeKey} in
 * the body, and the handler parameter {@link IngestRequest} (the body, parsed once).
 */
@Configuration(proxyBeanMethods = false)
class IngestWebConfiguration implements WebMvcConfigurer {

  /**
   * Right after the request-id filter and the widget CORS filter, before anything that can refuse a
   * request (canonical path, body size, admission): preflights are answered here, and every refusal
   * carries the CORS headers.
   */
  static final int CORS_ORDER = FilterOrder.CORS + 1;

  static {
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(IngestRequest.class);
  }

  /**
   * After the body-size filter, before the pipeline, which may read the body to find a key in it.
   */
  static final int ADMISSION_ORDER = FilterOrder.SERVICE;

  private final IngestBodies bodies;

  IngestWebConfiguration(IngestProperties props, IngestJson json, InFlightBudget budget) {
    this.bodies =
        new IngestBodies(new BodyReader(props.limits().maxBodySize().toBytes()), json, budget);
  }

  /** Each POST's share of the in-flight budget, given back when its response is complete. */
  @Bean
  FilterRegistrationBean<AdmissionFilter> ingestAdmissionFilter(InFlightBudget budget) {
    FilterRegistrationBean<AdmissionFilter> reg =
        new FilterRegistrationBean<>(new AdmissionFilter(budget));
    reg.setOrder(ADMISSION_ORDER);
    return reg;
  }

  /**
   * The Ingest API knows the shared declarations: {@code @RequiresWriteKey}, {@code @PublicRoute}.
   */
  @Bean
  AccessDeclarations ingestAccessDeclarations() {
    return new AccessDeclarations() {
      @Override
      public ServiceName service() {
        return ServiceName.INGEST;
      }

      /**
       * Widget routes ({@link WidgetRoutes}) take the write key in the Authorization header only:
       * their bodies are widget payloads (unknown fields are 400), and a GET has none. Visitors'
       * browsers call them with the page's public key, so they are charged as browser routes
       * (docs/rate-limits.md).
       */
      @Override
      public Optional<Access> of(HandlerMethod handler) {
        Optional<Access> access = AccessDeclarations.common(handler);
        if (access.isPresent() && access.get().bodyKey() && WidgetRoutes.isWidgetHandler(handler)) {
          return Optional.of(Access.browserWriteKey());
        }
        return access;
      }
    };
  }

  /**
   * The Ingest API answers JSON whatever the request's {@code Accept} says, as Segment's does: SDKs
   * and browsers send all sorts ({@code text/html} from a form, {@code *}{@code /*}), and the
   * answer is only known after the write. Negotiating it then turned a stored event or a committed
   * join into a 406 (a retried join was 409, and its participant_token was lost). Every route
   * produces JSON first; {@code *}{@code /*} keeps the framework's own documents (the OpenAPI YAML)
   * answerable.
   */
  @Override
  public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
    configurer.strategies(List.of(request -> List.of(MediaType.APPLICATION_JSON, MediaType.ALL)));
  }

  /** Finds a write key in the body for the pipeline; the handler gets the same parsed body. */
  @Bean
  BodyKeyReader ingestBodyKeyReader() {
    return bodies;
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(bodies);
  }

  /**
   * Every tracking route reads its body as JSON whatever its Content-Type says, on purpose (SDKs
   * label it application/json, text/plain from sendBeacon, or application/x-www-form-urlencoded:
   * see {@link IngestBodies}); the routes document the JSON body once and this mirrors it under
   * those types in the OpenAPI document, and says so. Widget routes take application/json only (415
   * otherwise) and are left as declared.
   */
  @Bean
  OperationCustomizer textPlainRequestBodies() {
    return (operation, handler) -> {
      RequestBody body = operation.getRequestBody();
      if (body != null && body.getContent() != null && !WidgetRoutes.isWidgetHandler(handler)) {
        io.swagger.v3.oas.models.media.MediaType json = body.getContent().get("application/json");
        if (json != null) {
          body.getContent().addMediaType("text/plain", json);
          body.getContent().addMediaType("application/x-www-form-urlencoded", json);
          body.setDescription(
              (body.getDescription() == null ? "" : body.getDescription() + " ")
                  + "Read as JSON whatever the Content-Type says (application/json, text/plain"
                  + " as sendBeacon sends, application/x-www-form-urlencoded as RudderStack's"
                  + " Node SDK labels gzipped batches, or none), as Segment's and RudderStack's"
                  + " servers do: a body that is not JSON is 400, never 415. Content-Encoding:"
                  + " gzip is accepted.");
        }
      }
      return operation;
    };
  }

  /**
   * Any origin may call (write keys are public by design), with any header; preflights are cached
   * for {@code cors.max-age}. This runs before anything that can refuse a request, and on every
   * path but the widget routes', so that every refusal a page can get is readable by it: a path not
   * in canonical form or of another version (400, 404), a body over the size limit (413), a method
   * the route lacks (405, any method is allowed here so that the route answers it, instead of a
   * bare 403 "Invalid CORS request"). Widget routes are left to their own CORS ({@code
   * io.growthos.ingest.widgets.WidgetCorsFilter}, which runs first): they are restricted to the
   * workspace's allowed origins.
   */
  @Bean
  FilterRegistrationBean<CorsFilter> ingestCorsFilter(IngestProperties props) {
    CorsConfiguration cors = new CorsConfiguration();
    cors.addAllowedOriginPattern("*");
    cors.addAllowedMethod("*");
    cors.addAllowedHeader("*");
    cors.setExposedHeaders(
        List.of(
            RequestIds.HEADER,
            "Retry-After",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset"));
    cors.setAllowCredentials(false);
    cors.setMaxAge(props.cors().maxAge());
    // Server-side SDKs send no Origin: nothing for CORS to decide. Every other path, canonical or
    // not, gets the same answer.
    CorsConfigurationSource notWidgets =
        request ->
            request.getHeader(HttpHeaders.ORIGIN) == null || WidgetRoutes.isWidgetPath(request)
                ? null
                : cors;
    FilterRegistrationBean<CorsFilter> reg =
        new FilterRegistrationBean<>(new CorsFilter(notWidgets));
    reg.setOrder(CORS_ORDER);
    return reg;
  }
}
