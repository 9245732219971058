package io.growthos.management.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Timestamps and numbers PostgreSQL cannot hold, wherever a client sends them: one rule each
 * ({@code TimestampRange}, {@code NumberRange}), 400 {@code out_of_range} naming the field.
 */
class OutOfRangeValuesTests extends ApiTestSupport {

  static final String FAR_FUTURE = "+999999999-12-31T23:59:59Z";
  static final String FAR_PAST = "-290000-01-01T00:00:00Z";

  static String q(String json) {
    return json.replace('\'', '"');
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void assertOutOfRange(Response r, String field) {
    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("validation_error");
    assertThat(r.firstDetail().path("field").asString()).as(r.raw()).isEqualTo(field);
    assertThat(r.firstDetail().path("reason").asString()).as(r.raw()).isEqualTo("out_of_range");
  }

  @Test
  void timestampQueryParametersOutsideYears1To9999Are400() {
    Tenant t = newTenant();
    for (String time : new String[] {FAR_FUTURE, FAR_PAST, "+10000-01-01T00:00:00Z"}) {
      assertOutOfRange(get("/v1/contacts?created_after=" + enc(time), t.key()), "created_after");
      assertOutOfRange(get("/v1/contacts?created_before=" + enc(time), t.key()), "created_before");
      assertOutOfRange(get("/v1/events?after=" + enc(time), t.key()), "after");
      assertOutOfRange(get("/v1/events?before=" + enc(time), t.key()), "before");
    }
    // A query parameter is called one, as every other query parameter's message does.
    assertThat(
            get("/v1/events?after=" + enc(FAR_FUTURE), t.key())
                .firstDetail()
                .path("message")
                .asString())
        .isEqualTo(
            "Parameter 'after' must be a timestamp from 0001-01-01T00:00:00Z to"
                + " 9999-12-31T23:59:59.999999Z (years 0001 to 9999).");
    Response edge = get("/v1/contacts?created_after=" + enc("0001-01-01T00:00:00Z"), t.key());
    assertThat(edge.status()).as(edge.raw()).isEqualTo(200);
    Response last = get("/v1/events?before=" + enc("9999-12-31T23:59:59.999Z"), t.key());
    assertThat(last.status()).as(last.raw()).isEqualTo(200);
  }

  /** Bounds that leave nothing between them are a mistake, answered as analytics answers it. */
  @Test
  void timestampBoundsThatLeaveNothingBetweenThemAre400InvalidRange() {
    Tenant t = newTenant();
    String later = enc("2026-04-02T00:00:00Z");
    String earlier = enc("2026-04-01T00:00:00Z");
    for (String[] route :
        new String[][] {
          {"/v1/events", "after", "before"}, {"/v1/contacts", "created_after", "created_before"}
        }) {
      for (String[] bounds : new String[][] {{later, earlier}, {earlier, earlier}}) {
        Response r =
            get(
                route[0] + "?" + route[1] + "=" + bounds[0] + "&" + route[2] + "=" + bounds[1],
                t.key());
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.firstDetail().path("field").asString()).isEqualTo(route[2]);
        assertThat(r.firstDetail().path("reason").asString()).isEqualTo("invalid_range");
      }
      Response ok =
          get(route[0] + "?" + route[1] + "=" + earlier + "&" + route[2] + "=" + later, t.key());
      assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
    }
  }

  /**
   * RFC 3339 as the messages and docs say: Java's ISO reader also took a time without seconds, a
   * fraction point without digits and an offset of hours only.
   */
  @Test
  void timestampQueryParametersAreRfc3339NotJavasWiderIsoForm() {
    Tenant t = newTenant();
    for (String time :
        new String[] {"2024-01-01T00:00Z", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00+00"}) {
      Response r = get("/v1/events?after=" + enc(time), t.key());
      assertThat(r.status()).as(time + " " + r.raw()).isEqualTo(400);
      assertThat(r.firstDetail().path("field").asString()).isEqualTo("after");
      assertThat(get("/v1/contacts?created_after=" + enc(time), t.key()).status())
          .as(time)
          .isEqualTo(400);
    }
    for (String time :
        new String[] {
          "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.5+01:00", "2024-01-01T00:00:00-00:00"
        }) {
      Response r = get("/v1/events?after=" + enc(time), t.key());
      assertThat(r.status()).as(time + " " + r.raw()).isEqualTo(200);
    }
  }

  @Test
  void campaignStartsAndEndsOutsideTheRangeAre400OnCreateAndUpdate() {
    Tenant t = newTenant();
    assertOutOfRange(
        post(
            "/v1/campaigns",
            t.key(),
            q("{'type':'waitlist','name':'x','starts_at':'" + FAR_FUTURE + "'}")),
        "starts_at");
    assertThat(
            post(
                    "/v1/campaigns",
                    t.key(),
                    q("{'type':'waitlist','name':'x','starts_at':'" + FAR_FUTURE + "'}"))
                .firstDetail()
                .path("message")
                .asString())
        .startsWith("Field 'starts_at' must be a timestamp from");
    assertOutOfRange(
        post(
            "/v1/campaigns",
            t.key(),
            q("{'type':'waitlist','name':'x','ends_at':'" + FAR_PAST + "'}")),
        "ends_at");
    Response created =
        post(
            "/v1/campaigns",
            t.key(),
            q("{'type':'waitlist','name':'x','ends_at':'9999-12-31T23:59:59.999Z'}"));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.body().path("ends_at").asString()).isEqualTo("9999-12-31T23:59:59.999Z");
    String id = created.body().path("id").asString();
    assertOutOfRange(
        patch("/v1/campaigns/" + id, t.key(), q("{'starts_at':'" + FAR_FUTURE + "'}")),
        "starts_at");
  }

  @Test
  void analyticsTimesOutsideTheRangeAre400AndBucketsStayWithinYear9999() {
    Tenant t = newTenant();
    String trends = "{'kind':'trends','series':[{'event':'Buy'}],";
    assertOutOfRange(
        post(
            "/v1/analytics/query",
            t.key(),
            q(trends + "'from':'+300000-12-01T00:00:00Z','to':'+300000-12-31T00:00:00Z'}")),
        "from");
    assertOutOfRange(
        post(
            "/v1/analytics/query",
            t.key(),
            q(trends + "'from':'2026-01-01T00:00:00Z','to':'" + FAR_FUTURE + "'}")),
        "to");
    assertOutOfRange(
        post(
            "/v1/analytics/query",
            t.key(),
            q(
                "{'kind':'trends','series':[{'event':'Buy','where':[{'field':'properties.d',"
                    + "'op':'gt','value':'"
                    + FAR_FUTURE
                    + "'}]}],'from':'2026-01-01T00:00:00Z','to':'2026-01-02T00:00:00Z'}")),
        "series[0].where[0].value");
    // A week bucket holding 9999-12-31 would end in year 10000, which RFC 3339 cannot write.
    assertOutOfRange(
        post(
            "/v1/analytics/query",
            t.key(),
            q(
                trends
                    + "'interval':'week','timezone':'UTC','from':'9999-12-01T00:00:00Z',"
                    + "'to':'9999-12-31T00:00:00Z'}")),
        "to");
    Response days =
        post(
            "/v1/analytics/query",
            t.key(),
            q(
                trends
                    + "'interval':'day','timezone':'UTC','from':'9999-12-01T00:00:00Z',"
                    + "'to':'9999-12-31T00:00:00Z'}"));
    assertThat(days.status()).as(days.raw()).isEqualTo(200);
    assertThat(days.body().path("to").asString()).isEqualTo("9999-12-31T00:00:00.000Z");
  }

  @Test
  void filterDatesAndNumbersOutsideTheRangesAre400AtPreviewSaveAndAnalytics() {
    Tenant t = newTenant();
    assertOutOfRange(
        post(
            "/v1/segments/preview",
            t.key(),
            q("{'filter':{'performed':'Buy','within':{'from':'" + FAR_FUTURE + "'}}}")),
        "filter.within.from");
    for (String n : new String[] {"1e999999999", "1e200000", "1e-20000"}) {
      assertOutOfRange(
          post(
              "/v1/segments/preview",
              t.key(),
              q("{'filter':{'field':'traits.v','op':'eq','value':" + n + "}}")),
          "filter.value");
      assertOutOfRange(
          post(
              "/v1/segments",
              t.key(),
              q("{'name':'p','filter':{'field':'traits.v','op':'in','value':[" + n + "]}}")),
          "filter.value[0]");
      assertOutOfRange(
          post(
              "/v1/analytics/query",
              t.key(),
              q(
                  "{'kind':'funnel','from':'2026-11-01T00:00:00Z','to':'2026-11-30T00:00:00Z',"
                      + "'steps':[{'event':'Buy'},{'event':'Buy','where':[{'field':"
                      + "'properties.amount','op':'eq','value':"
                      + n
                      + "}]}]}")),
          "steps[1].where[0].value");
    }
    Response fine =
        post(
            "/v1/segments/preview",
            t.key(),
            q("{'filter':{'field':'traits.v','op':'lt','value':1e999}}"));
    assertThat(fine.status()).as(fine.raw()).isEqualTo(200);
  }

  @Test
  void contactTraitNumbersBeyondAThousandCharactersAre400NamingTheTrait() {
    Tenant t = newTenant();
    assertOutOfRange(post("/v1/contacts", t.key(), q("{'traits':{'big':1e999999}}")), "traits.big");
    Response created = post("/v1/contacts", t.key(), q("{'traits':{'ok':1e999,'tiny':1e-998}}"));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().path("id").asString();
    assertOutOfRange(
        patch("/v1/contacts/" + id, t.key(), q("{'traits':{'deep':{'l':[1,-1e999999999]}}}")),
        "traits.deep.l[1]");
    // A literal of more digits than the parser reads (it was "The body could not be read."
    // naming the parent object).
    String digits = "9".repeat(1001);
    assertOutOfRange(
        post("/v1/contacts", t.key(), q("{'traits':{'big':" + digits + "}}")), "traits.big");
    assertOutOfRange(
        patch("/v1/contacts/" + id, t.key(), q("{'traits':{'a':{'b':[1," + digits + "]}}}")),
        "traits.a.b[1]");
    assertOutOfRange(
        post("/v1/contacts", t.key(), q("{'traits':{'pi':3." + "1".repeat(999) + "}}")),
        "traits.pi");
    Response text = post("/v1/contacts", t.key(), q("{'traits':{'digits':'" + digits + "'}}"));
    assertThat(text.status()).as("digits in a string are text").isEqualTo(201);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contacts where workspace_id = ?",
                Long.class,
                t.workspaceId()))
        .as("the first create and the one with digits in a string")
        .isEqualTo(2);
  }
}
