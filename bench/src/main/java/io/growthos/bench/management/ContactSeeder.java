package io.growthos.bench.management;

import io.growthos.model.ids.IdPrefix;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Seeds contacts straight into the management service's database with COPY: far faster than a
 * million API calls, and the rows look like the service's own (ids of the same format whose time
 * part equals {@code created_at}, one {@code user_id} identity each), so its keyset pagination
 * walks them as it would walk real ones.
 */
final class ContactSeeder {

  private static final int CHUNK = 50_000;

  private ContactSeeder() {}

  /**
   * Inserts {@code count} contacts created one millisecond apart, ending an hour ago.
   *
   * @return the time it took, in seconds
   */
  static double seed(Connection c, String workspaceId, int count, String tag) throws Exception {
    long t0 = System.nanoTime();
    c.setAutoCommit(false);
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    SeedIds ids = new SeedIds(42);
    long first = System.currentTimeMillis() - 3_600_000L - count;
    for (int from = 0; from < count; from += CHUNK) {
      int to = Math.min(count, from + CHUNK);
      StringBuilder contacts = new StringBuilder((to - from) * 220);
      StringBuilder identities = new StringBuilder((to - from) * 100);
      for (int i = from; i < to; i++) {
        long millis = first + i;
        String id = ids.at(IdPrefix.CONTACT, millis);
        String at = Instant.ofEpochMilli(millis).toString();
        String userId = "seed-" + tag + "-" + i;
        contacts
            .append(workspaceId)
            .append('\t')
            .append(id)
            .append('\t')
            .append(userId)
            .append('\t')
            .append(userId)
            .append("@example.com\t")
            .append("{\"name\": \"Seed User ")
            .append(i)
            .append("\", \"plan\": \"pro\", \"company\": \"Acme ")
            .append(i % 1000)
            .append("\"}\t")
            .append(at)
            .append('\t')
            .append(at)
            .append('\t')
            .append(at)
            .append('\t')
            .append(at)
            .append('\n');
        identities
            .append(workspaceId)
            .append("\tuser_id\t")
            .append(userId)
            .append('\t')
            .append(id)
            .append('\t')
            .append(at)
            .append('\n');
      }
      copy.copyIn(
          "copy contacts (workspace_id, id, user_id, email, traits, first_seen_at, last_seen_at,"
              + " created_at, updated_at) from stdin",
          new StringReader(contacts.toString()));
      copy.copyIn(
          "copy contact_identities (workspace_id, kind, value, contact_id, created_at) from stdin",
          new StringReader(identities.toString()));
      c.commit();
    }
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute("analyze contacts");
      s.execute("analyze contact_identities");
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
