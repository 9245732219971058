package io.growthos.ingest.widgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.campaigns.CampaignSettings;
import io.growthos.core.campaigns.CampaignType;
import io.growthos.ingest.IngestTestBase;
import io.growthos.ingest.web.WidgetRoutes;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;

/**
 * Helpers for widget route tests: campaigns created directly in the database (the Management API is
 * another service), HTTP calls with headers, and a check run after every test over every widget
 * response it received: no e-mail, no id of a participant or contact, no verification token, and no
 * participant token except the one a join response hands to its own caller.
 */
abstract class WidgetTestSupport extends IngestTestBase {

  static final Pattern PARTICIPANT_TOKEN =
      Pattern.compile("(?<![A-Za-z0-9_-])pt_[A-Za-z0-9_-]{20,}");

  static final Pattern ID_OR_VERIFICATION =
      Pattern.compile("(?<![A-Za-z0-9_-])(part_|cntct_|vt_)[A-Za-z0-9_-]");

  /** Every widget response of the running test. */
  final List<HttpResponse<String>> widgetResponses =
      Collections.synchronizedList(new ArrayList<>());

  String campaign(Workspace ws, String type, String status, String settings) {
    return campaign(ws, type, status, settings, null, null);
  }

  String campaign(
      Workspace ws, String type, String status, String settings, Instant startsAt, Instant endsAt) {
    JsonNode validated =
        CampaignSettings.validate(
            CampaignType.ofWireName(type).orElseThrow(),
            settings == null ? null : JSON.readTree(settings));
    String id = Ids.next(IdPrefix.CAMPAIGN);
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status, starts_at, ends_at,"
            + " settings) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)",
        ws.id(),
        id,
        type,
        "Beta " + type,
        status,
        startsAt == null ? null : Timestamp.from(startsAt),
        endsAt == null ? null : Timestamp.from(endsAt),
        validated.toString());
    jdbc.update(
        "insert into campaign_counters (workspace_id, campaign_id) values (?, ?)", ws.id(), id);
    return id;
  }

  String waitlist(Workspace ws, String settings) {
    return campaign(ws, "waitlist", "active", settings);
  }

  /** GET with headers (name, value, …); recorded when it is a widget route. */
  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder req = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
    for (int i = 0; i < headers.length; i += 2) {
      req.header(headers[i], headers[i + 1]);
    }
    return record(path, send(req.GET().build()));
  }

  /** POST of JSON with headers; recorded when it is a widget route. */
  HttpResponse<String> postJson(String path, String body, String... headers) {
    return record(path, post(path, body, headers));
  }

  HttpResponse<String> join(Workspace ws, String campaign, String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = ws.bearer();
    System.arraycopy(headers, 0, all, 2, headers.length);
    return postJson("/v1/widgets/campaigns/" + campaign + "/participants", body, all);
  }

  JsonNode joined(Workspace ws, String campaign, String email) {
    HttpResponse<String> r = join(ws, campaign, "{\"email\":\"" + email + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  JsonNode joined(Workspace ws, String campaign, String email, String code) {
    HttpResponse<String> r =
        join(ws, campaign, "{\"email\":\"" + email + "\",\"referral_code\":\"" + code + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  HttpResponse<String> me(Workspace ws, String campaign, String token) {
    return token == null
        ? get(
            "/v1/widgets/campaigns/" + campaign + "/participants/me", "Authorization", ws.bearer())
        : get(
            "/v1/widgets/campaigns/" + campaign + "/participants/me",
            "Authorization",
            ws.bearer(),
            WidgetRoutes.PARTICIPANT_TOKEN_HEADER,
            token);
  }

  JsonNode myState(Workspace ws, String campaign, JsonNode joinResponse) {
    HttpResponse<String> r = me(ws, campaign, joinResponse.path("participant_token").asString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  HttpResponse<String> info(Workspace ws, String campaign, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = ws.bearer();
    System.arraycopy(headers, 0, all, 2, headers.length);
    return get("/v1/widgets/campaigns/" + campaign, all);
  }

  private HttpResponse<String> record(String path, HttpResponse<String> response) {
    if (path.startsWith(WidgetRoutes.PREFIX)) {
      widgetResponses.add(response);
    }
    return response;
  }

  @AfterEach
  void noWidgetResponseLeaksAnything() {
    List<String> problems = new ArrayList<>();
    synchronized (widgetResponses) {
      for (HttpResponse<String> r : widgetResponses) {
        String body = r.body();
        String where = r.request().method() + " " + r.uri().getPath() + " -> " + body;
        if (body.contains("@")) {
          problems.add("an e-mail: " + where);
        }
        if (ID_OR_VERIFICATION.matcher(body).find()) {
          problems.add("a participant or contact id or a verification token: " + where);
        }
        Set<String> tokens = new HashSet<>();
        Matcher m = PARTICIPANT_TOKEN.matcher(body);
        while (m.find()) {
          tokens.add(m.group());
        }
        if (!tokens.isEmpty()) {
          boolean ownJoin =
              r.request().method().equals("POST")
                  && r.uri().getPath().endsWith("/participants")
                  && (r.statusCode() == 200 || r.statusCode() == 201)
                  && tokens.equals(Set.of(json(r).path("participant_token").asString()));
          if (!ownJoin) {
            problems.add("a participant token not its own: " + where);
          }
        }
      }
    }
    assertThat(widgetResponses).as("the test made widget calls").isNotEmpty();
    assertThat(problems).isEmpty();
  }
}
