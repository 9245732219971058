package io.growthos.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.growthos.testsupport.LogCapture;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request that lost a race on a unique value (two creates of one e-mail) is a 409, logged at WARN
 * by its SQLSTATE: never with PostgreSQL's message, which holds the row's values.
 */
class DatabaseRaceLogTests {

  @Test
  void aLostRaceIsLoggedWithoutTheValuesOfTheRow() {
    ApiExceptionHandler handler =
        new ApiExceptionHandler(new ErrorResponses(JsonMapper.builder().build()));
    LogCapture logged = LogCapture.of(ApiExceptionHandler.class).start();
    SQLException duplicate =
        new SQLException(
            "ERROR: duplicate key value violates unique constraint \"contacts_email_idx\"\n"
                + "  Detail: Key (workspace_id, lower(email))=(ws_1, ada@example.com) already"
                + " exists.",
            "23505");
    int status;
    try {
      status =
          handler
              .unexpected(
                  new DuplicateKeyException("insert into contacts …", duplicate),
                  new MockHttpServletRequest("POST", "/v1/contacts"))
              .getStatusCode()
              .value();
    } finally {
      logged.close();
    }

    assertThat(status).isEqualTo(409);
    assertThat(logged.atOrAbove(Level.INFO))
        .isNotEmpty()
        .allSatisfy(
            e ->
                assertThat(e.getFormattedMessage())
                    .contains("23505")
                    .doesNotContain("ada@example.com"));
  }
}
