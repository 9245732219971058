package io.growthos.ingest.widgets.surveys;

import io.growthos.core.campaigns.Audiences;
import io.growthos.core.campaigns.Survey;
import io.growthos.core.contacts.ContactIdentities;
import io.growthos.core.outbox.EventType;
import io.growthos.core.outbox.Outbox;
import io.growthos.ingest.contacts.ContactLinker;
import io.growthos.ingest.events.EventParser;
import io.growthos.ingest.events.EventRecord;
import io.growthos.ingest.events.EventStore;
import io.growthos.model.contacts.ContactIds;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.values.SqlInstants;
import io.growthos.model.values.TextLength;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The survey widget's server side (SPEC §8, docs/surveys.md): which survey a visitor should see now
 * (targeting and frequency caps evaluated here, never in the browser), displays, dismissals and
 * responses.
 *
 * <p>A completed response is stored, written as a {@code Survey Responded} track event through the
 * ingest {@link EventStore} (dedupe on a messageId derived from the response id, contact
 * resolution, deletion suppressions) and announced as a {@code survey.response.completed} webhook
 * event, all in one transaction: the three exist together or not at all, and only the request that
 * completes the response writes them.
 */
@Service
public class SurveyWidgets {

  /** The event every completed response is also stored as. */
  public static final String EVENT_NAME = "Survey Responded";

  private static final Logger log = LoggerFactory.getLogger(SurveyWidgets.class);
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  /** Ids and event names: the Ingest API's limit (one rule, {@link ContactIds}). */
  private static final int MAX_ID = ContactIds.MAX_CHARS;

  private static final int MAX_URL = 2000;

  /**
   * A row of the visitor, as the caps match it: by its contact, or by an {@code anonymous_id} or
   * {@code user_id} that is one of the visitor's ids or its contact's ({@link #visitorIds}): a row
   * stored before the visitor signed in names no contact, only the device's id. A row of the device
   * that names another user id is that person's (a shared browser; {@link
   * ContactIdentities#rowOf}): until 2026-12-07 it capped the next person too (a review of the
   * change). Parameters: the contact, the user ids, the anonymous ids.
   */
  private static final String VISITOR_MATCH =
      "(contact_id = ? or " + ContactIdentities.rowOf("") + ")";

  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  // No writeKey: widget routes take the key in the Authorization header only (docs/surveys.md),
  // so one in the body is an unknown field, as on the join route.
  private static final Set<String> INTERACTION_FIELDS =
      Set.of("interaction_id", "anonymous_id", "user_id", "url");
  private static final Set<String> RESPONSE_FIELDS =
      Set.of(
          "response_id",
          "anonymous_id",
          "user_id",
          "answers",
          "completed",
          "url",
          "question_ids",
          "revision");

  /** Longest {@code revision} a response may name: the widget echoes {@link #revisionOf}'s. */
  private static final int MAX_REVISION = 64;

  /** Campaigns a widget may use: live surveys inside their dates. */
  private static final String LIVE =
      "type = 'survey' and status = 'active' and (starts_at is null or starts_at <= now())"
          + " and (ends_at is null or ends_at > now())";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final EventStore events;
  private final EventParser parser;
  private final ContactLinker contacts;
  private final Outbox outbox;
  private final Audiences audiences;
  private final JsonMapper json = JsonMapper.builder().build();

  public SurveyWidgets(
      DataSource dataSource,
      JdbcTemplate jdbc,
      EventStore events,
      EventParser parser,
      ContactLinker contacts) {
    this.jdbc = jdbc;
    // On the DataSource the EventStore uses: its transaction joins this one.
    this.tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    this.events = events;
    this.parser = parser;
    this.contacts = contacts;
    this.outbox = new Outbox(jdbc);
    this.audiences = new Audiences(jdbc);
  }

  /**
   * Who the widget is talking to: the ids it sent, the contact they resolve to (if any), and
   * whether one of the ids is suppressed (it belonged to a deleted contact; docs/contacts.md,
   * "Deletion").
   */
  record Visitor(String anonymousId, String userId, String contactId, boolean suppressed) {}

  private record Campaign(String id, String name, JsonNode settings, JsonNode audience) {}

  // --- which survey now --------------------------------------------------------------------------

  /** {@code {"survey": {...}}} for the first live survey this visitor qualifies for, or null. */
  public ObjectNode current(
      String workspaceId, String anonymousId, String userId, String url, String event) {
    List<ErrorDetail> problems = new ArrayList<>();
    anonymousId = id(anonymousId, "anonymous_id", problems);
    userId = id(userId, "user_id", problems);
    if (anonymousId == null && userId == null && problems.isEmpty()) {
      problems.add(
          ErrorDetail.of(
              "anonymous_id", "required", "Send the visitor's anonymous_id or user_id."));
    }
    if (url != null && !TextLength.atMost(url, MAX_URL)) {
      problems.add(ErrorDetail.of("url", "too_long", "'url' has at most 2000 characters."));
    }
    if (event != null && (event.isBlank() || !TextLength.atMost(event, MAX_ID))) {
      problems.add(ErrorDetail.of("event", "invalid_value", "'event' is an event name."));
    }
    if (!problems.isEmpty()) {
      throw ApiException.invalid(problems);
    }
    ObjectNode out = json.createObjectNode();
    out.putNull("survey");
    List<Campaign> live =
        jdbc.query(
            "select id, name, settings::text, audience::text from campaigns where workspace_id = ?"
                + " and "
                + LIVE
                + " order by created_at, id",
            (rs, i) ->
                new Campaign(
                    rs.getString(1),
                    rs.getString(2),
                    json.readTree(rs.getString(3)),
                    rs.getString(4) == null ? null : json.readTree(rs.getString(4))),
            workspaceId);
    if (live.isEmpty()) {
      return out;
    }
    Visitor visitor = visitor(workspaceId, anonymousId, userId);
    if (visitor.suppressed()) {
      // A deleted contact's ids: nothing they answered would be stored, so nothing is asked.
      return out;
    }
    History history = history(workspaceId, visitor);
    Instant now = Instant.now();
    for (Campaign c : live) {
      Survey survey = Survey.of(c.settings());
      if (survey.questions().isEmpty()
          || !survey.triggeredBy(event)
          || !survey.urlMatches(url)
          || !history.allows(c.id(), survey.targeting(), now)
          || !inAudience(workspaceId, c, visitor)) {
        continue;
      }
      ObjectNode s = out.putObject("survey");
      s.put("id", c.id());
      s.put("object", "survey");
      s.put("name", c.name());
      s.set("questions", c.settings().path("questions"));
      s.set("thank_you", c.settings().path("thank_you"));
      s.put("delay_seconds", survey.targeting().delaySeconds());
      s.put("revision", revisionOf(c.settings()));
      return out;
    }
    return out;
  }

  /** What a visitor has done with surveys: the input of the frequency caps. */
  record History(
      Set<String> dismissed,
      Set<String> displayed,
      Set<String> responded,
      Instant lastDisplayAnywhere) {

    boolean allows(String campaignId, Survey.Targeting t, Instant now) {
      if (dismissed.contains(campaignId)) {
        return false;
      }
      if (t.oncePerContact()
          && (displayed.contains(campaignId) || responded.contains(campaignId))) {
        return false;
      }
      if (t.minDaysBetweenSurveys() > 0 && lastDisplayAnywhere != null) {
        Instant since = now.minus(Duration.ofDays(t.minDaysBetweenSurveys()));
        return lastDisplayAnywhere.isBefore(since);
      }
      return true;
    }
  }

  private History history(String workspaceId, Visitor v) {
    String[][] ids = visitorIds(workspaceId, v);
    Set<String> dismissed = new HashSet<>();
    Set<String> displayed = new HashSet<>();
    // Any response, partial or complete: a survey that takes one response per visitor refuses a
    // second response_id (checkFirstResponse), so it must not be offered again either.
    Set<String> responded = new HashSet<>();
    Instant[] last = new Instant[1];
    jdbc.query(
        "select campaign_id, kind, max(created_at) from survey_interactions where workspace_id = ?"
            + " and "
            + VISITOR_MATCH
            + " group by campaign_id, kind",
        rs -> {
          String campaign = rs.getString(1);
          if (rs.getString(2).equals("dismissal")) {
            dismissed.add(campaign);
          } else {
            displayed.add(campaign);
            Instant at = SqlInstants.get(rs, 3);
            if (last[0] == null || at.isAfter(last[0])) {
              last[0] = at;
            }
          }
        },
        workspaceId,
        v.contactId(),
        ids[1],
        ids[0]);
    jdbc.query(
        "select distinct campaign_id from survey_responses where workspace_id = ? and "
            + VISITOR_MATCH,
        rs -> {
          responded.add(rs.getString(1));
        },
        workspaceId,
        v.contactId(),
        ids[1],
        ids[0]);
    return new History(dismissed, displayed, responded, last[0]);
  }

  /** Whether the visitor's contact is in the campaign's audience ({@link Audiences}). */
  private boolean inAudience(String workspaceId, Campaign c, Visitor v) {
    return audiences.contains(workspaceId, c.id(), c.audience(), v.contactId());
  }

  // --- displays and dismissals -------------------------------------------------------------------

  /**
   * Records that the survey was shown ({@code display}) or closed unanswered ({@code dismissal}):
   * once per {@code interaction_id} when the widget sends one (a retry records nothing more), once
   * per post without.
   */
  public ObjectNode interaction(String workspaceId, String campaignId, String kind, JsonNode body) {
    live(workspaceId, campaignId);
    List<ErrorDetail> problems = new ArrayList<>();
    ObjectNode in = object(body, INTERACTION_FIELDS, problems);
    String interactionId = text(in, "interaction_id", problems);
    if (interactionId != null) {
      checkClientId(interactionId, "interaction_id", problems);
    }
    String anonymousId = id(text(in, "anonymous_id", problems), "anonymous_id", problems);
    String userId = id(text(in, "user_id", problems), "user_id", problems);
    String url = url(in, problems);
    requireVisitor(anonymousId, userId, problems);
    if (!problems.isEmpty()) {
      throw ApiException.invalid(problems);
    }
    boolean recorded =
        retryable(
            "The " + kind + " could not be recorded; retry.",
            () ->
                tx.execute(
                    status -> {
                      // Held until the commit: a deletion (or pause) of the survey racing this
                      // post either waits for it or committed first, and then this is 404, not
                      // the 409 of the insert's foreign key finding the campaign gone.
                      live(workspaceId, campaignId, true);
                      Visitor v = storable(workspaceId, anonymousId, userId);
                      if (v == null) {
                        return false;
                      }
                      int inserted =
                          jdbc.update(
                              "insert into survey_interactions (workspace_id, campaign_id, kind,"
                                  + " interaction_id, contact_id, anonymous_id, user_id, url)"
                                  + " values (?, ?, ?, ?, ?, ?, ?, ?)"
                                  + " on conflict (workspace_id, campaign_id, kind, interaction_id)"
                                  + " where interaction_id is not null do nothing",
                              workspaceId,
                              campaignId,
                              kind,
                              interactionId,
                              v.contactId(),
                              v.anonymousId(),
                              v.userId(),
                              url);
                      if (inserted == 0) {
                        // A retry: recorded by the first post, if that was this visitor's.
                        checkSameVisitor(
                            jdbc.queryForObject(
                                "select anonymous_id, user_id from survey_interactions"
                                    + " where workspace_id = ? and campaign_id = ? and kind = ?"
                                    + " and interaction_id = ?",
                                (rs, i) -> new String[] {rs.getString(1), rs.getString(2)},
                                workspaceId,
                                campaignId,
                                kind,
                                interactionId),
                            v,
                            "interaction_id");
                      }
                      return true;
                    }));
    ObjectNode out = json.createObjectNode();
    out.put("object", "survey_" + kind);
    out.put("campaign_id", campaignId);
    out.put("recorded", recorded);
    return out;
  }

  // --- responses ---------------------------------------------------------------------------------

  /**
   * Stores a partial or complete response, idempotent on {@code response_id}: answers merge into
   * the stored ones (a null clears one), a complete response is final and later posts of it return
   * it unchanged.
   */
  public ObjectNode respond(String workspaceId, String campaignId, JsonNode body) {
    Campaign campaign = live(workspaceId, campaignId);
    Survey survey = Survey.of(campaign.settings());
    List<ErrorDetail> problems = new ArrayList<>();
    ObjectNode in = object(body, RESPONSE_FIELDS, problems);
    String responseId = text(in, "response_id", problems);
    if (responseId == null) {
      if (problems.isEmpty()) {
        problems.add(
            ErrorDetail.of("response_id", "required", "Send a response_id (a UUID you mint)."));
      }
    } else {
      checkClientId(responseId, "response_id", problems);
    }
    String anonymousId = id(text(in, "anonymous_id", problems), "anonymous_id", problems);
    String userId = id(text(in, "user_id", problems), "user_id", problems);
    String url = url(in, problems);
    requireVisitor(anonymousId, userId, problems);
    Set<String> shown = questionIds(in, problems);
    String revision = revision(in, problems);
    JsonNode answers = in == null ? null : in.get("answers");
    if (answers == null || answers.isNull()) {
      answers = json.createObjectNode();
    } else if (!answers.isObject()) {
      problems.add(
          ErrorDetail.of(
              "answers", "invalid_type", "'answers' is an object: question id → answer."));
      answers = json.createObjectNode();
    } else {
      problems.addAll(
          survey.checkAnswers(
              admit(answers, survey, shown, isStale(revision, campaign.settings())).kept(),
              "answers"));
    }
    JsonNode completedNode = in == null ? null : in.get("completed");
    boolean complete = false;
    if (completedNode != null && !completedNode.isNull()) {
      if (!completedNode.isBoolean()) {
        problems.add(ErrorDetail.of("completed", "invalid_type", "'completed' is true or false."));
      } else {
        complete = completedNode.booleanValue();
      }
    }
    if (!problems.isEmpty()) {
      throw ApiException.invalid(problems);
    }
    JsonNode submitted = answers;
    boolean completing = complete;
    return retryable(
        "The response could not be stored; retry (it is stored once).",
        () ->
            tx.execute(
                status -> {
                  // The questions as they are now, held until the commit: a PATCH of the survey
                  // (which locks the row) either committed first, and the answers are checked
                  // against its questions here, or waits, and then sees this response when it
                  // checks which questions have answers (docs/surveys.md). Checking against the
                  // copy read before the transaction let a PATCH change the shape of a question
                  // while an answer of the old shape was being stored.
                  JsonNode settings = live(workspaceId, campaign.id(), true).settings();
                  Survey current = Survey.of(settings);
                  Admitted admitted = admit(submitted, current, shown, isStale(revision, settings));
                  JsonNode kept = admitted.kept();
                  List<ErrorDetail> invalid = current.checkAnswers(kept, "answers");
                  if (!invalid.isEmpty()) {
                    throw ApiException.invalid(invalid);
                  }
                  // A choice is stored as the question lists it ("Café" decomposed is "Café"), a
                  // score as the integer it is (10.0 is 10).
                  JsonNode listed = current.asStored(kept);
                  Visitor v = storable(workspaceId, anonymousId, userId);
                  if (v == null) {
                    return notRecorded(campaign.id(), responseId);
                  }
                  if (current.targeting().oncePerContact()) {
                    checkFirstResponse(workspaceId, campaign.id(), responseId, v);
                  }
                  ObjectNode stored =
                      store(
                          workspaceId,
                          campaign,
                          current,
                          responseId,
                          v,
                          url,
                          listed,
                          completing,
                          asked(current, shown, admitted.dropped()));
                  // The answer goes to a page holding the public write key: it names no contact
                  // (posting someone's user_id must not reveal their contact id; the webhook and
                  // the Management API's responses carry it).
                  stored.remove("contact_id");
                  stored.put("recorded", true);
                  ArrayNode dropped = stored.putArray("dropped_answers");
                  admitted.dropped().forEach(dropped::add);
                  return stored;
                }));
  }

  /**
   * A survey with {@code once_per_contact} takes one response per visitor: a new {@code
   * response_id} from a visitor who already has a response to it (partial or complete), matched as
   * the caps match it (its contact, {@code anonymous_id} or {@code user_id}), is 409 {@code
   * already_responded}. The response's own id keeps working (retries, a partial response's next
   * answers). Exact under concurrency: the transaction first takes an advisory lock per id of the
   * visitor (in one order, so two posts cannot deadlock); two posts that could match each other
   * share one of those ids, so the second waits for the first to commit and then sees its row.
   */
  private void checkFirstResponse(String ws, String campaignId, String responseId, Visitor v) {
    Stream.of(
            v.contactId() == null ? null : "contact:" + v.contactId(),
            v.anonymousId() == null ? null : "anonymous_id:" + v.anonymousId(),
            v.userId() == null ? null : "user_id:" + v.userId())
        .filter(Objects::nonNull)
        .map(id -> "survey-visitor " + ws + " " + campaignId + " " + id)
        .sorted()
        .forEach(
            key ->
                jdbc.query("select pg_advisory_xact_lock(hashtextextended(?, 0))", rs -> {}, key));
    String[][] ids = visitorIds(ws, v);
    Boolean another =
        jdbc.queryForObject(
            "select not exists (select 1 from survey_responses where workspace_id = ? and"
                + " campaign_id = ? and response_id = ?) and exists (select 1 from"
                + " survey_responses where workspace_id = ? and campaign_id = ? and "
                + VISITOR_MATCH
                + ")",
            Boolean.class,
            ws,
            campaignId,
            responseId,
            ws,
            campaignId,
            v.contactId(),
            ids[1],
            ids[0]);
    if (Boolean.TRUE.equals(another)) {
      String message =
          "This visitor has already responded to this survey, which takes one response per"
              + " visitor (targeting.once_per_contact); keep posting to the first response's"
              + " response_id.";
      throw new ApiException(
          ErrorCode.DUPLICATE_RESOURCE,
          message,
          List.of(ErrorDetail.of("response_id", "already_responded", message)));
    }
  }

  /**
   * What a response of a suppressed visitor gets: acknowledged, as the Ingest API acknowledges the
   * events of a suppressed id, and marked as not recorded.
   */
  private ObjectNode notRecorded(String campaignId, String responseId) {
    ObjectNode out = json.createObjectNode();
    out.put("id", responseId);
    out.put("object", "survey_response");
    out.put("campaign_id", campaignId);
    out.put("recorded", false);
    return out;
  }

  /**
   * Runs a write; a deadlock or a serialization failure (nothing was stored) becomes a 503 the
   * widget may retry.
   */
  private <T> T retryable(String message, Supplier<T> write) {
    try {
      return write.get();
    } catch (TransientDataAccessException e) {
      log.info("Survey widget write not stored: {}", e.toString());
      throw new ApiException(
          ErrorCode.SERVICE_UNAVAILABLE,
          message,
          List.of(ErrorDetail.of("service", "retry", "Retry after 1 s.")),
          Map.of("Retry-After", "1"));
    }
  }

  private ObjectNode store(
      String workspaceId,
      Campaign campaign,
      Survey survey,
      String responseId,
      Visitor v,
      String url,
      JsonNode submitted,
      boolean complete,
      Set<String> asked) {
    // Concurrent posts of one response id serialize here: the second insert waits for the first
    // transaction, then finds the row and locks it.
    jdbc.update(
        "insert into survey_responses (workspace_id, campaign_id, response_id, contact_id,"
            + " anonymous_id, user_id, url) values (?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (workspace_id, campaign_id, response_id) do nothing",
        workspaceId,
        campaign.id(),
        responseId,
        v.contactId(),
        v.anonymousId(),
        v.userId(),
        url);
    ObjectNode row = load(workspaceId, campaign.id(), responseId, true);
    checkSameVisitor(
        new String[] {text(row, "anonymous_id"), text(row, "user_id")}, v, "response_id");
    if (row.path("completed").asBoolean()) {
      return row;
    }
    ObjectNode merged = (ObjectNode) row.path("answers").deepCopy();
    for (Map.Entry<String, JsonNode> e : submitted.properties()) {
      // A null clears an answer; so does an answer that is none (blank text, empty list), so
      // what is stored is what the results count as answered (Survey.isAnswered).
      if (!Survey.isAnswered(e.getValue())) {
        merged.remove(e.getKey());
      } else {
        merged.set(e.getKey(), e.getValue());
      }
    }
    if (complete) {
      // Answers the final path skips (a detractor's reason, after changing to a promoter) were
      // given on a branch the visitor left: not part of the completed response.
      survey.offPath(merged).forEach(merged::remove);
      List<ErrorDetail> missing = survey.checkComplete(merged, "answers", asked);
      if (!missing.isEmpty()) {
        throw ApiException.invalid(missing);
      }
    }
    jdbc.update(
        "update survey_responses set answers = ?::jsonb, completed = ?,"
            + " completed_at = case when ? then now() end, updated_at = now(),"
            + " contact_id = coalesce(contact_id, ?), anonymous_id = coalesce(anonymous_id, ?),"
            + " user_id = coalesce(user_id, ?), url = coalesce(?, url)"
            + " where workspace_id = ? and campaign_id = ? and response_id = ?",
        json.writeValueAsString(merged),
        complete,
        complete,
        v.contactId(),
        v.anonymousId(),
        v.userId(),
        url,
        workspaceId,
        campaign.id(),
        responseId);
    ObjectNode stored = load(workspaceId, campaign.id(), responseId, false);
    if (complete) {
      recordCompletion(workspaceId, campaign, survey, stored);
    }
    return stored;
  }

  /**
   * The {@code Survey Responded} event and the {@code survey.response.completed} webhook. The
   * webhook carries the response whole; the event is one the Ingest API would accept ({@link
   * #fitted}).
   */
  private void recordCompletion(
      String workspaceId, Campaign campaign, Survey survey, ObjectNode response) {
    String responseId = response.path("id").asString();
    ObjectNode properties = json.createObjectNode();
    properties.put("campaign_id", campaign.id());
    properties.put("survey_name", campaign.name());
    properties.put("response_id", responseId);
    properties.set("answers", response.path("answers"));
    ObjectNode context = json.createObjectNode();
    String url = text(response, "url");
    if (url != null) {
      context.putObject("page").put("url", url);
    }
    context.putObject("library").put("name", "growthos-survey-widget");
    String contextJson = json.writeValueAsString(context);
    Instant now = Instant.now();
    Function<ObjectNode, EventRecord> eventOf =
        props ->
            new EventRecord(
                Ids.next(IdPrefix.EVENT),
                messageIdOf(campaign.id(), responseId),
                io.growthos.model.events.EventType.TRACK,
                EVENT_NAME,
                null,
                text(response, "user_id"),
                text(response, "anonymous_id"),
                null,
                null,
                json.writeValueAsString(props),
                null,
                contextJson,
                null,
                now,
                null,
                null,
                now,
                null);
    EventRecord event = eventOf.apply(properties);
    if (!parser.fitsOneEvent(event)) {
      event = fitted(properties, survey, eventOf);
    }
    events.write(List.of(new EventStore.Batch(workspaceId, List.of(event))));
    outbox.emit(
        workspaceId, EventType.SURVEY_RESPONSE_COMPLETED, json.writeValueAsString(response));
  }

  /**
   * The event of a response too large for one event of the Ingest API ({@code
   * limits.max-event-size}, 32 KB; {@link EventParser#fitsOneEvent}, the rule {@code /v1/batch}
   * applies): its free texts (answers to {@code text} questions and "other" texts) are cut, the
   * longest first, to the most characters (code points, so an emoji is never split) at which the
   * event fits; if it does not fit even without them, the other answers are left out too, from the
   * last question back. The event then says so: {@code truncated: true} and {@code
   * truncated_answers}, the ids of the answers cut or left out. The stored response, the webhook
   * and the Management API keep every answer whole.
   */
  private EventRecord fitted(
      ObjectNode properties, Survey survey, Function<ObjectNode, EventRecord> eventOf) {
    JsonNode answers = properties.path("answers");
    int longest = 0;
    for (Map.Entry<String, JsonNode> e : answers.properties()) {
      for (JsonNode v : e.getValue().isArray() ? e.getValue() : List.of(e.getValue())) {
        if (v.isString() && isFreeText(survey.question(e.getKey()), v.asString())) {
          longest = Math.max(longest, v.asString().codePointCount(0, v.asString().length()));
        }
      }
    }
    EventRecord none = eventOf.apply(cut(properties, survey, 0, List.of()));
    if (parser.fitsOneEvent(none)) {
      // The most characters that fit: 0 does, `longest` (the whole answers) does not.
      int fits = 0;
      int tooMany = longest;
      EventRecord best = none;
      while (tooMany - fits > 1) {
        int mid = (fits + tooMany) >>> 1;
        EventRecord e = eventOf.apply(cut(properties, survey, mid, List.of()));
        if (parser.fitsOneEvent(e)) {
          fits = mid;
          best = e;
        } else {
          tooMany = mid;
        }
      }
      return best;
    }
    List<String> order = new ArrayList<>();
    survey.questions().forEach(q -> order.add(q.id()));
    answers
        .propertyNames()
        .forEach(
            k -> {
              if (!order.contains(k)) {
                order.add(k);
              }
            });
    List<String> leftOut = new ArrayList<>();
    EventRecord e = none;
    for (int i = order.size() - 1; i >= 0 && !parser.fitsOneEvent(e); i--) {
      if (answers.has(order.get(i))) {
        leftOut.add(order.get(i));
        e = eventOf.apply(cut(properties, survey, 0, leftOut));
      }
    }
    return e;
  }

  /**
   * {@code properties} with each free text of the answers cut to {@code max} characters (left out
   * when {@code max} is 0) and the answers {@code leftOut} left out, marked {@code truncated} with
   * the ids of the answers changed, in question order.
   */
  private ObjectNode cut(ObjectNode properties, Survey survey, int max, List<String> leftOut) {
    ObjectNode out = properties.deepCopy();
    ObjectNode answers = (ObjectNode) out.path("answers");
    Set<String> changed = new HashSet<>(leftOut);
    leftOut.forEach(answers::remove);
    for (String key : List.copyOf(answers.propertyNames())) {
      Survey.Question q = survey.question(key);
      JsonNode v = answers.get(key);
      if (v.isString()) {
        String text = v.asString();
        String kept = cut(q, text, max);
        if (kept != text) {
          changed.add(key);
          if (kept == null) {
            answers.remove(key);
          } else {
            answers.put(key, kept);
          }
        }
      } else if (v.isArray()) {
        ArrayNode items = json.createArrayNode();
        for (JsonNode item : v) {
          String text = item.isString() ? item.asString() : null;
          String kept = text == null ? null : cut(q, text, max);
          if (text == null || kept == text) {
            items.add(item);
          } else {
            changed.add(key);
            if (kept != null) {
              items.add(kept);
            }
          }
        }
        if (items.isEmpty()) {
          answers.remove(key);
        } else {
          answers.set(key, items);
        }
      }
    }
    out.put("truncated", true);
    ArrayNode ids = out.putArray("truncated_answers");
    for (Survey.Question q : survey.questions()) {
      if (changed.remove(q.id())) {
        ids.add(q.id());
      }
    }
    // Answers to questions removed since: after the survey's, by id.
    changed.stream().sorted().forEach(ids::add);
    return out;
  }

  /**
   * A free text cut to {@code max} characters: itself (the same instance) when it is no free text
   * or short enough, null when {@code max} is 0.
   */
  private static String cut(Survey.Question q, String text, int max) {
    if (!isFreeText(q, text) || text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    return max == 0 ? null : text.substring(0, text.offsetByCodePoints(0, max));
  }

  /**
   * Whether a stored answer text is written by the visitor: the answer of a {@code text} question,
   * an "other" text of a choice question, or a text of a question removed since.
   */
  private static boolean isFreeText(Survey.Question q, String text) {
    return q == null || !q.choices().contains(text);
  }

  /**
   * The messageId of a response's {@code Survey Responded} event: a name-based UUID of the campaign
   * and the response id, so the event can be stored only once.
   */
  public static String messageIdOf(String campaignId, String responseId) {
    return UUID.nameUUIDFromBytes(
            ("survey-response\n" + campaignId + "\n" + responseId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private ObjectNode load(String workspaceId, String campaignId, String responseId, boolean lock) {
    return jdbc.queryForObject(
        "select response_id, campaign_id, contact_id, anonymous_id, user_id, answers::text,"
            + " completed, url, created_at, updated_at, completed_at from survey_responses"
            + " where workspace_id = ? and campaign_id = ? and response_id = ?"
            + (lock ? " for update" : ""),
        (rs, i) -> {
          ObjectNode r = json.createObjectNode();
          r.put("id", rs.getString(1));
          r.put("object", "survey_response");
          r.put("campaign_id", rs.getString(2));
          r.put("contact_id", rs.getString(3));
          r.put("anonymous_id", rs.getString(4));
          r.put("user_id", rs.getString(5));
          r.set("answers", json.readTree(rs.getString(6)));
          r.put("completed", rs.getBoolean(7));
          r.put("url", rs.getString(8));
          r.put("created_at", ts(SqlInstants.get(rs, 9)));
          r.put("updated_at", ts(SqlInstants.get(rs, 10)));
          r.put("completed_at", ts(SqlInstants.get(rs, 11)));
          return r;
        },
        workspaceId,
        campaignId,
        responseId);
  }

  // --- helpers -----------------------------------------------------------------------------------

  /** The live survey campaign of the workspace, or 404 (as for an id that never existed). */
  private Campaign live(String workspaceId, String campaignId) {
    return live(workspaceId, campaignId, false);
  }

  /**
   * The live survey campaign, or 404; with {@code share}, its row is held {@code FOR SHARE} until
   * the commit, so a concurrent change of its settings waits for this transaction, or committed
   * before and is what this reads.
   */
  private Campaign live(String workspaceId, String campaignId, boolean share) {
    return jdbc
        .query(
            "select id, name, settings::text, audience::text from campaigns"
                + " where workspace_id = ? and id = ? and "
                + LIVE
                + (share ? " for share" : ""),
            (rs, i) ->
                new Campaign(
                    rs.getString(1),
                    rs.getString(2),
                    json.readTree(rs.getString(3)),
                    rs.getString(4) == null ? null : json.readTree(rs.getString(4))),
            workspaceId,
            campaignId)
        .stream()
        .findFirst()
        .orElseThrow(() -> ApiException.notFound("campaign", campaignId, "id"));
  }

  private Visitor visitor(String workspaceId, String anonymousId, String userId) {
    List<String> ids = new ArrayList<>(2);
    if (userId != null) {
      ids.add(userId);
    }
    if (anonymousId != null) {
      ids.add(anonymousId);
    }
    ContactLinker.Resolution found =
        contacts.resolve(workspaceId, List.of(ContactLinker.idsOf(userId, anonymousId)), ids);
    return new Visitor(
        anonymousId,
        userId,
        found.contacts().get(ContactLinker.key(userId, anonymousId)),
        !found.suppressed().isEmpty());
  }

  /**
   * The ids a visitor is known by, {@code [anonymous ids, user ids]}: those it was sent with and,
   * when they resolve to a contact, each of that contact's ids of the same kind (its user id and
   * aliased ids; its anonymous ids).
   */
  private String[][] visitorIds(String workspaceId, Visitor v) {
    Set<String> anonymous = new LinkedHashSet<>();
    Set<String> users = new LinkedHashSet<>();
    if (v.anonymousId() != null) {
      anonymous.add(v.anonymousId());
    }
    if (v.userId() != null) {
      users.add(v.userId());
    }
    if (v.contactId() != null) {
      jdbc.query(
          "select kind, value from contact_identities where workspace_id = ? and contact_id = ?"
              + " union all select 'user_id', user_id from contacts where workspace_id = ? and id"
              + " = ? and user_id is not null",
          rs -> {
            (rs.getString(1).equals("anonymous_id") ? anonymous : users).add(rs.getString(2));
          },
          workspaceId,
          v.contactId(),
          workspaceId,
          v.contactId());
    }
    return new String[][] {anonymous.toArray(String[]::new), users.toArray(String[]::new)};
  }

  /**
   * Inside a write's transaction: the visitor, with its contact (if any) held {@code FOR KEY SHARE}
   * until the commit, as the Ingest API holds the contacts it attaches events to; null when nothing
   * may be stored for it. A contact deletion therefore either waits for this write and then deletes
   * what it stored (the rows reference the contact), or committed first: then one of the visitor's
   * ids is suppressed, or its contact is gone here (the deletion suppressed its ids with it).
   */
  private Visitor storable(String workspaceId, String anonymousId, String userId) {
    Visitor v = visitor(workspaceId, anonymousId, userId);
    if (v.suppressed()) {
      return null;
    }
    if (v.contactId() != null && contacts.lockLive(workspaceId, List.of(v.contactId())).isEmpty()) {
      return null;
    }
    return v;
  }

  private static ObjectNode object(JsonNode body, Set<String> known, List<ErrorDetail> problems) {
    if (body == null || !body.isObject()) {
      problems.add(ErrorDetail.of("body", "invalid_type", "The body is a JSON object."));
      return null;
    }
    for (String name : body.propertyNames()) {
      if (!known.contains(name)) {
        problems.add(ErrorDetail.of(name, "unknown_field", "Unknown field '" + name + "'."));
      }
    }
    return (ObjectNode) body;
  }

  private static String text(JsonNode in, String name, List<ErrorDetail> problems) {
    JsonNode v = in == null ? null : in.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      problems.add(ErrorDetail.of(name, "invalid_type", "'" + name + "' is a string."));
      return null;
    }
    return v.asString();
  }

  private static String text(JsonNode in, String name) {
    JsonNode v = in.get(name);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static String id(String value, String field, List<ErrorDetail> problems) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (!TextLength.atMost(value, MAX_ID) || value.isBlank()) {
      problems.add(
          ErrorDetail.of(
              field, "invalid_value", "'" + field + "' is 1 to " + MAX_ID + " characters."));
      return null;
    }
    return value;
  }

  private static String url(JsonNode in, List<ErrorDetail> problems) {
    String url = text(in, "url", problems);
    if (url != null && !TextLength.atMost(url, MAX_URL)) {
      problems.add(ErrorDetail.of("url", "too_long", "'url' has at most 2000 characters."));
      return null;
    }
    return url;
  }

  private static void requireVisitor(String anonymousId, String userId, List<ErrorDetail> p) {
    if (anonymousId == null && userId == null && p.isEmpty()) {
      p.add(
          ErrorDetail.of(
              "anonymous_id", "required", "Send the visitor's anonymous_id or user_id."));
    }
  }

  /**
   * {@code question_ids}: the ids of the questions of the survey as the widget showed it to the
   * visitor (it may have changed since); null when the widget sends none (every question counts).
   */
  private static Set<String> questionIds(JsonNode in, List<ErrorDetail> problems) {
    JsonNode v = in == null ? null : in.get("question_ids");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray() || v.size() > Survey.MAX_QUESTIONS) {
      problems.add(
          ErrorDetail.of(
              "question_ids",
              "invalid_type",
              "'question_ids' is a list of at most "
                  + Survey.MAX_QUESTIONS
                  + " question ids: those the visitor was shown."));
      return null;
    }
    Set<String> ids = new HashSet<>();
    for (JsonNode id : v) {
      if (!id.isString()) {
        problems.add(ErrorDetail.of("question_ids", "invalid_type", "'question_ids' lists texts."));
        return null;
      }
      ids.add(id.asString());
    }
    return ids;
  }

  /**
   * {@code revision}: the survey's revision as the widget showed it ({@link #revisionOf}); null
   * when the widget sends none (the answers are checked against the survey as it is now).
   */
  private static String revision(JsonNode in, List<ErrorDetail> problems) {
    String revision = text(in, "revision", problems);
    if (revision != null && (revision.isEmpty() || revision.length() > MAX_REVISION)) {
      problems.add(
          ErrorDetail.of(
              "revision",
              "invalid_value",
              "'revision' is the survey's revision as GET /v1/widgets/surveys returned it."));
      return null;
    }
    return revision;
  }

  /**
   * The revision of a survey's questions: a digest of them as stored (jsonb's text form, one per
   * value), so it changes whenever a question, a choice or a limit does, and only then. The widget
   * sends it back with the answers ({@code revision}): the survey it showed.
   */
  static String revisionOf(JsonNode settings) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(settings.path("questions").toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the widget showed the survey as another revision than {@code settings}' questions. */
  private static boolean isStale(String revision, JsonNode settings) {
    return revision != null && !revision.equals(revisionOf(settings));
  }

  /**
   * The answers of a post that are stored ({@code kept}) and the ids of those dropped, in the
   * post's order, because the survey changed since the widget showed it.
   */
  record Admitted(JsonNode kept, List<String> dropped) {}

  /**
   * {@code answers} less those the survey's edits since the visitor was shown it took away: an
   * answer to a question they were shown ({@code shown}) that the survey no longer has (removed
   * meanwhile), and, when the widget showed another revision ({@code stale}), an answer to a
   * question they could have been shown (in {@code shown}, or any when it is null) that the
   * question as it is now refuses (a choice removed or renamed, a lower {@code max_length}, another
   * type). Nothing dropped is stored, and the rest of the response is. An answer to a question
   * neither shown nor in the survey stays, and is refused; so does any invalid answer of a post of
   * the current revision, or of none.
   */
  private Admitted admit(JsonNode answers, Survey survey, Set<String> shown, boolean stale) {
    List<String> dropped = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : answers.properties()) {
      String id = e.getKey();
      boolean wasShown = shown == null || shown.contains(id);
      boolean drop;
      if (survey.question(id) == null) {
        drop = shown != null && shown.contains(id);
      } else {
        ObjectNode one = json.createObjectNode();
        one.set(id, e.getValue());
        drop = stale && wasShown && !survey.checkAnswers(one, "answers").isEmpty();
      }
      if (drop) {
        dropped.add(id);
      }
    }
    if (dropped.isEmpty()) {
      return new Admitted(answers, List.of());
    }
    ObjectNode kept = ((ObjectNode) answers).deepCopy();
    dropped.forEach(kept::remove);
    return new Admitted(kept, List.copyOf(dropped));
  }

  /**
   * The questions a completion asks of this response (null: every question on its path): those the
   * visitor was shown, less those whose answer an edit since took away ({@link #admit}), as a
   * question added meanwhile is not asked of them either.
   */
  private static Set<String> asked(Survey survey, Set<String> shown, List<String> dropped) {
    if (dropped.isEmpty()) {
      return shown;
    }
    Set<String> asked = new HashSet<>();
    if (shown == null) {
      survey.questions().forEach(q -> asked.add(q.id()));
    } else {
      asked.addAll(shown);
    }
    dropped.forEach(asked::remove);
    return asked;
  }

  /** An id the widget mints (response_id, interaction_id): 1-128 of a URL-safe alphabet. */
  private static void checkClientId(String value, String field, List<ErrorDetail> problems) {
    if (!CLIENT_ID.matcher(value).matches()) {
      problems.add(
          ErrorDetail.of(
              field,
              "invalid_format",
              "'" + field + "' is 1 to 128 letters, digits, '_', '-', '.' or ':'."));
    }
  }

  /**
   * A client id (response_id, interaction_id) seen again must come from the visitor that used it
   * first ({@code stored}: its anonymous id and user id): the post must send at least one of the
   * ids stored with it, and no other value for either; anything else is 409. Checking only that no
   * sent id contradicts a stored one let a post that left out the stored id pass: a response saved
   * with only a {@code user_id} was read (its answers are in the answer) and changed by a post with
   * any {@code anonymous_id}, and one saved with only an {@code anonymous_id} was re-attributed to
   * any {@code user_id}.
   */
  private static void checkSameVisitor(String[] stored, Visitor v, String idField) {
    boolean otherAnonymous = differs(stored[0], v.anonymousId());
    boolean otherUser = differs(stored[1], v.userId());
    boolean shared =
        (stored[0] != null && stored[0].equals(v.anonymousId()))
            || (stored[1] != null && stored[1].equals(v.userId()));
    if (otherAnonymous || otherUser || !shared) {
      String message = "This " + idField + " belongs to another visitor.";
      String reason = idField.equals("response_id") ? "response_conflict" : "interaction_conflict";
      String field =
          otherAnonymous
              ? "anonymous_id"
              : otherUser ? "user_id" : v.anonymousId() != null ? "anonymous_id" : "user_id";
      throw new ApiException(
          ErrorCode.DUPLICATE_RESOURCE, message, List.of(ErrorDetail.of(field, reason, message)));
    }
  }

  private static boolean differs(String stored, String sent) {
    return stored != null && sent != null && !stored.equals(sent);
  }

  private static String ts(Instant t) {
    return t == null ? null : TS.format(t);
  }
}
