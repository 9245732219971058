package io.growthos.ingest.events;

import io.growthos.ingest.config.IngestProperties;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.platform.web.Errors;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON reader of the Ingest API, separate from the application's mapper because ingest bodies
 * are hostile input that must be stored faithfully:
 *
 * <ul>
 *   <li>numbers keep every digit ({@code BigDecimal}, trailing zeros kept), as jsonb does;
 *   <li>a duplicate key anywhere is a 400 (STRICT_DUPLICATE_DETECTION): which of two values a
 *       client meant cannot be known, and silently keeping one would not be faithful storage;
 *   <li>nesting deeper than {@code limits.max-nesting-depth} is a 400, not a stack overflow;
 *   <li>trailing content after the JSON value is a 400.
 * </ul>
 */
public class IngestJson {

  private final JsonMapper mapper;
  private final int maxDepth;

  public IngestJson(IngestProperties.Limits limits) {
    this.maxDepth = limits.maxNestingDepth();
    JsonFactory factory =
        JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(maxDepth)
                    // Longer than JsonChecks allows, so that it can name the field (Jackson's
                    // own limit reports no path).
                    .maxNumberLength(JsonChecks.MAX_CHARS * 5)
                    .maxDocumentLength(limits.maxBodySize().toBytes() + 1)
                    .build())
            .build();
    this.mapper =
        JsonMapper.builder(factory)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
  }

  /** The body as a tree, or a 400 naming what is wrong with it. */
  public JsonNode parse(byte[] body) {
    try {
      return mapper.readTree(body);
    } catch (StreamConstraintsException e) {
      String field = constraintPath(body, e);
      String message = String.valueOf(e.getOriginalMessage());
      if (Errors.isNestingTooDeep(e)) {
        throw Errors.tooDeep(field, maxDepth);
      }
      if (Errors.isNumberTooLong(e)) {
        throw ApiException.invalid(
            field, "out_of_range", "The JSON holds a number with too many digits.");
      }
      throw ApiException.invalid(
          field, "too_large", "The JSON exceeds a parser limit: " + firstLine(message));
    } catch (StreamReadException e) {
      ApiException duplicate = Errors.duplicateKey(e);
      throw duplicate != null ? duplicate : Errors.malformedJson(e.getOriginalMessage());
    } catch (JacksonException e) {
      throw Errors.malformedJson(e.getOriginalMessage());
    }
  }

  /**
   * Where in {@code body} a parser limit was hit: Jackson's constraint exceptions carry no parser,
   * so the body is read again token by token, without building anything, to the same failure.
   * {@code body} when the value nested too deep is the body itself (an array at the root), and the
   * path is cut to {@value #MAX_PATH} characters (a 100-level path of long keys would otherwise
   * fill the answer).
   */
  private String constraintPath(byte[] body, StreamConstraintsException e) {
    String field = Errors.parserPath(e);
    if (!field.equals("body")) {
      return field;
    }
    JsonParser parser = mapper.createParser(body);
    try {
      while (parser.nextToken() != null) {
        // Reading on is all it takes: the parser checks the limits token by token.
      }
    } catch (JacksonException again) {
      field = Errors.parserPath(parser);
    } finally {
      parser.close();
    }
    if (field.startsWith("[")) {
      return "body";
    }
    return field.length() <= MAX_PATH ? field : field.substring(0, MAX_PATH) + "…";
  }

  private static final int MAX_PATH = 300;

  /** Compact JSON text of a node, as stored in jsonb. */
  public String write(JsonNode node) {
    return mapper.writeValueAsString(node);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static ApiException tooLarge(String field, long limit) {
    return new ApiException(
        ErrorCode.VALIDATION_ERROR,
        "Event '" + field + "' is larger than the limit of " + limit + " bytes.",
        List.of(
            ErrorDetail.of(field, "too_large", "An event may be at most " + limit + " bytes.")));
  }
}
