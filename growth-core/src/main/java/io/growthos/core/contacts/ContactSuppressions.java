package io.growthos.core.contacts;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ids of deleted contacts. The Ingest API drops events of a suppressed id (in any role: userId,
 * anonymousId, previousId), checked in its group-commit transaction, so a deleted contact is never
 * resurrected by ingest. An explicit create through the Management API with such an id lifts the
 * suppression of that id.
 */
public class ContactSuppressions {

  /**
   * The rows of {@code ids} (second parameter, a text array) that are suppressed in the workspace
   * (first parameter): {@code select … }{@value}. The one predicate every check of a suppression
   * uses, alone or inside a larger statement.
   */
  public static final String SUPPRESSED_AMONG =
      " from contact_suppressions where workspace_id = ? and value = any(?::text[])";

  private final JdbcTemplate jdbc;

  public ContactSuppressions(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The suppressed ones among {@code ids}. One index lookup per id, one round trip. */
  public Set<String> suppressedAmong(String workspaceId, Collection<String> ids) {
    Set<String> out = new HashSet<>();
    if (ids.isEmpty()) {
      return out;
    }
    jdbc.query(
        "select value" + SUPPRESSED_AMONG,
        rs -> {
          out.add(rs.getString(1));
        },
        workspaceId,
        ids.toArray(String[]::new));
    return out;
  }

  void suppress(String workspaceId, String contactId, Collection<String> ids) {
    jdbc.update(
        "insert into contact_suppressions (workspace_id, value, contact_id)"
            + " select ?, v, ? from unnest(?::text[]) as v on conflict do nothing",
        workspaceId,
        contactId,
        ids.toArray(String[]::new));
  }

  /** Lifts the suppression of {@code ids}: an operator creates a contact with them on purpose. */
  public void lift(String workspaceId, Collection<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    jdbc.update(
        "delete from contact_suppressions where workspace_id = ? and value = any(?)",
        workspaceId,
        ids.toArray(String[]::new));
  }
}
