package io.growthos.management.campaigns;

import io.growthos.core.campaigns.CampaignSettings;
import io.growthos.core.campaigns.CampaignStatus;
import io.growthos.core.campaigns.CampaignType;
import io.growthos.core.filter.Filter;
import io.growthos.core.filter.FilterParser;
import io.growthos.management.paging.KeysetQuery;
import io.growthos.management.paging.Page;
import io.growthos.management.paging.Paginator;
import io.growthos.management.segments.SegmentService;
import io.growthos.management.web.Preconditions;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.ids.WorkspaceScopedId;
import io.growthos.model.values.TimestampRange;
import jakarta.persistence.EntityManager;
import jakarta.persistence.OptimisticLockException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Campaigns of the caller's workspace: create, list, read, update (status moves through the state
 * machine of {@link CampaignStatus}), delete.
 */
@Service
class CampaignService {

  static final String LIST = "campaigns";
  private static final Pattern SEGMENT_ID = Pattern.compile("seg_[0-9A-Za-z]{23}");

  private final Campaigns campaigns;
  private final EntityManager em;
  private final Paginator paginator;
  private final JsonMapper json;
  private final JdbcTemplate jdbc;
  private final CampaignEvents events;
  private final SegmentService segments;

  CampaignService(
      Campaigns campaigns,
      EntityManager em,
      Paginator paginator,
      JsonMapper json,
      JdbcTemplate jdbc,
      CampaignEvents events,
      SegmentService segments) {
    this.segments = segments;
    this.campaigns = campaigns;
    this.em = em;
    this.paginator = paginator;
    this.json = json;
    this.jdbc = jdbc;
    this.events = events;
  }

  @Transactional
  public CampaignResponse create(String workspaceId, CreateCampaignRequest request) {
    CampaignType type = type(request.type(), "type");
    ObjectNode settings = CampaignSettings.validate(type, tree(request.settings()));
    SocialProofSources.check(jdbc, workspaceId, type, settings);
    checkDates(request.startsAt(), request.endsAt());
    Campaign campaign =
        new Campaign(
            workspaceId,
            type,
            request.name(),
            request.startsAt(),
            request.endsAt(),
            audienceJson(workspaceId, type, request.audience()),
            json.writeValueAsString(settings));
    if (request.status() != null) {
      CampaignStatus target = status(request.status(), "status");
      checkSurveyRunnable(type, target, settings);
      campaign.moveTo(target);
    }
    em.persist(campaign);
    // The campaign row first: the counter references it.
    em.flush();
    jdbc.update(
        "insert into campaign_counters (workspace_id, campaign_id) values (?, ?)",
        workspaceId,
        campaign.getId());
    CampaignResponse created = view(campaign);
    events.statusChanged(workspaceId, created, CampaignStatus.DRAFT, campaign.getStatus());
    return created;
  }

  @Transactional(readOnly = true)
  public Page<CampaignResponse> list(
      String workspaceId, String type, String status, int limit, String cursor) {
    if (type != null) {
      type(type, "type");
    }
    if (status != null) {
      status(status, "status");
    }
    KeysetQuery<Campaign> query =
        KeysetQuery.of(em, Campaign.class, workspaceId)
            .filter("type", type, "e.type = :type")
            .filter("status", status, "e.status = :status");
    return paginator.page(
        LIST,
        workspaceId,
        query,
        limit,
        cursor,
        Campaign::getId,
        rows -> rows.stream().map(this::view).toList());
  }

  @Transactional(readOnly = true)
  public CampaignResponse get(String workspaceId, String id) {
    return view(find(workspaceId, id));
  }

  @Transactional
  public CampaignResponse update(
      String workspaceId, String id, UpdateCampaignRequest request, Integer ifMatch) {
    Campaign campaign =
        Preconditions.lockedForChange(
            em, Campaign.class, new WorkspaceScopedId(workspaceId, id), "campaign", id, "id");
    Preconditions.check(campaign.getVersion(), ifMatch, request.getVersion());
    if (request.getName() != null && !request.getName().equals(campaign.getName())) {
      campaign.rename(request.getName());
    }
    if (request.isStartsAtPresent() || request.isEndsAtPresent()) {
      Instant starts = request.isStartsAtPresent() ? request.getStartsAt() : campaign.getStartsAt();
      Instant ends = request.isEndsAtPresent() ? request.getEndsAt() : campaign.getEndsAt();
      checkDates(starts, ends);
      if (!Objects.equals(starts, campaign.getStartsAt())
          || !Objects.equals(ends, campaign.getEndsAt())) {
        campaign.schedule(starts, ends);
      }
    }
    if (request.isAudiencePresent() && !sameJson(request.getAudience(), campaign.getAudience())) {
      // An audience sent back as GET returned it changes nothing and is not checked again: one
      // saved with a date in the form filters took until 2026-12-08 stays as it is.
      String audience = audienceJson(workspaceId, campaign.getType(), request.getAudience());
      if (!Objects.equals(audience, campaign.getAudience())) {
        campaign.target(audience);
      }
    }
    if (request.getSettings() != null) {
      ObjectNode settings =
          CampaignSettings.validate(campaign.getType(), tree(request.getSettings()));
      SocialProofSources.check(jdbc, workspaceId, campaign.getType(), settings);
      String text = json.writeValueAsString(settings);
      if (!text.equals(campaign.getSettings())) {
        checkSettingsChange(campaign, settings);
        campaign.configure(text);
      }
    }
    CampaignStatus from = campaign.getStatus();
    if (request.getStatus() != null || request.getSettings() != null) {
      // An active survey stays runnable: its questions cannot be emptied while it runs either.
      CampaignStatus target =
          request.getStatus() == null ? from : status(request.getStatus(), "status");
      checkSurveyRunnable(campaign.getType(), target, json.readTree(campaign.getSettings()));
      if (request.getStatus() != null) {
        campaign.moveTo(target);
      }
    }
    try {
      em.flush();
    } catch (OptimisticLockException | ObjectOptimisticLockingFailureException e) {
      throw Preconditions.versionConflict(campaign.getVersion(), request.getVersion());
    }
    CampaignResponse updated = view(campaign);
    events.statusChanged(workspaceId, updated, from, campaign.getStatus());
    return updated;
  }

  /**
   * Deletes the campaign with its participants, referrals and rewards; refused (422) while a
   * social-proof campaign uses it as its source.
   */
  @Transactional
  public void delete(String workspaceId, String id) {
    // The counter first, in the order of joins, referrals and admissions (growth-core
    // Participants): they hold it before they reference the campaign's row. Locking the row first
    // (checkUnused, then the cascade to the counter) deadlocked with a join holding the counter and
    // waiting for the row: 409 concurrent_update for the join or for this deletion. Now a join in
    // flight finishes first, and one that comes later finds the campaign gone (404).
    jdbc.queryForList(
        "select last_join_seq from campaign_counters where workspace_id = ? and campaign_id = ?"
            + " for update",
        Long.class,
        workspaceId,
        id);
    SocialProofSources.checkUnused(jdbc, workspaceId, id);
    Campaign campaign = find(workspaceId, id);
    em.remove(campaign);
    try {
      em.flush();
    } catch (OptimisticLockException | ObjectOptimisticLockingFailureException e) {
      throw Preconditions.versionConflict(campaign.getVersion(), null);
    }
  }

  Campaign find(String workspaceId, String id) {
    return campaigns
        .findByWorkspaceIdAndId(workspaceId, id)
        .orElseThrow(() -> ApiException.notFound("campaign", id, "id"));
  }

  CampaignResponse view(Campaign c) {
    @SuppressWarnings("unchecked")
    Map<String, Object> settings = json.readValue(c.getSettings(), Map.class);
    Object audience =
        c.getAudience() == null ? null : json.readValue(c.getAudience(), Object.class);
    return new CampaignResponse(
        c.getId(),
        "campaign",
        c.getType().wireName(),
        c.getName(),
        c.getStatus().wireName(),
        c.getStartsAt(),
        c.getEndsAt(),
        audience,
        settings,
        c.getVersion(),
        c.getCreatedAt(),
        c.getUpdatedAt());
  }

  /**
   * A waitlist's stored scores are {@code join_seq − spots × referrals}: changing the spots once
   * people have joined would reorder them silently, so it is refused.
   */
  private void checkSettingsChange(Campaign campaign, ObjectNode settings) {
    if (campaign.getType() == CampaignType.SURVEY) {
      checkAnsweredQuestions(campaign, settings);
      return;
    }
    if (campaign.getType() != CampaignType.WAITLIST) {
      return;
    }
    JsonNode old = json.readTree(campaign.getSettings());
    if (old.path("spots_per_referral").asLong() != settings.path("spots_per_referral").asLong()) {
      Long joined =
          jdbc.queryForObject(
              "select last_join_seq from campaign_counters where workspace_id = ? and campaign_id = ?",
              Long.class,
              campaign.getWorkspaceId(),
              campaign.getId());
      if (joined != null && joined > 0) {
        String message = "'spots_per_referral' cannot change once people have joined the waitlist.";
        throw new ApiException(
            ErrorCode.UNPROCESSABLE,
            message,
            List.of(ErrorDetail.of("settings.spots_per_referral", "immutable", message)));
      }
    }
  }

  /**
   * A question that already has answers keeps its shape: its {@code type} and {@code scale} cannot
   * change, none of its {@code choices} can be removed or renamed (adding and reordering are fine),
   * and {@code allow_other} cannot be turned off. Otherwise the stored answers would stop meaning
   * what they meant, and results would skip them; 422 naming each field, as for a waitlist's {@code
   * spots_per_referral}. Other edits (texts, logic, {@code required}, new or removed questions) are
   * fine, except giving a removed question's id, while answers to it are stored, to a new one.
   */
  private void checkAnsweredQuestions(Campaign campaign, ObjectNode settings) {
    Map<String, JsonNode> before = new HashMap<>();
    json.readTree(campaign.getSettings())
        .path("questions")
        .forEach(q -> before.put(q.path("id").asString(), q));
    List<ErrorDetail> problems = new ArrayList<>();
    JsonNode questions = settings.path("questions");
    for (int i = 0; i < questions.size(); i++) {
      JsonNode now = questions.get(i);
      String id = now.path("id").asString();
      JsonNode old = before.get(id);
      String path = "settings.questions[" + i + "].";
      if (old == null) {
        // A removed question's answers stay in the responses: its id coming back with another
        // shape would make them mean something else, and the shape they were given for is gone.
        if (hasAnswers(campaign, id)) {
          problems.add(
              immutable(
                  path + "id", id, "it was removed, and its id cannot be given to a new question"));
        }
        continue;
      }
      List<ErrorDetail> changes = new ArrayList<>();
      if (!old.path("type").equals(now.path("type"))) {
        changes.add(immutable(path + "type", id, "its type cannot change"));
      } else {
        if (!old.path("scale").equals(now.path("scale"))) {
          changes.add(immutable(path + "scale", id, "its scale cannot change"));
        }
        List<String> kept = new ArrayList<>();
        now.path("choices").forEach(c -> kept.add(c.asString()));
        for (JsonNode c : old.path("choices")) {
          if (!kept.contains(c.asString())) {
            changes.add(
                immutable(
                    path + "choices",
                    id,
                    "its choices can be added to and reordered but not removed or renamed ('"
                        + c.asString()
                        + "' is missing)"));
            break;
          }
        }
        if (old.path("allow_other").asBoolean(false) && !now.path("allow_other").asBoolean(false)) {
          changes.add(immutable(path + "allow_other", id, "'allow_other' cannot be turned off"));
        }
      }
      if (!changes.isEmpty() && hasAnswers(campaign, id)) {
        problems.addAll(changes);
      }
    }
    if (!problems.isEmpty()) {
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          problems.size() == 1
              ? problems.get(0).message()
              : "Questions that already have answers cannot change shape.",
          problems);
    }
  }

  private static ErrorDetail immutable(String field, String questionId, String what) {
    return ErrorDetail.of(
        field,
        "immutable",
        "Question '"
            + questionId
            + "' already has answers: "
            + what
            + ". Add a new question with another id instead.");
  }

  /** Whether any response of the survey holds an answer to the question. */
  private boolean hasAnswers(Campaign campaign, String questionId) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "select exists (select 1 from survey_responses where workspace_id = ?"
                + " and campaign_id = ? and coalesce(answers -> ?::text, 'null'::jsonb)"
                + " not in ('null'::jsonb, '\"\"'::jsonb, '[]'::jsonb))",
            Boolean.class,
            campaign.getWorkspaceId(),
            campaign.getId(),
            questionId));
  }

  /**
   * A survey without questions would show an empty widget: it cannot be activated, nor emptied
   * while active.
   */
  private static void checkSurveyRunnable(
      CampaignType type, CampaignStatus target, JsonNode settings) {
    if (type == CampaignType.SURVEY
        && target == CampaignStatus.ACTIVE
        && settings.path("questions").isEmpty()) {
      String message = "An active survey needs at least one question.";
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          message,
          List.of(ErrorDetail.of("settings.questions", "required", message)));
    }
  }

  private static void checkDates(Instant starts, Instant ends) {
    TimestampRange.check(starts, "starts_at");
    TimestampRange.check(ends, "ends_at");
    if (starts != null && ends != null && !ends.isAfter(starts)) {
      throw ApiException.invalid("ends_at", "before_start", "'ends_at' must be after 'starts_at'.");
    }
  }

  /** Whether {@code sent} (a request's value) is the JSON {@code stored} holds (null: none). */
  private boolean sameJson(Object sent, String stored) {
    if (stored == null || sent == null) {
      return stored == null && sent == null;
    }
    return json.valueToTree(sent).equals(json.readTree(stored));
  }

  private JsonNode tree(Map<String, Object> map) {
    return map == null ? null : json.valueToTree(map);
  }

  /**
   * The audience as stored: a segment id or a filter of the grammar of SPEC §7. The segments it
   * names must exist in the workspace (422 {@code unknown_segment} on {@code audience}), as in a
   * segment's own filter: a survey shown to a segment that does not exist is shown to nobody. It
   * decides who is shown a survey and who may join a referral program or a waitlist ({@link
   * io.growthos.core.campaigns.Audiences}); a social proof campaign takes none.
   */
  private String audienceJson(String workspaceId, CampaignType type, Object audience) {
    if (audience == null) {
      return null;
    }
    if (type == CampaignType.SOCIAL_PROOF) {
      // Social proof shows a feed to anonymous visitors: nobody for an audience to select. Refused
      // rather than stored and ignored, as it was until 2026-12-07.
      throw ApiException.invalid(
          "audience",
          "not_supported",
          "A social_proof campaign takes no audience: it decides who may join a referral program"
              + " or a waitlist and who is shown a survey.");
    }
    if (audience instanceof String s) {
      if (!SEGMENT_ID.matcher(s).matches()) {
        throw ApiException.invalid(
            "audience", "invalid_format", "'audience' is a segment id (seg_…) or a filter object.");
      }
      segments.checkReferences(workspaceId, new Filter.SegmentRef(s), "audience");
      return json.writeValueAsString(s);
    }
    if (audience instanceof Map<?, ?> m) {
      JsonNode filter = json.valueToTree(m);
      // The filter grammar of SPEC §7, validated by its one owner.
      segments.checkReferences(workspaceId, FilterParser.parse(filter, "audience"), "audience");
      return json.writeValueAsString(filter);
    }
    throw ApiException.invalid(
        "audience", "invalid_type", "'audience' is a segment id (seg_…) or a filter object.");
  }

  static CampaignType type(String value, String field) {
    return CampaignType.ofWireName(value)
        .orElseThrow(
            () ->
                ApiException.invalid(
                    field,
                    "invalid_value",
                    "'" + field + "' is one of referral, waitlist, survey, social_proof."));
  }

  static CampaignStatus status(String value, String field) {
    return CampaignStatus.ofWireName(value)
        .orElseThrow(
            () ->
                ApiException.invalid(
                    field,
                    "invalid_value",
                    "'" + field + "' is one of draft, active, paused, ended."));
  }
}
