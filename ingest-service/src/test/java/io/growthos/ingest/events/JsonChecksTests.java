package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The paths {@link JsonChecks} names a problem by, however deep the value is. */
class JsonChecksTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void namesAValueInsideArraysAndObjectsByItsFullPath() {
    List<String> fields =
        fields(
            "{\"products\":[{\"name\":\"ok\"},{\"name\":\"a\\u0000b\",\"tags\":[\"x\",\"\\ud83d\"]}],"
                + "\"deep\":{\"er\":{\"n\":1e999999}}}",
            "batch[3].properties");

    assertThat(fields)
        .containsExactly(
            "batch[3].properties.products[1].name",
            "batch[3].properties.products[1].tags[1]",
            "batch[3].properties.deep.er.n");
  }

  @Test
  void leavesTheRootBodyOutOfTheNamesOfItsMembers() {
    assertThat(fields("{\"userId\":\"u\\u0000\",\"k\\u0000\":1}", "body"))
        .containsExactly("userId", "k\u0000");
    assertThat(fields("[{\"a\":[\"\\u0000\"]}]", "body")).containsExactly("body[0].a[0]");
  }

  @Test
  void namesASiblingAfterADeepValueByItsOwnPath() {
    // The path of a value checked after a deeper one must not keep the deeper one's levels.
    assertThat(fields("{\"a\":{\"b\":{\"c\":[[[1]]]}},\"d\":\"\\u0000\"}", "context"))
        .containsExactly("context.d");
  }

  private static List<String> fields(String json, String root) {
    JsonNode node = JSON.readTree(json);
    EventParser.Problems problems = new EventParser.Problems();
    JsonChecks.check(node, root, problems);
    ApiException e = catchThrowableOfType(ApiException.class, problems::throwIfAny);
    assertThat(e).as("a problem was reported").isNotNull();
    return e.details().stream().map(ErrorDetail::field).toList();
  }
}
