package io.growthos.core.campaigns;

import io.growthos.core.filter.FilterParser;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.events.EventNames;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.values.NumberRange;
import io.growthos.model.values.TextLength;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates a campaign's {@code settings} per type (SPEC §8) and returns them with defaults filled
 * in, so what is stored and shown is what applies. Shape problems (unknown fields, wrong JSON
 * types, values out of range) are 400 {@code validation_error} with one detail per problem naming
 * the field by path ({@code settings.reward_rules[0].every}).
 *
 * <p>{@code survey} settings are validated by {@link SurveySettings} (questions, logic, targeting,
 * thank-you step); {@code social_proof} settings (source, template, counter, opt-out trait) here.
 */
public final class CampaignSettings extends SettingsValidation {

  /** Spots a waitlist participant moves up per qualified referral when none is given. */
  public static final int DEFAULT_SPOTS_PER_REFERRAL = 1;

  /** Referrals one referrer may bring per day before the velocity rule rejects them. */
  public static final int DEFAULT_VELOCITY_PER_DAY = 50;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CampaignSettings() {}

  /** The settings with defaults; {@code settings} may be null (no settings given). */
  public static ObjectNode validate(CampaignType type, JsonNode settings) {
    CampaignSettings v = new CampaignSettings();
    ObjectNode in = v.object(settings, "settings");
    ObjectNode out =
        switch (type) {
          case REFERRAL -> v.referral(in);
          case WAITLIST -> v.waitlist(in);
          case SURVEY -> v.survey(in);
          case SOCIAL_PROOF -> v.socialProof(in);
        };
    if (!v.problems.isEmpty()) {
      throw ApiException.invalid(v.problems);
    }
    return out;
  }

  private ObjectNode survey(ObjectNode in) {
    SurveySettings.Result r = SurveySettings.validate(in);
    problems.addAll(r.problems());
    return r.settings();
  }

  private ObjectNode waitlist(ObjectNode in) {
    String p = "settings";
    known(in, p, "spots_per_referral", "require_verification", "landing_url");
    ObjectNode out = NODES.objectNode();
    out.put(
        "spots_per_referral",
        integer(in, p, "spots_per_referral", 0, 1_000_000, DEFAULT_SPOTS_PER_REFERRAL));
    out.put("require_verification", bool(in, p, "require_verification", false));
    String landing = url(in, p, "landing_url", false);
    if (landing != null) {
      out.put("landing_url", landing);
    } else {
      out.putNull("landing_url");
    }
    return out;
  }

  private ObjectNode referral(ObjectNode in) {
    String p = "settings";
    known(in, p, "landing_url", "qualifying_event", "reward_rules", "approval", "fraud");
    ObjectNode out = NODES.objectNode();
    out.put("landing_url", url(in, p, "landing_url", true));
    JsonNode qe = in == null ? null : in.get("qualifying_event");
    if (qe == null || qe.isNull()) {
      out.putNull("qualifying_event");
    } else {
      out.set("qualifying_event", qualifyingEvent(qe, p + ".qualifying_event"));
    }
    out.set("reward_rules", rewardRules(in == null ? null : in.get("reward_rules")));
    out.put("approval", oneOf(in, p, "approval", Set.of("auto", "manual"), "manual"));
    ObjectNode fraudIn = object(in == null ? null : in.get("fraud"), p + ".fraud");
    known(fraudIn, p + ".fraud", "self_referral", "velocity_per_day");
    ObjectNode fraud = NODES.objectNode();
    fraud.put("self_referral", bool(fraudIn, p + ".fraud", "self_referral", true));
    fraud.put(
        "velocity_per_day",
        integer(fraudIn, p + ".fraud", "velocity_per_day", 1, 1_000_000, DEFAULT_VELOCITY_PER_DAY));
    out.set("fraud", fraud);
    return out;
  }

  private ObjectNode qualifyingEvent(JsonNode node, String p) {
    ObjectNode in = object(node, p);
    known(in, p, "event", "where");
    ObjectNode out = NODES.objectNode();
    JsonNode event = in == null ? null : in.get("event");
    if (event == null || !event.isString() || event.asString().isBlank()) {
      problem(p + ".event", "required", "The event name is required.");
    } else if (!EventNames.fits(event.asString())) {
      problem(
          p + ".event",
          "too_long",
          "An event name has at most " + EventNames.MAX_CHARS + " characters.");
    } else {
      out.put("event", event.asString());
    }
    ArrayNode where = NODES.arrayNode();
    JsonNode w = in == null ? null : in.get("where");
    if (w != null && !w.isNull()) {
      // The property-condition grammar of SPEC §7, parsed by its one owner.
      try {
        FilterParser.parsePropertyConditions(w, p + ".where");
        where = (ArrayNode) w;
      } catch (ApiException e) {
        problems.addAll(e.details());
      }
    }
    out.set("where", where);
    return out;
  }

  private ArrayNode rewardRules(JsonNode node) {
    String p = "settings.reward_rules";
    ArrayNode out = NODES.arrayNode();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problem(p, "invalid_type", "'reward_rules' is a list.");
      return out;
    }
    if (node.size() > 20) {
      problem(p, "too_many", "At most 20 reward rules.");
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      String rp = p + "[" + i + "]";
      ObjectNode in = object(node.get(i), rp);
      known(in, rp, "side", "every", "milestones", "limit", "reward");
      ObjectNode rule = NODES.objectNode();
      rule.put("side", oneOf(in, rp, "side", Set.of("referrer", "referee", "both"), null));
      boolean hasMilestones = in != null && in.has("milestones") && !in.get("milestones").isNull();
      if (hasMilestones && in.has("every") && !in.get("every").isNull()) {
        problem(rp + ".every", "conflict", "Give 'every' or 'milestones', not both.");
      }
      if (hasMilestones) {
        JsonNode m = in.get("milestones");
        ArrayNode milestones = NODES.arrayNode();
        if (!m.isArray() || m.isEmpty() || m.size() > 50) {
          problem(rp + ".milestones", "invalid_type", "'milestones' is a list of 1 to 50 counts.");
        } else {
          long last = 0;
          for (int k = 0; k < m.size(); k++) {
            JsonNode v = m.get(k);
            if (!isIntegerIn(v, last + 1, 1_000_000)) {
              problem(
                  rp + ".milestones[" + k + "]",
                  "out_of_range",
                  "Milestones are increasing counts from 1 to 1,000,000.");
              break;
            }
            last = v.longValue();
            milestones.add(last);
          }
        }
        rule.putNull("every");
        rule.set("milestones", milestones);
      } else {
        rule.put("every", integer(in, rp, "every", 1, 1_000_000, 1));
        rule.putNull("milestones");
      }
      JsonNode limit = in == null ? null : in.get("limit");
      if (limit == null || limit.isNull()) {
        rule.putNull("limit");
      } else {
        rule.put("limit", integer(in, rp, "limit", 1, 1_000_000, 1));
      }
      rule.set("reward", reward(in == null ? null : in.get("reward"), rp + ".reward"));
      out.add(rule);
    }
    return out;
  }

  private ObjectNode reward(JsonNode node, String p) {
    ObjectNode in = object(node, p);
    if (in == null) {
      problem(p, "required", "Each reward rule names its reward.");
      return NODES.objectNode();
    }
    known(in, p, "type", "amount", "currency", "description");
    ObjectNode out = NODES.objectNode();
    String type = oneOf(in, p, "type", Set.of("credit", "discount", "cash", "custom"), null);
    out.put("type", type);
    JsonNode amount = in.get("amount");
    if (amount == null || amount.isNull()) {
      if (type != null && !type.equals("custom")) {
        problem(p + ".amount", "required", "A " + type + " reward has an amount.");
      }
      out.putNull("amount");
    } else if (!amount.isNumber() || !NumberRange.fits(amount)) {
      // The one bound on JSON numbers (NumberRange), checked first: the settings' jsonb and the
      // rewards' numeric hold no more (until 2026-12-06 "1e200000" was a 500 of the insert).
      problem(
          p + ".amount",
          "out_of_range",
          "'amount' is a number of at least 0, at most "
              + NumberRange.MAX_CHARS
              + " characters written out in full.");
    } else if (amount.decimalValue().signum() < 0) {
      problem(p + ".amount", "out_of_range", "'amount' is a number of at least 0.");
    } else {
      out.put("amount", amount.decimalValue());
    }
    JsonNode currency = in.get("currency");
    if (currency == null || currency.isNull()) {
      if ("cash".equals(type) || "credit".equals(type)) {
        problem(p + ".currency", "required", "A " + type + " reward has an ISO 4217 currency.");
      }
      out.putNull("currency");
    } else if (!currency.isString() || !currency.asString().matches("[A-Za-z]{3}")) {
      problem(p + ".currency", "invalid_format", "'currency' is an ISO 4217 code such as USD.");
    } else {
      out.put("currency", currency.asString().toUpperCase(Locale.ROOT));
    }
    JsonNode description = in.get("description");
    if (description == null || description.isNull()) {
      out.putNull("description");
    } else if (!description.isString() || !TextLength.atMost(description.asString(), 500)) {
      problem(
          p + ".description", "invalid_type", "'description' is text of at most 500 characters.");
    } else {
      out.put("description", description.asString());
    }
    return out;
  }

  // --- social proof ----------------------------------------------------------------------------

  private ObjectNode socialProof(ObjectNode in) {
    String p = "settings";
    known(in, p, "source", "template", "counter", "opt_out_trait", "limit", "max_age");
    ObjectNode out = NODES.objectNode();
    out.set("source", socialProofSource(in == null ? null : in.get("source"), p + ".source"));
    out.put("template", template(in, p, "template", SocialProofTemplate.ITEM_PLACEHOLDERS, null));
    JsonNode counterNode = in == null ? null : in.get("counter");
    ObjectNode counterIn = object(counterNode, p + ".counter");
    if (counterIn == null) {
      out.putNull("counter");
    } else {
      String cp = p + ".counter";
      known(counterIn, cp, "window", "template", "min_count");
      ObjectNode counter = NODES.objectNode();
      counter.put("window", window(counterIn, cp, "window", null));
      counter.put(
          "template",
          template(counterIn, cp, "template", SocialProofTemplate.COUNTER_PLACEHOLDERS, "count"));
      counter.put(
          "min_count",
          integer(
              counterIn, cp, "min_count", 0, 1_000_000_000, SocialProofSettings.DEFAULT_MIN_COUNT));
      out.set("counter", counter);
    }
    JsonNode trait = in == null ? null : in.get("opt_out_trait");
    if (trait == null || trait.isNull()) {
      out.put("opt_out_trait", SocialProofSettings.DEFAULT_OPT_OUT_TRAIT);
    } else if (!trait.isString() || !trait.asString().matches("[A-Za-z0-9_$-]{1,100}")) {
      problem(
          p + ".opt_out_trait",
          "invalid_format",
          "'opt_out_trait' is a top-level trait name: 1 to 100 letters, digits, '_', '-' or '$'.");
    } else {
      out.put("opt_out_trait", trait.asString());
    }
    out.put(
        "limit",
        integer(
            in, p, "limit", 1, SocialProofSettings.MAX_LIMIT, SocialProofSettings.DEFAULT_LIMIT));
    out.put("max_age", window(in, p, "max_age", SocialProofSettings.DEFAULT_MAX_AGE));
    return out;
  }

  private ObjectNode socialProofSource(JsonNode node, String p) {
    ObjectNode in = object(node, p);
    if (in == null) {
      if (node == null || node.isNull()) {
        problem(p, "required", "A source is required: {event, where} or {campaign}.");
      }
      return NODES.objectNode();
    }
    if (!in.has("campaign")) {
      return qualifyingEvent(in, p);
    }
    if (in.has("event") || in.has("where")) {
      problem(p, "conflict", "Give 'event' (with 'where') or 'campaign', not both.");
    }
    known(in, p, "campaign", "activity", "event", "where");
    ObjectNode out = NODES.objectNode();
    JsonNode campaign = in.get("campaign");
    if (campaign == null
        || !campaign.isString()
        || !Ids.isWellFormed(IdPrefix.CAMPAIGN, campaign.asString())) {
      problem(p + ".campaign", "invalid_format", "'campaign' is a campaign id (cmp_…).");
    } else {
      out.put("campaign", campaign.asString());
    }
    out.put("activity", oneOf(in, p, "activity", Set.of("joined", "referred"), "joined"));
    return out;
  }

  private String template(
      ObjectNode in, String path, String name, Set<String> placeholders, String mustUse) {
    JsonNode v = in == null ? null : in.get(name);
    if (v == null || v.isNull()) {
      problem(path + "." + name, "required", "'" + name + "' is required.");
      return null;
    }
    if (!v.isString()) {
      problem(path + "." + name, "invalid_type", "'" + name + "' is text.");
      return null;
    }
    List<ErrorDetail> found =
        SocialProofTemplate.problems(v.asString(), placeholders, path + "." + name);
    if (!found.isEmpty()) {
      problems.addAll(found);
      return null;
    }
    SocialProofTemplate parsed = SocialProofTemplate.parse(v.asString(), placeholders);
    if (mustUse != null && !parsed.uses(mustUse)) {
      problem(
          path + "." + name, "missing_placeholder", "'" + name + "' must show {" + mustUse + "}.");
      return null;
    }
    if (placeholders == SocialProofTemplate.ITEM_PLACEHOLDERS && parsed.alwaysEmailShaped()) {
      problem(
          path + "." + name,
          "email_shaped",
          "Messages of this template would look like an e-mail address (text@text), and the feed"
              + " leaves out every message that does: write the '@' with spaces around it, or"
              + " leave it out.");
      return null;
    }
    return v.asString();
  }

  private String window(ObjectNode in, String path, String name, String dflt) {
    JsonNode v = in == null ? null : in.get(name);
    if (v == null || v.isNull()) {
      if (dflt == null) {
        problem(path + "." + name, "required", "'" + name + "' is required.");
      }
      return dflt;
    }
    if (!v.isString() || SocialProofSettings.window(v.asString()).isEmpty()) {
      problem(
          path + "." + name,
          "invalid_format",
          "'" + name + "' is a count and a unit (m, h or d) up to 365d: \"30m\", \"24h\", \"7d\".");
      return dflt;
    }
    return v.asString();
  }

  // --- helpers -----------------------------------------------------------------------------

  private String oneOf(ObjectNode in, String path, String name, Set<String> values, String dflt) {
    JsonNode v = in == null ? null : in.get(name);
    if (v == null || v.isNull()) {
      if (dflt == null) {
        problem(path + "." + name, "required", "'" + name + "' is required.");
      }
      return dflt;
    }
    if (!v.isString() || !values.contains(v.asString())) {
      problem(
          path + "." + name,
          "invalid_value",
          "'" + name + "' is one of " + String.join(", ", values.stream().sorted().toList()) + ".");
      return dflt;
    }
    return v.asString();
  }

  private String url(ObjectNode in, String path, String name, boolean required) {
    JsonNode v = in == null ? null : in.get(name);
    if (v == null || v.isNull()) {
      if (required) {
        problem(path + "." + name, "required", "'" + name + "' is required.");
      }
      return null;
    }
    if (!v.isString() || !isHttpUrl(v.asString())) {
      problem(path + "." + name, "invalid_format", "'" + name + "' is an absolute http(s) URL.");
      return null;
    }
    return v.asString();
  }

  /**
   * Whether {@code s} is an absolute http(s) URL with a host. A fragment is kept ({@link
   * ShareUrls#of} puts {@code ref} before it): single-page landing pages route by it ({@code
   * https://app.example.com/#/signup}). Until 2026-12-07 a fragment was refused, as if the URL were
   * not absolute.
   */
  public static boolean isHttpUrl(String s) {
    if (s.length() > 2000) {
      return false;
    }
    try {
      URI uri = new URI(s);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
