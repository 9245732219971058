package io.growthos.management.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.management.Routes;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every type-specific sub-route of a campaign against every campaign type (docs/campaigns.md, "Sub
 * resources of another campaign type"): a campaign whose type has no such sub-resource is 422
 * {@code unprocessable_entity} with one detail {@code type}/{@code not_supported}, before the body,
 * the parameters or the sub-resource's id are looked at; a campaign whose type has it never gets
 * that answer.
 */
class CampaignSubResourceTypesTests extends ApiTestSupport {

  enum Type {
    REFERRAL,
    WAITLIST,
    SURVEY,
    SOCIAL_PROOF
  }

  private static final Set<Type> REFERRAL_OR_WAITLIST = Set.of(Type.REFERRAL, Type.WAITLIST);

  /**
   * One row per route: method, path under {@code /v1/campaigns/{id}}, body, the types that have it
   * and the status the route answers for those (an id of nothing where the path names one).
   */
  record Row(String method, String path, String body, Set<Type> types, int status) {
    String route() {
      return method + " /v1/campaigns/{id}" + path.replaceAll("/(prt|rwd)_nope", "/{x}");
    }
  }

  private static final List<Row> TABLE =
      List.of(
          new Row(
              "POST",
              "/participants",
              "{\"email\": \"ann@example.com\"}",
              Set.of(Type.REFERRAL, Type.WAITLIST),
              201),
          new Row("GET", "/participants", null, REFERRAL_OR_WAITLIST, 200),
          new Row("GET", "/participants/prt_nope", null, REFERRAL_OR_WAITLIST, 404),
          new Row(
              "POST",
              "/participants/prt_nope/verify",
              "{\"token\": \"vt_x\"}",
              REFERRAL_OR_WAITLIST,
              404),
          new Row("POST", "/participants/prt_nope/admit", null, Set.of(Type.WAITLIST), 404),
          new Row("POST", "/admit", "{\"count\": 1}", Set.of(Type.WAITLIST), 200),
          new Row("GET", "/referrals", null, REFERRAL_OR_WAITLIST, 200),
          new Row("GET", "/stats", null, REFERRAL_OR_WAITLIST, 200),
          new Row("GET", "/leaderboard", null, REFERRAL_OR_WAITLIST, 200),
          new Row("GET", "/rewards", null, Set.of(Type.REFERRAL), 200),
          new Row("GET", "/rewards/rwd_nope", null, Set.of(Type.REFERRAL), 404),
          new Row("POST", "/rewards/rwd_nope/approve", null, Set.of(Type.REFERRAL), 404),
          new Row("POST", "/rewards/rwd_nope/reject", null, Set.of(Type.REFERRAL), 404),
          new Row("POST", "/rewards/rwd_nope/fulfil", null, Set.of(Type.REFERRAL), 404),
          new Row("GET", "/feed", null, Set.of(Type.SOCIAL_PROOF), 200),
          new Row("GET", "/results", null, Set.of(Type.SURVEY), 200),
          new Row("GET", "/responses", null, Set.of(Type.SURVEY), 200),
          new Row("GET", "/results/questions/score/answers", null, Set.of(Type.SURVEY), 200));

  private static final Map<Type, String> BODIES =
      Map.of(
          Type.REFERRAL,
          "{\"type\": \"referral\", \"name\": \"r\", \"settings\":"
              + " {\"landing_url\": \"https://example.com/r\"}}",
          Type.WAITLIST,
          "{\"type\": \"waitlist\", \"name\": \"w\"}",
          Type.SURVEY,
          "{\"type\": \"survey\", \"name\": \"s\", \"settings\": {\"questions\": [{\"id\":"
              + " \"score\", \"type\": \"nps\", \"text\": \"How likely?\"}]}}",
          Type.SOCIAL_PROOF,
          "{\"type\": \"social_proof\", \"name\": \"p\", \"settings\": {\"source\": {\"event\":"
              + " \"Signed Up\"}, \"template\": \"{name|Someone} signed up {time_ago}\"}}");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  @Test
  void aSubResourceOfAnotherCampaignTypeIs422NotSupportedOnEveryRouteAndTheRightTypeNeverIs() {
    Tenant t = newTenant();
    Map<Type, String> campaigns = new EnumMap<>(Type.class);
    for (Type type : Type.values()) {
      Response created = post("/v1/campaigns", t.key(), BODIES.get(type));
      assertThat(created.status()).as(created.raw()).isEqualTo(201);
      campaigns.put(type, created.body().path("id").asString());
    }

    SoftAssertions soft = new SoftAssertions();
    for (Row row : TABLE) {
      for (Type type : Type.values()) {
        String path = "/v1/campaigns/" + campaigns.get(type) + row.path();
        Response r = call(row.method(), path, t.key(), row.body());
        String what = row.route() + " on a " + type + " campaign: " + r.raw();
        if (row.types().contains(type)) {
          soft.assertThat(r.status()).as(what).isEqualTo(row.status());
        } else {
          soft.assertThat(r.status()).as(what).isEqualTo(422);
          soft.assertThat(r.errorCode()).as(what).isEqualTo("unprocessable_entity");
          soft.assertThat(r.body().path("error").path("details")).as(what).hasSize(1);
          soft.assertThat(r.firstDetail().path("field").asString()).as(what).isEqualTo("type");
          soft.assertThat(r.firstDetail().path("reason").asString())
              .as(what)
              .isEqualTo("not_supported");
          soft.assertThat(r.firstDetail().path("message").asString())
              .as(what)
              .contains("this campaign is a " + type.name().toLowerCase());
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void theTypeIsJudgedBeforeTheBodyAndTheParameters() {
    Tenant t = newTenant();
    String survey =
        post("/v1/campaigns", t.key(), BODIES.get(Type.SURVEY)).body().path("id").asString();
    String waitlist =
        post("/v1/campaigns", t.key(), BODIES.get(Type.WAITLIST)).body().path("id").asString();
    for (Response r :
        List.of(
            post("/v1/campaigns/" + survey + "/participants", t.key(), "{\"email\": \"nope\"}"),
            post("/v1/campaigns/" + survey + "/admit", t.key(), "{\"count\": 0}"),
            get("/v1/campaigns/" + survey + "/leaderboard?period=week&limit=0", t.key()),
            get("/v1/campaigns/" + survey + "/participants?limit=0", t.key()),
            get("/v1/campaigns/" + waitlist + "/rewards?state=bogus", t.key()),
            get("/v1/campaigns/" + waitlist + "/responses?limit=0", t.key()))) {
      assertThat(r.status()).as(r.raw()).isEqualTo(422);
      assertThat(r.firstDetail().path("reason").asString()).isEqualTo("not_supported");
    }
    // Another workspace's campaign is still 404, whatever its type.
    Tenant other = newTenant();
    assertThat(get("/v1/campaigns/" + survey + "/leaderboard", other.key()).status())
        .isEqualTo(404);
    assertThat(get("/v1/campaigns/" + waitlist + "/results", other.key()).status()).isEqualTo(404);
  }

  @Test
  void theTableCoversEveryRouteUnderACampaign() {
    Set<String> routed =
        Routes.of(mapping).stream()
            .filter(r -> r.path().startsWith("/v1/campaigns/{id}/"))
            .map(
                r ->
                    r.method()
                        + " "
                        + r.path().replaceAll("\\{(pid|rid)}", "{x}").replace("{qid}", "score"))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> tabled =
        TABLE.stream().map(Row::route).collect(Collectors.toCollection(TreeSet::new));
    assertThat(tabled).isEqualTo(routed);
  }
}
