package io.growthos.core.campaigns;

import io.growthos.core.contacts.ContactIdentities;
import io.growthos.core.contacts.ContactSuppressions;
import io.growthos.core.outbox.EventType;
import io.growthos.core.outbox.Outbox;
import io.growthos.model.contacts.ContactEmail;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.values.SqlInstants;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Participants of referral programs and waitlists, written and read with plain SQL so that both
 * services share one implementation: the Management API adds and admits them, the Ingest API's
 * widget routes let people join and read their own standing. Callers run these methods inside their
 * own transaction.
 *
 * <p><b>Concurrency.</b> Every change that moves positions (join, qualified referral, admission,
 * verification) first locks the campaign's {@code campaign_counters} row. So {@code join_seq} is
 * gap-free (a rolled-back join also rolls back its increment), the rank tree changes one
 * transaction at a time per campaign (no lost or interleaved updates, no deadlocks), and joins of
 * one campaign are serialised for the few milliseconds of their transaction. Reads take no lock:
 * the position query is one statement, so it sees one snapshot.
 *
 * <p><b>Webhooks.</b> Each change writes its webhook event (SPEC §9) through the {@link Outbox} in
 * the caller's transaction, here, so every caller (management routes, ingest widget routes, the
 * attribution worker) emits the same events: {@code waitlist.joined|verified|admitted}, {@code
 * referral.created|qualified|rejected}, and through {@link Rewards} {@code reward.*}.
 */
public final class Participants {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** Participant columns with the contact's e-mail; alias {@code p} and {@code c}. */
  private static final String COLUMNS =
      "p.id, p.campaign_id, p.contact_id, c.email, p.referral_code, p.referred_by, p.join_seq,"
          + " p.qualified_referrals, p.verified_at, p.admitted_at, p.created_at, p.score";

  private static final String FROM =
      " from campaign_participants p join contacts c"
          + " on c.workspace_id = p.workspace_id and c.id = p.contact_id";

  private final JdbcTemplate jdbc;
  private final Outbox outbox;
  private final ReferralFraud fraud;
  private final Rewards rewards;
  private final QualifyingEvents qualifying;
  private final ContactSuppressions suppressions;
  private final Audiences audiences;

  public Participants(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    this.outbox = new Outbox(jdbc);
    this.fraud = new ReferralFraud(jdbc);
    this.rewards = new Rewards(jdbc);
    this.qualifying = new QualifyingEvents(jdbc);
    this.suppressions = new ContactSuppressions(jdbc);
    this.audiences = new Audiences(jdbc);
  }

  // --- joining -------------------------------------------------------------------------------

  /**
   * Adds the person with {@code email} to the campaign. A {@code clientId} seen before for this
   * campaign replays the first join (same participant, a fresh participant token: the old one stops
   * working). The same e-mail joining again otherwise is 409 {@code duplicate_resource}. An unknown
   * or unusable {@code referralCode} is ignored: a stale link never blocks a join.
   */
  public JoinResult join(
      CampaignInfo read,
      String email,
      String referralCode,
      String vanityCode,
      String clientId,
      String source) {
    return join(read, email, referralCode, vanityCode, clientId, source, null, held -> {});
  }

  /**
   * {@link #join(CampaignInfo, String, String, String, String, String)}, where {@code admit} also
   * decides on the campaign as held (read after the counter lock, {@code FOR SHARE} until the
   * commit) and throws to refuse it: the widgets take joins only while the campaign is live. {@code
   * anonymousId}, the anonymous id of the browser the person joins from (or null), is kept with the
   * participant and is one the fraud checks compare ({@link ReferralFraud#SAME_ANONYMOUS_ID}): as
   * the referee's now, as the referrer's when someone later joins with this participant's code.
   */
  public JoinResult join(
      CampaignInfo read,
      String email,
      String referralCode,
      String vanityCode,
      String clientId,
      String source,
      String anonymousId,
      Consumer<CampaignInfo> admit) {
    if (!read.type().hasParticipants()) {
      throw unprocessable("type", "not_supported", "This campaign type has no participants.");
    }
    // A campaign past its ends_at is over whatever its status says, as for the widgets (which
    // answer 404 for it) and ingest attribution. Draft, paused and not yet started campaigns take
    // joins here: the secret-key API is the operator's own hand (an import before launch).
    if (read.isOverAt(Instant.now())) {
      throw unprocessable("status", "campaign_ended", "The campaign has ended.");
    }
    String ws = read.workspaceId();
    // The address as a contact's field holds it (trimmed, NFC): one spelling for the contact and
    // for the fraud key below, whatever the keyboard sent.
    email = ContactEmail.normalize(email);
    if (email == null || !ContactEmail.isAddress(email)) {
      // The contact's email field follows one format rule in both services (ContactEmail): a
      // join must not create a contact with an address identify or PATCH would not take.
      throw ApiException.invalid(
          "email", "invalid_email", "Field 'email' must be a well-formed email address.");
    }
    // The self-referral key; none for an address the key cannot fold (a local part that is all
    // +tag, as e-mail-to-SMS gateways' "+15551234567@…", or all Gmail dots): the contact's field
    // takes it, so the join does too (until 2026-12-06 it was 400 invalid_format), and only the
    // e-mail rule of the fraud checks has nothing to compare for it.
    String normalized = EmailNormalizer.normalize(email).orElse(null);
    // Lock first: a concurrent join of the same e-mail or client_id then sees this one's row
    // (replay or 409) instead of failing on a unique index.
    lockCounter(ws, read.id(), false);
    // Then the campaign as it is now, held until the commit: an end (status or ends_at) committed
    // while this join waited for the lock is seen here, not missed by the copy read before.
    CampaignInfo campaign = held(read);
    admit.accept(campaign);
    if (campaign.isOverAt(Instant.now())) {
      throw unprocessable("status", "campaign_ended", "The campaign has ended.");
    }
    if (clientId != null) {
      Optional<String> replay =
          jdbc
              .query(
                  "select id from campaign_participants where workspace_id = ? and campaign_id = ?"
                      + " and client_id = ?",
                  (rs, i) -> rs.getString(1),
                  ws,
                  campaign.id(),
                  clientId)
              .stream()
              .findFirst();
      if (replay.isPresent()) {
        String token = newToken("pt_");
        jdbc.update(
            "update campaign_participants set participant_token_hash = ? where workspace_id = ?"
                + " and campaign_id = ? and id = ?",
            hash(token),
            ws,
            campaign.id(),
            replay.get());
        return new JoinResult(
            find(ws, campaign.id(), replay.get()).orElseThrow(),
            false,
            token,
            null,
            null,
            null,
            null);
      }
    }
    String vanity = null;
    if (vanityCode != null) {
      ReferralCodes.vanityProblem(vanityCode)
          .ifPresent(
              problem -> {
                throw ApiException.invalid("vanity_code", "invalid", problem);
              });
      vanity = ReferralCodes.canonical(vanityCode).orElseThrow();
      // Codes are unique across the workspace's campaigns, whose joins do not share the counter
      // lock: this lock on the code (until the commit) makes a join asking for it at the same
      // moment in another campaign see this one's row, and answer 409 on vanity_code as it would
      // one after the other (until 2026-12-06 the later insert failed on the unique index: a 409
      // that named "body").
      jdbc.query(
          "select pg_advisory_xact_lock(hashtextextended(?, 0))",
          rs -> {},
          "vanity_code " + ws + " " + vanity);
      if (codeTaken(ws, vanity)) {
        throw duplicate("vanity_code", "This code is taken in the workspace.");
      }
    }
    JoinContact joinContact = contactFor(ws, email);
    String contactId = joinContact.id();
    if (exists(ws, campaign.id(), contactId)) {
      throw duplicate("email", "This e-mail has already joined the campaign.");
    }
    // The campaign's audience decides who may join (its row is held: an audience changed meanwhile
    // waits for this join). A person with no contact yet is evaluated as the contact this join has
    // just created (no traits, no events), which a refusal rolls back. Until 2026-12-07 only
    // surveys evaluated it.
    if (!audiences.contains(ws, campaign.id(), audiences.of(ws, campaign.id()), contactId)) {
      throw unprocessable(
          "email", "not_in_audience", "This e-mail address cannot join this campaign.");
    }

    long seq = lockCounter(ws, campaign.id(), true);
    String code = vanity != null ? vanity : freshCode(ws);
    String id = Ids.next(IdPrefix.PARTICIPANT);
    String token = newToken("pt_");
    String verification = campaign.requireVerification() ? newToken("vt_") : null;
    Optional<Participant> referrer =
        referralCode == null
            ? Optional.empty()
            : ReferralCodes.canonical(referralCode).flatMap(c -> byCode(ws, campaign.id(), c));
    // A contact is referred once per campaign, by the first attribution (refer): an ingested code
    // may have made its referral before it joined. That referral is the one this participant
    // shows (referred_by) and the one it is linked to, whatever code the join carries, or none.
    Optional<String> referredBefore =
        jdbc
            .query(
                "select referrer_id from referrals where workspace_id = ? and campaign_id = ? and"
                    + " referee_contact_id = ?",
                (rs, i) -> rs.getString(1),
                ws,
                campaign.id(),
                contactId)
            .stream()
            .findFirst();
    String referredBy = referredBefore.orElse(referrer.map(Participant::id).orElse(null));
    // An erased person's browser id (suppressed) is not kept with a new join from that browser:
    // the erasure forgot it, and it is linked to no one (linkVisitor). Until 2026-12-07 it was
    // stored as the new participant's join_anonymous_id.
    String joinAnonymousId =
        anonymousId == null || !suppressions.suppressedAmong(ws, List.of(anonymousId)).isEmpty()
            ? null
            : anonymousId;
    jdbc.update(
        "insert into campaign_participants (workspace_id, campaign_id, id, contact_id,"
            + " email_normalized, referral_code, referred_by, join_seq, score,"
            + " participant_token_hash, client_id, verification_token_hash, join_anonymous_id,"
            + " created_at)"
            // joined_at is the time the join took its place, under the counter lock (not the
            // transaction's start, now()): the join order and the times shown agree, as "equal
            // scores go to who joined first" says. Until 2026-12-07 a join that waited for the
            // lock showed an earlier time than those placed before it.
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, clock_timestamp())",
        ws,
        campaign.id(),
        id,
        contactId,
        normalized,
        code,
        referredBy,
        seq,
        WaitlistRanks.score(seq, 0, 0),
        hash(token),
        clientId,
        verification == null ? null : hash(verification),
        joinAnonymousId);
    if (campaign.type() == CampaignType.WAITLIST) {
      moveInTree(ws, campaign.id(), Map.of(WaitlistRanks.score(seq, 0, 0), 1L));
    }
    if (referredBefore.isPresent()) {
      linkReferee(ws, campaign.id(), contactId, id);
    }
    if (joinAnonymousId != null && joinContact.created()) {
      linkVisitor(ws, contactId, joinAnonymousId);
    }

    Participant joined = find(ws, campaign.id(), id).orElseThrow();
    if (campaign.type() == CampaignType.WAITLIST) {
      outbox.emit(
          ws,
          EventType.WAITLIST_JOINED,
          CampaignPayloads.participant(campaign, joined, verification));
    }
    String referralId = null;
    String state = null;
    String reason = null;
    if (referrer.isPresent()) {
      Optional<Referral> referral =
          refer(
              campaign,
              referrer.get(),
              new ReferralFraud.Referee(
                  contactId,
                  normalized,
                  anonymousId == null ? List.of() : List.of(anonymousId),
                  null,
                  null,
                  // A join through the Management API is the operator's own hand, not checked.
                  "api".equals(source) ? null : Instant.now()),
              id,
              source,
              null);
      if (referral.isPresent()) {
        referralId = referral.get().id();
        state = referral.get().state();
        reason = referral.get().reason();
      }
    }
    return new JoinResult(
        referralId == null ? joined : find(ws, campaign.id(), id).orElseThrow(),
        true,
        token,
        verification,
        referralId,
        state,
        reason);
  }

  /**
   * Makes {@code referee} a referee of {@code referrer}, once: a contact is referred at most once
   * per campaign (the first attribution wins), so a second call for the same contact creates
   * nothing and returns empty (it only links {@code refereeParticipantId} to the existing
   * referral). The referral is {@code rejected} when a {@link ReferralFraud} rule fails, {@code
   * qualified} at once when nothing else is awaited (waitlists without verification, referral
   * programs without a {@code qualifying_event}), else {@code pending}. Emits {@code
   * referral.created} and, as it applies, {@code referral.rejected} or {@code referral.qualified}
   * (with the rewards it fires).
   *
   * @param refereeParticipantId the referee's participant in this campaign, if it has one
   * @param source {@code api}, {@code widget} or {@code ingest}
   * @param eventId the ingested event that carried the code, if any
   */
  public Optional<Referral> refer(
      CampaignInfo campaign,
      Participant referrer,
      ReferralFraud.Referee referee,
      String refereeParticipantId,
      String source,
      String eventId) {
    String ws = campaign.workspaceId();
    // Serialises referrals of the campaign: the velocity count and the cycle check see every
    // referral committed before, and crediting may move waitlist positions.
    lockCounter(ws, campaign.id(), false);
    String reason = fraud.reason(campaign, referrer, referee);
    boolean qualifiesNow =
        reason == null
            && (campaign.type() == CampaignType.WAITLIST
                ? !campaign.requireVerification()
                : !campaign.qualifyingEvent());
    String state = reason != null ? "rejected" : qualifiesNow ? "qualified" : "pending";
    List<String> inserted =
        jdbc.query(
            "insert into referrals (workspace_id, id, campaign_id, referrer_id, referee_contact_id,"
                + " referee_participant_id, state, reason, source, qualified_at, event_id, ip,"
                + " user_agent) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (workspace_id, campaign_id, referee_contact_id) do nothing"
                + " returning id",
            (rs, i) -> rs.getString(1),
            ws,
            Ids.next(IdPrefix.REFERRAL),
            campaign.id(),
            referrer.id(),
            referee.contactId(),
            refereeParticipantId,
            state,
            reason,
            source,
            qualifiesNow ? SqlInstants.param(Instant.now()) : null,
            eventId,
            referee.ip(),
            referee.userAgent());
    if (inserted.isEmpty()) {
      if (refereeParticipantId != null) {
        linkReferee(ws, campaign.id(), referee.contactId(), refereeParticipantId);
      }
      return Optional.empty();
    }
    if (refereeParticipantId != null) {
      // A participant attributed after it joined (an ingested code): it now has a referrer.
      jdbc.update(
          "update campaign_participants set referred_by = ? where workspace_id = ? and"
              + " campaign_id = ? and id = ? and referred_by is null",
          referrer.id(),
          ws,
          campaign.id(),
          refereeParticipantId);
    }
    String referralId = inserted.get(0);
    Referral created = referral(ws, referralId).orElseThrow();
    outbox.emit(ws, EventType.REFERRAL_CREATED, CampaignPayloads.referral(created));
    if (reason != null) {
      outbox.emit(ws, EventType.REFERRAL_REJECTED, CampaignPayloads.referral(created));
    } else if (qualifiesNow) {
      creditReferrer(campaign, referrer.id());
      outbox.emit(ws, EventType.REFERRAL_QUALIFIED, CampaignPayloads.referral(created));
      rewards.issue(campaign, referralId);
    } else if (campaign.type() == CampaignType.REFERRAL
        && qualifying.storedFor(
            ws, campaign.id(), qualifying.of(ws, campaign.id()), referee.contactId())) {
      // Out of order: the referee's qualifying event was stored before the code arrived. The
      // counter lock taken above is what makes this look-back exact: the attribution worker
      // takes it too before it looks for pending referrals to qualify (lockForQualification),
      // so a qualifying event committed after this look-back finds this referral committed.
      qualify(campaign, referralId);
      return referral(ws, referralId);
    }
    return Optional.of(created);
  }

  /**
   * Links the contact's referral in the campaign (made before the contact joined) to its
   * participant, and makes that referral's referrer the participant's {@code referred_by}: the
   * first attribution wins, so a code the join carried does not replace it. The referee rewards
   * that referral already earned name the participant too.
   */
  private void linkReferee(String ws, String campaignId, String contactId, String participantId) {
    jdbc.update(
        "update referrals set referee_participant_id = ?, updated_at = now() where"
            + " workspace_id = ? and campaign_id = ? and referee_contact_id = ? and"
            + " referee_participant_id is null",
        participantId,
        ws,
        campaignId,
        contactId);
    jdbc.update(
        "update campaign_participants p set referred_by = r.referrer_id from referrals r where"
            + " p.workspace_id = ? and p.campaign_id = ? and p.id = ? and r.workspace_id ="
            + " p.workspace_id and r.campaign_id = p.campaign_id and r.referee_contact_id ="
            + " p.contact_id and p.referred_by is distinct from r.referrer_id",
        ws,
        campaignId,
        participantId);
    // A referee reward issued before the contact joined earns to its participant from now on
    // (null is only for a referee that never joined).
    jdbc.update(
        "update rewards w set participant_id = ?, version = w.version + 1, updated_at = now()"
            + " from referrals r where r.workspace_id = ? and r.campaign_id = ? and"
            + " r.referee_contact_id = ? and w.workspace_id = r.workspace_id and w.referral_id ="
            + " r.id and w.side = 'referee' and w.participant_id is null",
        participantId,
        ws,
        campaignId,
        contactId);
  }

  /**
   * Locks the counter of each referral program of the workspace that names {@code eventName} as its
   * qualifying event and was running ({@code active} or {@code paused}) at {@code receivedAt} (in
   * id order), and returns them, with that status, and their {@code qualifying_event}. The
   * attribution worker calls it before it looks for the pending referrals an event qualifies: a
   * referral being made concurrently ({@link #refer} holds the same lock) is then committed and
   * visible, or is made after and finds the event in its look-back.
   */
  public List<Map.Entry<CampaignInfo, tools.jackson.databind.JsonNode>> lockForQualification(
      String ws, String eventName, Instant receivedAt) {
    List<Map.Entry<CampaignInfo, tools.jackson.databind.JsonNode>> out = new ArrayList<>();
    jdbc.query(
        "select * from (select c.id, c.type, "
            + CampaignStatusAt.of("c")
            + " as status, c.starts_at, c.ends_at, c.settings::text as settings from campaigns c"
            + " where c.workspace_id = ? and c.type = 'referral' and"
            + " c.settings->'qualifying_event'->>'event' = ?) s"
            + " where status in ('active', 'paused') order by id",
        rs -> {
          tools.jackson.databind.JsonNode settings = CampaignPayloadsJson.read(rs.getString(6));
          out.add(
              Map.entry(
                  CampaignInfo.of(
                      ws,
                      rs.getString(1),
                      CampaignType.ofWireName(rs.getString(2)).orElseThrow(),
                      CampaignStatus.ofWireName(rs.getString(3)).orElseThrow(),
                      SqlInstants.get(rs, 4),
                      SqlInstants.get(rs, 5),
                      settings),
                  settings.path("qualifying_event")));
        },
        SqlInstants.param(receivedAt),
        ws,
        eventName);
    for (var campaign : out) {
      lockCounter(ws, campaign.getKey().id(), false);
    }
    return out;
  }

  /**
   * Qualifies the pending referral of {@code contactId} in {@code campaign} when the stored event
   * {@code eventId} meets the campaign's qualifying event; call {@link #lockForQualification}
   * first, in the same transaction.
   *
   * @return whether a referral was qualified
   */
  public boolean qualifyByEvent(
      CampaignInfo campaign,
      tools.jackson.databind.JsonNode qualifyingEvent,
      String contactId,
      String eventId) {
    List<String> pending =
        jdbc.query(
            "select id from referrals where workspace_id = ? and referee_contact_id = ? and"
                + " campaign_id = ? and state = 'pending'",
            (rs, i) -> rs.getString(1),
            campaign.workspaceId(),
            contactId,
            campaign.id());
    if (pending.isEmpty()
        || !qualifying.matches(campaign.workspaceId(), campaign.id(), qualifyingEvent, eventId)) {
      return false;
    }
    return qualify(campaign, pending.get(0));
  }

  /**
   * What a contact's deletion does to the referrals that still wait for it: its participants'
   * pending referrals (as referrer) could only ever credit the deleted person, and its pending
   * referrals as a referee can no longer qualify (its ids are suppressed, so no qualifying event or
   * verification of it arrives). Both become {@code rejected}, reason {@code referrer_deleted} or
   * {@code referee_deleted}, each with its {@code referral.rejected} event (ids only). Qualified
   * and rewarded referrals stay as they are: they are the other side's record. Call it in the
   * deletion's transaction, after the counters of the contact's campaigns were locked and before
   * its participants go, and before {@link Rewards#voidForDeletedContact}: waiting here for a
   * qualification in flight makes the rewards it issued visible to that next statement.
   *
   * @return the referrals rejected
   */
  public List<String> rejectForDeletedContact(String ws, String contactId) {
    // Two statements, each on its own index (referrals_referrer_idx through the contact's
    // participants, referrals_referee_idx): an OR of both read the workspace's referrals.
    List<String> rejected =
        new ArrayList<>(
            jdbc.query(
                "update referrals r set state = 'rejected', reason = 'referrer_deleted',"
                    + " updated_at = now() from campaign_participants p where p.workspace_id = ?"
                    + " and p.contact_id = ? and r.workspace_id = p.workspace_id and"
                    + " r.campaign_id = p.campaign_id and r.referrer_id = p.id and r.state ="
                    + " 'pending' returning r.id",
                (rs, i) -> rs.getString(1),
                ws,
                contactId));
    rejected.addAll(
        jdbc.query(
            "update referrals set state = 'rejected', reason = 'referee_deleted', updated_at ="
                + " now() where workspace_id = ? and referee_contact_id = ? and state = 'pending'"
                + " returning id",
            (rs, i) -> rs.getString(1),
            ws,
            contactId));
    List<Outbox.Emission> emissions = new ArrayList<>();
    for (String id : rejected) {
      emissions.add(
          new Outbox.Emission(
              EventType.REFERRAL_REJECTED,
              CampaignPayloads.referral(referral(ws, id).orElseThrow())));
    }
    outbox.emitAll(ws, emissions);
    return rejected;
  }

  /** The referral with this id. */
  public Optional<Referral> referral(String workspaceId, String referralId) {
    return jdbc
        .query(
            "select id, campaign_id, referrer_id, referee_contact_id, referee_participant_id,"
                + " state, reason, source, created_at, qualified_at from referrals where"
                + " workspace_id = ? and id = ?",
            (rs, i) ->
                new Referral(
                    rs.getString("id"),
                    rs.getString("campaign_id"),
                    rs.getString("referrer_id"),
                    rs.getString("referee_contact_id"),
                    rs.getString("referee_participant_id"),
                    rs.getString("state"),
                    rs.getString("reason"),
                    rs.getString("source"),
                    SqlInstants.get(rs, "created_at"),
                    SqlInstants.get(rs, "qualified_at")),
            workspaceId,
            referralId)
        .stream()
        .findFirst();
  }

  /** One more qualified referral for {@code referrerId}; on a waitlist it moves up. */
  private void creditReferrer(CampaignInfo campaign, String referrerId) {
    String ws = campaign.workspaceId();
    Map<String, Object> row =
        jdbc.queryForMap(
            "select join_seq, qualified_referrals, score, admitted_at from campaign_participants"
                + " where workspace_id = ? and campaign_id = ? and id = ? for update",
            ws,
            campaign.id(),
            referrerId);
    long seq = ((Number) row.get("join_seq")).longValue();
    int qualified = ((Number) row.get("qualified_referrals")).intValue() + 1;
    long oldScore = ((Number) row.get("score")).longValue();
    long newScore =
        campaign.type() == CampaignType.WAITLIST
            ? WaitlistRanks.score(seq, campaign.spotsPerReferral(), qualified)
            : oldScore;
    jdbc.update(
        "update campaign_participants set qualified_referrals = ?, score = ? where workspace_id = ?"
            + " and campaign_id = ? and id = ?",
        qualified,
        newScore,
        ws,
        campaign.id(),
        referrerId);
    if (campaign.type() == CampaignType.WAITLIST
        && row.get("admitted_at") == null
        && newScore != oldScore) {
      Map<Long, Long> moves = new LinkedHashMap<>();
      moves.put(oldScore, -1L);
      moves.merge(newScore, 1L, Long::sum);
      moveInTree(ws, campaign.id(), moves);
    }
  }

  /**
   * Qualifies a pending referral, exactly once: the state change is a conditional update, so a
   * second call (a retried event, a concurrent worker) finds nothing to do and returns false.
   */
  public boolean qualify(CampaignInfo campaign, String referralId) {
    lockCounter(campaign.workspaceId(), campaign.id(), false);
    List<String> referrer =
        jdbc.query(
            "update referrals set state = 'qualified', qualified_at = now(), updated_at = now()"
                + " where workspace_id = ? and campaign_id = ? and id = ? and state = 'pending'"
                + " returning referrer_id",
            (rs, i) -> rs.getString(1),
            campaign.workspaceId(),
            campaign.id(),
            referralId);
    if (referrer.isEmpty()) {
      return false;
    }
    creditReferrer(campaign, referrer.get(0));
    outbox.emit(
        campaign.workspaceId(),
        EventType.REFERRAL_QUALIFIED,
        CampaignPayloads.referral(referral(campaign.workspaceId(), referralId).orElseThrow()));
    rewards.issue(campaign, referralId);
    return true;
  }

  // --- verification and admission ------------------------------------------------------------

  /**
   * Marks the participant's e-mail verified when {@code token} is its verification token, and
   * qualifies the referral that brought it (waitlists). Verifying twice is harmless.
   *
   * @return the id of the referral qualified by this verification, if any
   */
  public Optional<String> verify(CampaignInfo read, String participantId, String token) {
    String ws = read.workspaceId();
    lockCounter(ws, read.id(), false);
    // Whether the waitlist is over is decided on the campaign as it is now (an end committed
    // while this waited for the lock credits nobody).
    CampaignInfo campaign = held(read);
    Map<String, Object> row =
        jdbc
            .queryForList(
                "select verification_token_hash, verified_at from campaign_participants where"
                    + " workspace_id = ? and campaign_id = ? and id = ? for update",
                ws,
                campaign.id(),
                participantId)
            .stream()
            .findFirst()
            // pid: the path variable of POST /v1/campaigns/{id}/participants/{pid}/verify.
            .orElseThrow(() -> ApiException.notFound("participant", participantId, "pid"));
    if (row.get("verified_at") != null) {
      return Optional.empty();
    }
    Object expected = row.get("verification_token_hash");
    if (expected == null
        || token == null
        || !MessageDigest.isEqual(
            expected.toString().getBytes(StandardCharsets.UTF_8),
            hash(token).getBytes(StandardCharsets.UTF_8))) {
      throw unprocessable("token", "invalid_token", "The verification token does not match.");
    }
    jdbc.update(
        "update campaign_participants set verified_at = now() where workspace_id = ? and"
            + " campaign_id = ? and id = ?",
        ws,
        campaign.id(),
        participantId);
    if (campaign.type() == CampaignType.WAITLIST) {
      outbox.emit(
          ws,
          EventType.WAITLIST_VERIFIED,
          CampaignPayloads.participant(
              campaign, find(ws, campaign.id(), participantId).orElseThrow(), null));
    }
    if (campaign.type() != CampaignType.WAITLIST || campaign.isOverAt(Instant.now())) {
      // A waitlist that is over credits nobody any more: the address is verified, its referral
      // stays pending (as a qualifying event received after a program's end qualifies nothing).
      return Optional.empty();
    }
    List<String> pending =
        jdbc.query(
            "select id from referrals where workspace_id = ? and campaign_id = ? and"
                + " referee_participant_id = ? and state = 'pending'",
            (rs, i) -> rs.getString(1),
            ws,
            campaign.id(),
            participantId);
    for (String referralId : pending) {
      if (qualify(campaign, referralId)) {
        return Optional.of(referralId);
      }
    }
    return Optional.empty();
  }

  /**
   * Admits one waiting participant ({@code admitted_at}). Admitting one already admitted answers it
   * unchanged, with no second {@code waitlist.admitted}, as a repeated verification or reward move
   * does: a client retrying an admit whose answer it lost must not get an error for what happened.
   * Until 2026-12-07 it was 422 {@code already_admitted} (a black-box review).
   */
  public Participant admit(CampaignInfo campaign, String participantId) {
    String ws = campaign.workspaceId();
    requireWaitlist(campaign);
    lockCounter(ws, campaign.id(), false);
    List<Long> score =
        jdbc.query(
            "update campaign_participants set admitted_at = now() where workspace_id = ? and"
                + " campaign_id = ? and id = ? and admitted_at is null returning score",
            (rs, i) -> rs.getLong(1),
            ws,
            campaign.id(),
            participantId);
    if (score.isEmpty()) {
      // pid: the path variable of POST /v1/campaigns/{id}/participants/{pid}/admit.
      return find(ws, campaign.id(), participantId)
          .orElseThrow(() -> ApiException.notFound("participant", participantId, "pid"));
    }
    moveInTree(ws, campaign.id(), Map.of(score.get(0), -1L));
    Participant admitted = find(ws, campaign.id(), participantId).orElseThrow();
    outbox.emit(
        ws, EventType.WAITLIST_ADMITTED, CampaignPayloads.participant(campaign, admitted, null));
    return admitted;
  }

  /** Admits the {@code count} participants at the top of the waitlist, in position order. */
  public List<Participant> admitTop(CampaignInfo campaign, int count) {
    String ws = campaign.workspaceId();
    requireWaitlist(campaign);
    lockCounter(ws, campaign.id(), false);
    List<Object[]> admitted =
        jdbc.query(
            "update campaign_participants set admitted_at = now() where (workspace_id,"
                + " campaign_id, id) in (select workspace_id, campaign_id, id from"
                + " campaign_participants where workspace_id = ? and campaign_id = ? and"
                + " admitted_at is null order by score, join_seq limit ?) returning id, score,"
                + " join_seq",
            (rs, i) -> new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3)},
            ws,
            campaign.id(),
            count);
    Map<Long, Long> moves = new LinkedHashMap<>();
    for (Object[] row : admitted) {
      moves.merge((Long) row[1], -1L, Long::sum);
    }
    moveInTree(ws, campaign.id(), moves);
    admitted.sort(
        (a, b) ->
            a[1].equals(b[1])
                ? Long.compare((Long) a[2], (Long) b[2])
                : Long.compare((Long) a[1], (Long) b[1]));
    List<Participant> out = new ArrayList<>();
    for (Object[] row : admitted) {
      out.add(find(ws, campaign.id(), (String) row[0]).orElseThrow());
    }
    List<Outbox.Emission> emissions = new ArrayList<>();
    for (Participant p : out) {
      emissions.add(
          new Outbox.Emission(
              EventType.WAITLIST_ADMITTED, CampaignPayloads.participant(campaign, p, null)));
    }
    outbox.emitAll(ws, emissions);
    return out;
  }

  // --- reading -------------------------------------------------------------------------------

  /**
   * The participant with its standing: position = 1 + waiting participants with a lower score +
   * waiting participants with the same score who joined earlier. One statement: the sum over at
   * most {@link WaitlistRanks#LEVELS} tree nodes found by primary key, a count over the equal
   * scores only, and the root node for the total.
   */
  public Optional<Participant> find(String workspaceId, String campaignId, String participantId) {
    return read(workspaceId, campaignId, "p.id = ?", participantId);
  }

  /** The participant a widget's participant token belongs to. */
  public Optional<Participant> findByToken(String workspaceId, String campaignId, String token) {
    if (token == null || token.isBlank() || token.length() > 200) {
      return Optional.empty();
    }
    return read(workspaceId, campaignId, "p.participant_token_hash = ?", hash(token));
  }

  private Optional<Participant> read(String ws, String campaignId, String where, Object arg) {
    String sql =
        "with recursive me as (select "
            + COLUMNS
            + FROM
            + " where p.workspace_id = ? and p.campaign_id = ? and "
            + where
            + "), nodes(i) as (select score + ? - 1 from me where admitted_at is null"
            + " union all select i - (i & -i) from nodes where i - (i & -i) > 0)"
            + " select me.*,"
            + " (select coalesce(sum(n.count), 0) from waitlist_rank_nodes n where n.workspace_id"
            + " = ? and n.campaign_id = ? and n.node in (select i from nodes)) as below,"
            + " (select count(*) from campaign_participants t where t.workspace_id = ? and"
            + " t.campaign_id = ? and t.admitted_at is null and t.score = me.score and t.join_seq"
            + " < me.join_seq) as ties,"
            + " (select coalesce(max(n.count), 0) from waitlist_rank_nodes n where n.workspace_id"
            + " = ? and n.campaign_id = ? and n.node = ?) as waiting"
            + " from me";
    List<Participant> rows =
        jdbc.query(
            sql,
            (rs, i) -> participant(rs, true),
            ws,
            campaignId,
            arg,
            WaitlistRanks.offset(),
            ws,
            campaignId,
            ws,
            campaignId,
            ws,
            campaignId,
            WaitlistRanks.ROOT);
    return rows.stream().findFirst();
  }

  /** A participant of {@code campaignId} by its referral code (canonical form). */
  public Optional<Participant> byCode(String workspaceId, String campaignId, String code) {
    return jdbc
        .query(
            "select "
                + COLUMNS
                + FROM
                + " where p.workspace_id = ? and p.referral_code = ? and"
                + " p.campaign_id = ?",
            (rs, i) -> participant(rs, false),
            workspaceId,
            code,
            campaignId)
        .stream()
        .findFirst();
  }

  /**
   * Participants newest first, ids below {@code beforeId}; {@code limit} rows at most, each with
   * its standing as {@link #find} gives it (one O(log n) read per row, so a list shows the same
   * position as the single read).
   */
  public List<Participant> page(String workspaceId, String campaignId, String beforeId, int limit) {
    return rows(workspaceId, campaignId, beforeId, limit).stream()
        .map(p -> find(workspaceId, campaignId, p.id()).orElse(p))
        .toList();
  }

  private List<Participant> rows(
      String workspaceId, String campaignId, String beforeId, int limit) {
    String sql =
        "select "
            + COLUMNS
            + FROM
            + " where p.workspace_id = ? and p.campaign_id = ?"
            + (beforeId == null ? "" : " and p.id < ?")
            + " order by p.id desc limit ?";
    return beforeId == null
        ? jdbc.query(sql, (rs, i) -> participant(rs, false), workspaceId, campaignId, limit)
        : jdbc.query(
            sql, (rs, i) -> participant(rs, false), workspaceId, campaignId, beforeId, limit);
  }

  /** Waiting participants and admitted ones. */
  public long[] counts(String workspaceId, String campaignId) {
    return jdbc.queryForObject(
        "select count(*) filter (where admitted_at is null), count(*) filter (where admitted_at is"
            + " not null) from campaign_participants where workspace_id = ? and campaign_id = ?",
        (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)},
        workspaceId,
        campaignId);
  }

  private static Participant participant(ResultSet rs, boolean standing) throws SQLException {
    Instant admitted = SqlInstants.get(rs, "admitted_at");
    Long position = null;
    Long ahead = null;
    Long waiting = null;
    if (standing) {
      waiting = rs.getLong("waiting");
      if (admitted == null) {
        ahead = rs.getLong("below") + rs.getLong("ties");
        position = ahead + 1;
      }
    }
    return new Participant(
        rs.getString("id"),
        rs.getString("campaign_id"),
        rs.getString("contact_id"),
        rs.getString("email"),
        rs.getString("referral_code"),
        rs.getString("referred_by"),
        rs.getLong("join_seq"),
        rs.getInt("qualified_referrals"),
        SqlInstants.get(rs, "verified_at"),
        admitted,
        SqlInstants.get(rs, "created_at"),
        position,
        ahead,
        waiting);
  }

  // --- internals -----------------------------------------------------------------------------

  /**
   * Locks the campaign's counter row for the rest of the transaction; with {@code next}, also takes
   * the next join sequence number.
   */
  private long lockCounter(String ws, String campaignId, boolean next) {
    List<Long> seq =
        jdbc.query(
            next
                ? "update campaign_counters set last_join_seq = last_join_seq + 1 where"
                    + " workspace_id = ? and campaign_id = ? returning last_join_seq"
                : "select last_join_seq from campaign_counters where workspace_id = ? and"
                    + " campaign_id = ? for update",
            (rs, i) -> rs.getLong(1),
            ws,
            campaignId);
    if (seq.isEmpty()) {
      // The campaign was deleted meanwhile. Every route that gets here names it {id}, on the
      // Management API (/v1/campaigns/{id}/…) as on the widgets (/v1/widgets/campaigns/{id}/…);
      // the referral worker that also gets here answers no request.
      throw ApiException.notFound("campaign", campaignId, "id");
    }
    return seq.get(0);
  }

  /**
   * The campaign as it is now, its row held {@code FOR SHARE} until the commit. Call it after
   * {@link #lockCounter}: a campaign's deletion takes the counter, then the row, so the two take
   * them in the same order and cannot deadlock. A change of its status, dates or settings (the
   * Management API's PATCH locks the row) committed before is what this returns; one in flight
   * waits for this transaction. Until 2026-12-05 joins and verifications decided on the copy read
   * before their transaction (the caller's {@code campaign}), so a join that waited for the counter
   * while an operator ended the campaign was still accepted.
   */
  private CampaignInfo held(CampaignInfo campaign) {
    return jdbc
        .query(
            "select status, starts_at, ends_at, settings::text from campaigns where workspace_id ="
                + " ? and id = ? for share",
            (rs, i) ->
                CampaignInfo.of(
                    campaign.workspaceId(),
                    campaign.id(),
                    campaign.type(),
                    CampaignStatus.ofWireName(rs.getString(1)).orElseThrow(),
                    SqlInstants.get(rs, 2),
                    SqlInstants.get(rs, 3),
                    CampaignPayloadsJson.read(rs.getString(4))),
            campaign.workspaceId(),
            campaign.id())
        .stream()
        .findFirst()
        .orElseThrow(() -> ApiException.notFound("campaign", campaign.id(), "id"));
  }

  /** Applies count changes per score to the rank tree ({@link WaitlistRanks#move}). */
  private void moveInTree(String ws, String campaignId, Map<Long, Long> deltaByScore) {
    WaitlistRanks.move(jdbc, ws, campaignId, deltaByScore);
  }

  /**
   * The contact with this e-mail in the workspace, created when there is none. A contact created
   * here emits {@code contact.created} in the join's transaction, as every other way of creating a
   * contact does (docs/webhooks.md): the join routes of the Management and Ingest APIs both come
   * through here.
   */
  private JoinContact contactFor(String ws, String email) {
    List<String> created =
        jdbc.queryForList(
            "insert into contacts (workspace_id, id, email) values (?, ?, ?)"
                + " on conflict (workspace_id, lower(email)) where email is not null do nothing"
                + " returning id",
            String.class,
            ws,
            Ids.next(IdPrefix.CONTACT),
            email);
    if (!created.isEmpty()) {
      outbox.emitContacts(ws, EventType.CONTACT_CREATED, created);
      return new JoinContact(created.get(0), true);
    }
    return new JoinContact(
        jdbc.queryForObject(
            "select id from contacts where workspace_id = ? and lower(email) = lower(?)",
            String.class,
            ws,
            email),
        false);
  }

  /** The contact a join resolves to, and whether the join created it. */
  private record JoinContact(String id, boolean created) {}

  /**
   * Links the browser's anonymous id to the contact the join created (docs/contacts.md,
   * "Identity"): the visitor's events, before the join and after it, then belong to the person who
   * joined, and a later identify carrying the same anonymous id gives this contact its user id
   * instead of making a second one, so a referee who joined from the widget before signing up
   * qualifies with her orders. Only a contact the join created gets the id: an address typed into a
   * public form proves nothing about who holds the browser, so a contact that existed before (an
   * import, a {@code POST /v1/contacts}, another join) gets no id from a join, or anyone holding
   * the page's write key and a person's address could make her contact theirs with one identify (a
   * black-box review, 2026-12-07). The id is never moved (one linked to any contact stays there)
   * and is never a deleted contact's (the join passes none that is suppressed).
   */
  private void linkVisitor(String ws, String contactId, String anonymousId) {
    ContactIdentities.link(jdbc, ws, anonymousId, contactId, false);
  }

  private boolean exists(String ws, String campaignId, String contactId) {
    return !jdbc.queryForList(
            "select 1 from campaign_participants where workspace_id = ? and campaign_id = ? and"
                + " contact_id = ?",
            ws,
            campaignId,
            contactId)
        .isEmpty();
  }

  private boolean codeTaken(String ws, String code) {
    return !jdbc.queryForList(
            "select 1 from campaign_participants where workspace_id = ? and referral_code = ?",
            ws,
            code)
        .isEmpty();
  }

  private String freshCode(String ws) {
    for (int attempt = 0; attempt < 10; attempt++) {
      String code = ReferralCodes.generate();
      if (!codeTaken(ws, code)) {
        return code;
      }
    }
    throw new IllegalStateException("no free referral code after 10 attempts");
  }

  private static void requireWaitlist(CampaignInfo campaign) {
    if (campaign.type() != CampaignType.WAITLIST) {
      throw unprocessable("type", "not_a_waitlist", "Only waitlist participants are admitted.");
    }
  }

  private static String newToken(String prefix) {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return prefix + B64.encodeToString(bytes);
  }

  /** SHA-256 (hex) of a token: tokens carry 192 random bits, so a fast hash is enough. */
  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ApiException unprocessable(String field, String reason, String message) {
    return new ApiException(
        ErrorCode.UNPROCESSABLE, message, List.of(ErrorDetail.of(field, reason, message)));
  }

  private static ApiException duplicate(String field, String message) {
    return new ApiException(
        ErrorCode.DUPLICATE_RESOURCE,
        message,
        List.of(ErrorDetail.of(field, "duplicate", message)));
  }
}
