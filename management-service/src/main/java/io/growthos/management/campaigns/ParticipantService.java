package io.growthos.management.campaigns;

import io.growthos.core.campaigns.CampaignInfo;
import io.growthos.core.campaigns.CampaignStats;
import io.growthos.core.campaigns.JoinResult;
import io.growthos.core.campaigns.Participant;
import io.growthos.core.campaigns.Participants;
import io.growthos.core.campaigns.ShareUrls;
import io.growthos.management.paging.Cursors;
import io.growthos.management.paging.Page;
import io.growthos.management.paging.PageRequest;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.values.SqlInstants;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Participants, referrals and stats of a campaign. The rules (joining, positions, admission,
 * verification, fraud checks, webhook events) are {@link Participants}, shared with the Ingest
 * API's widgets; this service adds the campaign lookup, the transactions and the lists.
 */
@Service
class ParticipantService {

  static final String PARTICIPANTS = "campaign_participants";
  static final String REFERRALS = "referrals";

  private final CampaignService campaigns;
  private final Participants participants;
  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final Cursors cursors;
  private final Validator validator;

  ParticipantService(
      CampaignService campaigns,
      JdbcTemplate jdbc,
      JsonMapper json,
      Cursors cursors,
      Validator validator) {
    this.validator = validator;
    this.campaigns = campaigns;
    this.participants = new Participants(jdbc);
    this.jdbc = jdbc;
    this.json = json;
    this.cursors = cursors;
  }

  @Transactional
  public ParticipantResponse add(String ws, String campaignId, AddParticipantRequest request) {
    CampaignInfo campaign = info(ws, campaignId, CampaignSubResource.PARTICIPANTS);
    check(request);
    JoinResult joined =
        participants.join(
            campaign, request.email(), request.referralCode(), request.vanityCode(), null, "api");
    return view(
        campaign, joined.participant(), joined.participantToken(), joined.verificationToken());
  }

  @Transactional(readOnly = true)
  public Page<ParticipantResponse> list(String ws, String campaignId, int limit, String cursor) {
    CampaignInfo campaign = info(ws, campaignId, CampaignSubResource.PARTICIPANTS);
    PageRequest.checkLimit(limit);
    String tenant = ws + "/" + campaignId;
    String before =
        cursor == null || cursor.isEmpty()
            ? null
            : cursors.decode(cursor, PARTICIPANTS, tenant, "");
    List<Participant> rows = participants.page(ws, campaignId, before, limit + 1);
    return Page.of(
        rows,
        limit,
        Participant::id,
        last -> cursors.encode(PARTICIPANTS, tenant, "", last),
        kept -> kept.stream().map(p -> view(campaign, p, null, null)).toList());
  }

  @Transactional(readOnly = true)
  public ParticipantResponse get(String ws, String campaignId, String participantId) {
    CampaignInfo campaign = info(ws, campaignId, CampaignSubResource.PARTICIPANTS);
    return view(campaign, find(ws, campaignId, participantId), null, null);
  }

  @Transactional
  public ParticipantResponse admit(String ws, String campaignId, String participantId) {
    CampaignInfo campaign = info(ws, campaignId, CampaignSubResource.ADMISSIONS);
    find(ws, campaignId, participantId);
    Participant admitted = participants.admit(campaign, participantId);
    return view(campaign, admitted, null, null);
  }

  @Transactional
  public AdmittedResponse admitTop(String ws, String campaignId, AdmitRequest request) {
    CampaignInfo campaign = info(ws, campaignId, CampaignSubResource.ADMISSIONS);
    check(request);
    List<Participant> admitted = participants.admitTop(campaign, request.count());
    return new AdmittedResponse(admitted.stream().map(p -> view(campaign, p, null, null)).toList());
  }

  @Transactional
  public ParticipantResponse verify(
      String ws, String campaignId, String participantId, VerifyRequest request) {
    CampaignInfo campaign = info(ws, campaignId, CampaignSubResource.PARTICIPANTS);
    find(ws, campaignId, participantId);
    check(request);
    participants.verify(campaign, participantId, request.token());
    return view(campaign, find(ws, campaignId, participantId), null, null);
  }

  @Transactional(readOnly = true)
  public Page<ReferralResponse> referrals(String ws, String campaignId, int limit, String cursor) {
    info(ws, campaignId, CampaignSubResource.REFERRALS);
    PageRequest.checkLimit(limit);
    String tenant = ws + "/" + campaignId;
    String before =
        cursor == null || cursor.isEmpty() ? null : cursors.decode(cursor, REFERRALS, tenant, "");
    List<Object> args = new java.util.ArrayList<>(List.of(ws, campaignId));
    if (before != null) {
      args.add(before);
    }
    args.add(limit + 1);
    List<ReferralResponse> rows =
        jdbc.query(
            "select id, campaign_id, referrer_id, referee_contact_id, referee_participant_id,"
                + " state, reason, source, created_at, qualified_at from referrals where"
                + " workspace_id = ? and campaign_id = ?"
                + (before == null ? "" : " and id < ?")
                + " order by id desc limit ?",
            (rs, i) ->
                new ReferralResponse(
                    rs.getString("id"),
                    "referral",
                    rs.getString("campaign_id"),
                    rs.getString("referrer_id"),
                    rs.getString("referee_contact_id"),
                    rs.getString("referee_participant_id"),
                    rs.getString("state"),
                    rs.getString("reason"),
                    rs.getString("source"),
                    SqlInstants.get(rs, "created_at"),
                    SqlInstants.get(rs, "qualified_at")),
            args.toArray());
    return Page.of(
        rows,
        limit,
        ReferralResponse::id,
        last -> cursors.encode(REFERRALS, tenant, "", last),
        kept -> kept);
  }

  @Transactional(readOnly = true)
  public CampaignStatsResponse stats(String ws, String campaignId) {
    info(ws, campaignId, CampaignSubResource.STATS);
    CampaignStats stats = CampaignStats.of(jdbc, ws, campaignId);
    return new CampaignStatsResponse(
        campaignId,
        stats.participants(),
        stats.waiting(),
        stats.admitted(),
        stats.verified(),
        stats.referred(),
        stats.referrals(),
        stats.conversionRate());
  }

  /** Bean Validation of a body, as {@code @Valid} would do it, but after the lookups. */
  private void check(Object body) {
    if (body == null) {
      throw ApiException.invalid("body", "required", "A JSON body is required.");
    }
    List<ErrorDetail> details = new java.util.ArrayList<>();
    for (ConstraintViolation<Object> v : validator.validate(body)) {
      String field =
          v.getPropertyPath()
              .toString()
              .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
              .toLowerCase(java.util.Locale.ROOT);
      String constraint =
          v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
      String reason =
          switch (constraint) {
            case "NotNull", "NotBlank", "NotEmpty" -> "required";
            case "Size", "Min", "Max" -> "out_of_range";
            case "Email" -> "invalid_email";
            default -> "invalid";
          };
      details.add(ErrorDetail.of(field, reason, "Field '" + field + "' " + v.getMessage() + "."));
    }
    if (!details.isEmpty()) {
      details.sort(java.util.Comparator.comparing(ErrorDetail::field));
      throw ApiException.invalid(details);
    }
  }

  private Participant find(String ws, String campaignId, String participantId) {
    return participants
        .find(ws, campaignId, participantId)
        .orElseThrow(() -> ApiException.notFound("participant", participantId, "pid"));
  }

  /**
   * The campaign of the workspace (404 otherwise) whose type has {@code part} (422 otherwise, see
   * {@link CampaignSubResource}).
   */
  CampaignInfo info(String ws, String campaignId, CampaignSubResource part) {
    Campaign c = campaigns.find(ws, campaignId);
    part.check(c.getType());
    return CampaignInfo.of(
        ws,
        c.getId(),
        c.getType(),
        c.getStatus(),
        c.getStartsAt(),
        c.getEndsAt(),
        json.readTree(c.getSettings()));
  }

  private static ParticipantResponse view(
      CampaignInfo campaign, Participant p, String token, String verification) {
    boolean waitlist = campaign.type() == io.growthos.core.campaigns.CampaignType.WAITLIST;
    return new ParticipantResponse(
        p.id(),
        "participant",
        p.campaignId(),
        p.contactId(),
        p.email(),
        p.referralCode(),
        ShareUrls.of(campaign.landingUrl(), p.referralCode()),
        p.referredBy(),
        p.qualifiedReferrals(),
        waitlist ? p.position() : null,
        waitlist ? p.ahead() : null,
        waitlist ? p.waiting() : null,
        p.verifiedAt(),
        p.admittedAt(),
        p.createdAt(),
        token,
        verification);
  }
}
