package io.growthos.platform.web;

import java.util.List;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;

/**
 * The APIs read and answer JSON only ({@link ApiExceptionHandler}'s 406 and 415 say so). Spring
 * adds a YAML converter to the defaults whenever a Jackson YAML module is on the classpath, and
 * swagger-core (springdoc) brings Jackson 2's: a client sending {@code Accept: application/yaml}
 * then got a list in YAML with Java's field names ({@code hasMore}, not {@code has_more}), and a
 * YAML request body was read without the JSON rules. A placeholder takes the YAML slot, so Spring
 * never builds its default, and is then taken out of the list: such a request gets the 406 or 415
 * envelope. (This does not spare the Jackson 2 classes: swagger-core and others load them anyway,
 * docs/local-stack.md "Smaller C2 compilations".)
 */
public final class JsonOnlyConverters implements ServerHttpMessageConvertersCustomizer {

  @Override
  public void customize(HttpMessageConverters.ServerBuilder builder) {
    builder
        .withYamlConverter(NoYaml.INSTANCE)
        .configureMessageConvertersList(converters -> converters.remove(NoYaml.INSTANCE));
  }

  /**
   * Takes the YAML slot (the builder insists it names YAML's media type); never in the final list,
   * so never asked to read or write.
   */
  private enum NoYaml implements HttpMessageConverter<Object> {
    INSTANCE;

    @Override
    public boolean canRead(Class<?> clazz, MediaType mediaType) {
      return false;
    }

    @Override
    public boolean canWrite(Class<?> clazz, MediaType mediaType) {
      return false;
    }

    @Override
    public List<MediaType> getSupportedMediaTypes() {
      return List.of(MediaType.APPLICATION_YAML);
    }

    @Override
    public Object read(Class<?> clazz, HttpInputMessage inputMessage) {
      throw new UnsupportedOperationException("no YAML");
    }

    @Override
    public void write(Object o, MediaType contentType, HttpOutputMessage outputMessage) {
      throw new UnsupportedOperationException("no YAML");
    }
  }
}
