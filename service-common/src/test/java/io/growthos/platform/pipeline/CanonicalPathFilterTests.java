package io.growthos.platform.pipeline;

import static io.growthos.platform.pipeline.CanonicalPathFilter.pathProblem;
import static io.growthos.platform.pipeline.CanonicalPathFilter.queryProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which raw paths and query strings are canonical. */
class CanonicalPathFilterTests {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/v1/workspaces",
        "/v1/contacts/con_0AbC9xyz",
        "/v1/api-keys/key_1/roll",
        "/actuator/health",
        "/v3/api-docs",
        "/v1/workspaces/"
      })
  void acceptsCanonicalPaths(String path) {
    assertThat(pathProblem(path)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/%761/workspaces",
        "/v%31/workspaces",
        "/v1/%77orkspaces",
        "/v1%2Fworkspaces",
        "/v1;x=1/workspaces",
        "/v1;x/track",
        "/v1/workspaces;jsessionid=1",
        "//v1/workspaces",
        "/v1//workspaces",
        "/v1/./workspaces",
        "/v1/../v1/workspaces",
        "/v1/workspaces/..",
        "/v1/work\\spaces",
        "/v1/work spaces",
        ""
      })
  void refusesNonCanonicalPaths(String path) {
    assertThat(pathProblem(path)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"cursor=%%%", "email=%zz", "%=1", "a=%0", "name=%00", "x=%ff%fe"})
  void refusesMalformedQueries(String query) {
    assertThat(queryProblem(query)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=10", "email=a%40b.com", "q=%C3%A9t%C3%A9", "a=b+c&d="})
  void acceptsWellFormedQueries(String query) {
    assertThat(queryProblem(query)).isNull();
  }
}
