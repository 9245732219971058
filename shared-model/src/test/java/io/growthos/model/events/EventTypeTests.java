package io.growthos.model.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** {@link EventType} is the one list of event types; the schema's check constraint agrees. */
class EventTypeTests {

  @Test
  void wireNamesRoundTrip() {
    for (EventType type : EventType.values()) {
      assertThat(EventType.ofWireName(type.wireName())).contains(type);
    }
    assertThat(EventType.ofWireName("click")).isEmpty();
    assertThat(EventType.wireNames())
        .containsExactly("track", "identify", "page", "screen", "group", "alias");
  }

  @Test
  void theEventsTableAcceptsExactlyTheseTypes() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    String url = pg.newDatabase("event_types");
    Flyway.configure()
        .dataSource(url, pg.username(), pg.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password());
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select pg_get_constraintdef(oid) from pg_constraint"
                        + " where conrelid = 'events'::regclass and contype = 'c'")) {
      assertThat(rs.next()).isTrue();
      String check = rs.getString(1);
      for (String name : EventType.wireNames()) {
        assertThat(check).contains("'" + name + "'");
      }
      assertThat(check.split("'").length / 2).isEqualTo(EventType.values().length);
    }
  }
}
