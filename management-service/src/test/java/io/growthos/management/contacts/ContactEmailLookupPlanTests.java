package io.growthos.management.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/contacts?email=…} of a big workspace reads the unique e-mail index, not the
 * workspace's contacts: before V50 the planner had no statistics on {@code lower(email)} (the index
 * is partial, and PostgreSQL takes none from a partial index) and walked the primary key backwards
 * through every contact to fill a page (0.56 to 2.6 s on 500,000 contacts; docs/contacts.md).
 */
class ContactEmailLookupPlanTests extends ApiTestSupport {

  @Test
  void listingContactsByEmailReadsTheEmailIndexNotTheWholeWorkspace() {
    Tenant t = newTenant();
    jdbc.update(
        "insert into contacts (workspace_id, id, user_id, email)"
            + " select ?, 'cntct_E' || lpad(i::text, 22, '0'), 'user-' || i,"
            + " 'user' || i || '@example.com' from generate_series(1, 100000) i",
        t.workspaceId());
    jdbc.execute("analyze contacts");

    // The statement ContactService.list sends for ?email= (Hibernate's SQL, from the server log).
    String plan =
        String.join(
            "\n",
            jdbc.queryForList(
                "explain select c1_0.id, c1_0.workspace_id, c1_0.created_at, c1_0.email,"
                    + " c1_0.traits from contacts c1_0 where 1=1 and c1_0.workspace_id = ?"
                    + " and lower(c1_0.email) = lower(?) order by c1_0.id desc"
                    + " fetch first ? rows only",
                String.class,
                t.workspaceId(),
                "User12345@Example.com",
                26));
    assertThat(plan).contains("contacts_email_uq").doesNotContain("contacts_pkey");

    Response found = get("/v1/contacts?email=User12345@Example.com", t.key());
    assertThat(found.status()).as(found.raw()).isEqualTo(200);
    assertThat(ids(found)).containsExactly("cntct_E" + "0".repeat(17) + "12345");
  }
}
