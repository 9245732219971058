package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import org.junit.jupiter.api.Test;

/**
 * The Ingest API's old number bound (1,000 digits before and 1,000 after the point) stored numbers
 * of up to 2,002 characters, longer than the 1,000 Jackson reads by default: once one was in an
 * event's properties or a contact's traits, {@code GET /v1/events} and {@code GET /v1/contacts}
 * were a 500 for every page that held it. What jsonb holds is read back digit for digit.
 */
class StoredLongNumbersTests extends ApiTestSupport {

  /** 999 nines, the point, 999 nines: 1,999 characters. */
  private static final String LONG = "9".repeat(999) + "." + "9".repeat(999);

  @Test
  void storedNumbersLongerThanJacksonsDefaultAreListedDigitForDigit() {
    Tenant t = newTenant();
    String event = Ids.next(IdPrefix.EVENT);
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, event, user_id, properties,"
            + " timestamp, received_at) values (?, ?, ?, 'track', 'E', 'u', ?::jsonb, now(),"
            + " now())",
        t.workspaceId(),
        event,
        "msg-" + event,
        "{\"n\": " + LONG + "}");
    String contact = Ids.next(IdPrefix.CONTACT);
    jdbc.update(
        "insert into contacts (workspace_id, id, user_id, traits) values (?, ?, 'u', ?::jsonb)",
        t.workspaceId(),
        contact,
        "{\"n\": " + LONG + "}");

    Response events = get("/v1/events", t.key());
    Response contacts = get("/v1/contacts", t.key());

    assertThat(events.status()).as("GET /v1/events: " + events.raw()).isEqualTo(200);
    assertThat(events.raw()).contains("\"n\":" + LONG);
    assertThat(contacts.status()).as("GET /v1/contacts: " + contacts.raw()).isEqualTo(200);
    assertThat(contacts.raw()).contains("\"n\":" + LONG);
  }
}
