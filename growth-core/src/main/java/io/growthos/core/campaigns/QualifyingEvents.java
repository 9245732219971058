package io.growthos.core.campaigns;

import io.growthos.core.contacts.ContactIdentities;
import io.growthos.core.filter.Filter;
import io.growthos.core.filter.FilterParser;
import io.growthos.core.filter.FilterSql;
import io.growthos.core.filter.SqlFragment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Whether stored events meet a referral program's {@code qualifying_event} ({@code {event,
 * where}}): a track event of that name whose properties meet the {@code where} conditions, compiled
 * to SQL by the filter grammar's one compiler ({@link FilterSql#compileWhere}).
 */
final class QualifyingEvents {

  private final JdbcTemplate jdbc;
  private final FilterSql filters = new FilterSql(Clock.systemUTC());

  QualifyingEvents(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The campaign's {@code qualifying_event}, or a missing node when it has none. */
  JsonNode of(String ws, String campaignId) {
    String settings =
        jdbc.queryForObject(
            "select settings::text from campaigns where workspace_id = ? and id = ?",
            String.class,
            ws,
            campaignId);
    return CampaignPayloadsJson.read(settings).path("qualifying_event");
  }

  /**
   * Only events of the program's time qualify: an event whose own {@code timestamp} is before the
   * program's {@code starts_at} (else its creation) does not. The look-back of {@link #storedFor}
   * otherwise reached over the referee's whole history, and an existing customer's order of last
   * year qualified a friend's referral at once.
   */
  private static final String SINCE_THE_PROGRAM_STARTED =
      " and e.timestamp >= (select coalesce(p.starts_at, p.created_at) from campaigns p"
          + " where p.workspace_id = e.workspace_id and p.id = ?)";

  /**
   * Nor does an event received once the program was over: past its {@code ends_at}, or after its
   * status first became {@code ended} (V71's history). A referral made after the end, from a code
   * received while the program ran (attribution judges the code by its receipt), must not be
   * qualified by an order received after the end, which the program no longer takes.
   */
  private static final String BEFORE_THE_PROGRAM_ENDED =
      " and e.received_at < coalesce((select least(p.ends_at, (select min(h.changed_at) from"
          + " campaign_status_changes h where h.workspace_id = p.workspace_id and h.campaign_id ="
          + " p.id and h.status = 'ended')) from campaigns p where p.workspace_id = e.workspace_id"
          + " and p.id = ?), 'infinity'::timestamptz)";

  /**
   * Whether {@code contactId} already has a stored qualifying event of the program's time: looked
   * up by the contact, its userId and every id linked to it (events stored before the ids were
   * linked carry no contact yet).
   */
  boolean storedFor(String ws, String campaignId, JsonNode qualifyingEvent, String contactId) {
    if (!qualifyingEvent.isObject()) {
      return false;
    }
    String[] ids =
        jdbc.queryForObject(
            "select array_append(coalesce((select array_agg(ci.value) from contact_identities ci"
                + " where ci.workspace_id = c.workspace_id and ci.contact_id = c.id), '{}'),"
                + " c.user_id) from contacts c where c.workspace_id = ? and c.id = ?",
            (rs, i) -> (String[]) rs.getArray(1).getArray(),
            ws,
            contactId);
    SqlFragment where = where(qualifyingEvent);
    List<Object> args = new ArrayList<>();
    args.add(ws);
    args.add(qualifyingEvent.path("event").asString());
    args.add(contactId);
    args.add(ids);
    args.add(ids);
    args.add(campaignId);
    args.add(campaignId);
    args.addAll(where.params());
    return !jdbc.queryForList(
            "select 1 from events e where e.workspace_id = ? and e.type = 'track' and e.event = ?"
                // An event of one of its anonymous ids counts only when it names no user id (or
                // one of its own): one naming another user id is that person's, waiting for their
                // identify. Until 2026-12-07 a shared browser's next person's order qualified the
                // earlier person's referral (a review of the change).
                + " and (e.contact_id = ? or "
                + ContactIdentities.rowOf("e.")
                + ")"
                + SINCE_THE_PROGRAM_STARTED
                + BEFORE_THE_PROGRAM_ENDED
                + " and "
                + where.sql()
                + " limit 1",
            args.toArray())
        .isEmpty();
  }

  /**
   * Whether the stored event {@code eventId} is of the program's time and meets the {@code where}
   * conditions.
   */
  boolean matches(String ws, String campaignId, JsonNode qualifyingEvent, String eventId) {
    SqlFragment where = where(qualifyingEvent);
    List<Object> args = new ArrayList<>(List.of(ws, eventId, campaignId));
    args.addAll(where.params());
    return !jdbc.queryForList(
            "select 1 from events e where e.workspace_id = ? and e.id = ?"
                + SINCE_THE_PROGRAM_STARTED
                + " and "
                + where.sql(),
            args.toArray())
        .isEmpty();
  }

  private SqlFragment where(JsonNode qualifyingEvent) {
    JsonNode w = qualifyingEvent.path("where");
    List<Filter.FieldCondition> conditions =
        w.isArray() && !w.isEmpty()
            ? FilterParser.parseStoredPropertyConditions(w, "qualifying_event.where")
            : List.of();
    return filters.compileWhere(conditions, "e");
  }
}
