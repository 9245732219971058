package io.growthos.management.web;

import io.growthos.management.auth.CallerArgumentResolver;
import io.growthos.management.auth.ManagementAccess;
import io.growthos.model.values.JsonNesting;
import io.growthos.platform.web.StrictJsonTypes;
import io.growthos.platform.web.StrictQueryParameters;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.time.Instant;
import java.util.List;
import org.hibernate.validator.HibernateValidatorConfiguration;
import org.hibernate.validator.cfg.ConstraintMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.validation.autoconfigure.ValidationConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Web layer of the Management API. Requests pass the shared request pipeline of service-common
 * (canonical paths, then on the matched handler: its declaration, the rate limit, one
 * authentication); this adds the declarations it enforces, the {@code Caller} parameter and the
 * check of unknown query parameters.
 */
@Configuration
@EnableConfigurationProperties(ManagementProperties.class)
class WebConfig implements WebMvcConfigurer {

  private static final Logger log = LoggerFactory.getLogger(WebConfig.class);

  WebConfig(ManagementProperties props) {
    if (props.usesDevCursorSecret()) {
      log.warn(
          "growthos.management.cursor-secret is the development default: set"
              + " GROWTHOS_MANAGEMENT_CURSOR_SECRET (same value on every copy) in production");
    }
  }

  /** {@code @Size} on text counts characters, as the Ingest API does ({@link SizeInCharacters}). */
  @Bean
  static ValidationConfigurationCustomizer sizeInCharacters() {
    return validatedAlsoBy(Size.class, SizeInCharacters.class);
  }

  /**
   * {@code @Email} follows the contact email rule both services share ({@link
   * EmailAsContactEmail}).
   */
  @Bean
  static ValidationConfigurationCustomizer emailAsContactEmail() {
    return validatedAlsoBy(Email.class, EmailAsContactEmail.class);
  }

  /**
   * Registers {@code validator} for {@code constraint} next to Hibernate Validator's own; for a
   * {@code String} it is the more specific, so it is the one that runs.
   */
  private static <A extends Annotation> ValidationConfigurationCustomizer validatedAlsoBy(
      Class<A> constraint, Class<? extends ConstraintValidator<A, ?>> validator) {
    return configuration -> {
      if (configuration instanceof HibernateValidatorConfiguration hibernate) {
        ConstraintMapping mapping = hibernate.createConstraintMapping();
        mapping
            .constraintDefinition(constraint)
            .includeExistingValidators(true)
            .validatedBy(validator);
        hibernate.addMapping(mapping);
      }
    };
  }

  /**
   * The application's mapper, as Spring Boot builds it ({@code JsonMapper.builder()} and every
   * customizer, in order), on a factory whose writer takes answers as deep as {@link
   * JsonNesting#MAX_ANSWER_DEPTH}: a stored document read back whole ({@link
   * JsonNesting#MAX_STORED_DEPTH}) is answered whole, where Jackson's default writer stopped at 500
   * levels and the list holding it answered 500. Request bodies keep their own bound ({@link
   * JsonNesting#MAX_DEPTH}, StrictTextBodies).
   */
  @Bean
  @Scope("prototype")
  JsonMapper.Builder jsonMapperBuilder(List<JsonMapperBuilderCustomizer> customizers) {
    JsonMapper.Builder builder =
        JsonMapper.builder(
            JsonFactory.builder().streamWriteConstraints(JsonNesting.ANSWER_WRITES).build());
    customizers.forEach(c -> c.customize(builder));
    return builder;
  }

  /** An explicit null in a request body is refused unless the property takes it (see the class). */
  @Bean
  RequestBodyNulls requestBodyNulls(JsonMapper json) {
    return new RequestBodyNulls(json);
  }

  @Bean
  ManagementAccess managementAccess() {
    return new ManagementAccess();
  }

  /**
   * After the request pipeline (which runs first): unknown query parameters are a 400, and so is a
   * body sent to a route that reads none; an {@code Accept} without JSON is a 406 before the
   * handler changes anything; a precondition header the route does not evaluate is a 400; a
   * wildcard or malformed {@code Content-Type} on a body is a 415.
   */
  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new StrictQueryParameters(ManagementHandlers::isOwn));
    registry.addInterceptor(new NoBodyRoutes());
    registry.addInterceptor(new AcceptsJson());
    registry.addInterceptor(new UnevaluatedPreconditions());
    registry.addInterceptor(new ConcreteContentType());
  }

  /** Timestamp query parameters are read as bodies read them (StrictJsonTypes.timestamp). */
  @Override
  public void addFormatters(FormatterRegistry registry) {
    registry.addFormatterForFieldType(Instant.class, StrictJsonTypes.queryTimestamps());
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerArgumentResolver());
  }
}
