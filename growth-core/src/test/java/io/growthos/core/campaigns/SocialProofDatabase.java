package io.growthos.core.campaigns;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.testsupport.TestPostgres;
import java.sql.Timestamp;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** A migrated PostgreSQL database (once per test JVM) and inserts for social-proof tests. */
final class SocialProofDatabase {

  private static JdbcTemplate jdbc;

  private SocialProofDatabase() {}

  static synchronized JdbcTemplate jdbc() {
    if (jdbc == null) {
      TestPostgres pg = TestPostgres.get();
      // One connection kept open: a new one per statement would cost more than the statements.
      SingleConnectionDataSource ds =
          new SingleConnectionDataSource(
              pg.newDatabase("socialproof"), pg.username(), pg.password(), true);
      Flyway.configure().dataSource(ds).load().migrate();
      jdbc = new JdbcTemplate(ds);
    }
    return jdbc;
  }

  static String workspace() {
    String id = Ids.next(IdPrefix.WORKSPACE);
    jdbc().update("insert into workspaces (id, name, plan) values (?, ?, 'free')", id, id);
    return id;
  }

  static String contact(String ws, String userId, String email, String traitsJson) {
    String id = Ids.next(IdPrefix.CONTACT);
    jdbc()
        .update(
            "insert into contacts (workspace_id, id, user_id, email, traits) values (?, ?, ?, ?,"
                + " ?::jsonb)",
            ws,
            id,
            userId,
            email,
            traitsJson);
    return id;
  }

  static void event(
      String ws, String contactId, String userId, String event, String propsJson, Instant at) {
    String id = Ids.next(IdPrefix.EVENT);
    jdbc()
        .update(
            "insert into events (workspace_id, id, message_id, type, event, user_id, anonymous_id,"
                + " contact_id, properties, timestamp, received_at)"
                + " values (?, ?, ?, 'track', ?, ?, ?, ?, ?::jsonb, ?, ?)",
            ws,
            id,
            id,
            event,
            userId,
            contactId == null ? "anon-" + id : null,
            contactId,
            propsJson,
            Timestamp.from(at),
            Timestamp.from(at));
  }

  /** A campaign of {@code type} with {@code settingsJson} (already validated form). */
  static String campaign(String ws, String type, String status, String settingsJson) {
    String id = Ids.next(IdPrefix.CAMPAIGN);
    jdbc()
        .update(
            "insert into campaigns (workspace_id, id, type, name, status, settings)"
                + " values (?, ?, ?, ?, ?, ?::jsonb)",
            ws,
            id,
            type,
            "Beta waitlist",
            status,
            settingsJson);
    jdbc()
        .update("insert into campaign_counters (workspace_id, campaign_id) values (?, ?)", ws, id);
    return id;
  }

  static void participant(
      String ws, String campaignId, String contactId, boolean referred, Instant at) {
    Long seq =
        jdbc()
            .queryForObject(
                "update campaign_counters set last_join_seq = last_join_seq + 1"
                    + " where workspace_id = ? and campaign_id = ? returning last_join_seq",
                Long.class,
                ws,
                campaignId);
    String id = Ids.next(IdPrefix.PARTICIPANT);
    jdbc()
        .update(
            "insert into campaign_participants (workspace_id, campaign_id, id, contact_id,"
                + " referral_code, referred_by, join_seq, score, created_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ws,
            campaignId,
            id,
            contactId,
            "C" + id.substring(id.length() - 12).toUpperCase(),
            referred ? "part_someone" : null,
            seq,
            seq,
            Timestamp.from(at));
  }
}
