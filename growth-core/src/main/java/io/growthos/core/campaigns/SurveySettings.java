package io.growthos.core.campaigns;

import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.events.EventNames;
import io.growthos.model.values.TextLength;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates the settings of a {@code survey} campaign (SPEC §8, docs/surveys.md) and fills in the
 * defaults: {@code questions}, {@code targeting}, {@code thank_you}. Every problem is reported,
 * each naming its field by path ({@code settings.questions[2].choices}); {@link CampaignSettings}
 * turns them into one 400.
 *
 * <p>Logic rules may only jump forward (to a later question) or to {@code "end"}, so every survey
 * ends and a response's path through the questions is well defined ({@link Survey#path}).
 */
final class SurveySettings extends SettingsValidation {

  static final int MAX_QUESTIONS = 50;
  static final int MAX_CHOICES = 50;
  static final int MAX_RULES = 20;
  static final int DEFAULT_TEXT_MAX_LENGTH = 1000;
  static final Pattern QUESTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  static final Set<String> TYPES =
      Set.of("nps", "rating", "single_choice", "multiple_choice", "text");

  /** The results' key for the texts of {@code allow_other} ({@link SurveyTally}). */
  static final String OTHER = "other";

  static final Set<String> URL_MATCHES = Set.of("exact", "contains", "glob");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  record Result(ObjectNode settings, List<ErrorDetail> problems) {}

  private SurveySettings() {}

  static Result validate(ObjectNode in) {
    SurveySettings v = new SurveySettings();
    ObjectNode out = v.survey(in);
    return new Result(out, v.problems);
  }

  private ObjectNode survey(ObjectNode in) {
    String p = "settings";
    known(in, p, "questions", "targeting", "thank_you");
    ObjectNode out = NODES.objectNode();
    out.set("questions", questions(in == null ? null : in.get("questions")));
    out.set("targeting", targeting(in == null ? null : in.get("targeting")));
    out.set("thank_you", thankYou(in == null ? null : in.get("thank_you")));
    return out;
  }

  // --- questions -----------------------------------------------------------------------------

  private ArrayNode questions(JsonNode node) {
    String p = "settings.questions";
    ArrayNode out = NODES.arrayNode();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problem(p, "invalid_type", "'questions' is a list.");
      return out;
    }
    if (node.size() > MAX_QUESTIONS) {
      problem(p, "too_many", "At most " + MAX_QUESTIONS + " questions.");
      return out;
    }
    // Ids first: logic rules refer to later questions by id.
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode id = node.get(i).isObject() ? node.get(i).get("id") : null;
      if (id != null && id.isString() && QUESTION_ID.matcher(id.asString()).matches()) {
        if (index.putIfAbsent(id.asString(), i) != null) {
          problem(
              p + "[" + i + "].id",
              "duplicate",
              "Question ids are unique; '" + id.asString() + "' is used twice.");
        }
      }
    }
    for (int i = 0; i < node.size(); i++) {
      out.add(question(node.get(i), p + "[" + i + "]", i, index));
    }
    return out;
  }

  private ObjectNode question(JsonNode node, String p, int position, Map<String, Integer> index) {
    ObjectNode out = NODES.objectNode();
    if (node == null || !node.isObject()) {
      problem(p, "invalid_type", "Each question is an object.");
      return out;
    }
    ObjectNode in = (ObjectNode) node;
    known(
        in,
        p,
        "id",
        "type",
        "text",
        "choices",
        "allow_other",
        "scale",
        "max_length",
        "required",
        "logic");
    JsonNode id = in.get("id");
    if (id == null || id.isNull()) {
      problem(p + ".id", "required", "Each question has an 'id'.");
    } else if (!id.isString() || !QUESTION_ID.matcher(id.asString()).matches()) {
      problem(p + ".id", "invalid_format", "'id' is 1 to 64 letters, digits, '_' or '-'.");
    } else if (id.asString().equals(Survey.END)) {
      problem(p + ".id", "reserved", "'end' is reserved for logic jumps to the end.");
    } else {
      out.put("id", id.asString());
    }
    String type = null;
    JsonNode t = in.get("type");
    if (t == null || t.isNull()) {
      problem(p + ".type", "required", "Each question has a 'type'.");
    } else if (!t.isString() || !TYPES.contains(t.asString())) {
      problem(
          p + ".type",
          "invalid_value",
          "'type' is one of multiple_choice, nps, rating, single_choice, text.");
    } else {
      type = t.asString();
      out.put("type", type);
    }
    JsonNode text = in.get("text");
    if (text == null
        || text.isNull()
        || !text.isString()
        || SocialProofMasking.clean(text.asString()).isEmpty()) {
      problem(p + ".text", "required", "Each question has a 'text' (what the visitor reads).");
    } else if (!TextLength.atMost(text.asString(), 500)) {
      problem(p + ".text", "too_long", "'text' has at most 500 characters.");
    } else {
      out.put("text", text.asString());
    }
    boolean choiceType = "single_choice".equals(type) || "multiple_choice".equals(type);
    // choices and allow_other: choice questions only
    if (choiceType) {
      boolean allowOther = bool(in, p, "allow_other", false);
      out.set("choices", choices(in.get("choices"), p + ".choices", allowOther));
      out.put("allow_other", allowOther);
    } else {
      onlyFor(in, p, "choices", "single_choice and multiple_choice");
      onlyFor(in, p, "allow_other", "single_choice and multiple_choice");
    }
    if ("rating".equals(type)) {
      JsonNode scale = in.get("scale");
      if (scale == null || scale.isNull()) {
        out.put("scale", 5);
      } else if (!isIntegerIn(scale, 5, 5) && !isIntegerIn(scale, 10, 10)) {
        problem(p + ".scale", "invalid_value", "'scale' is 5 (1–5) or 10 (1–10).");
      } else {
        out.put("scale", scale.intValue());
      }
    } else {
      onlyFor(in, p, "scale", "rating");
    }
    if ("text".equals(type)) {
      JsonNode max = in.get("max_length");
      if (max == null || max.isNull()) {
        out.put("max_length", DEFAULT_TEXT_MAX_LENGTH);
      } else if (!isIntegerIn(max, 1, 5000)) {
        problem(p + ".max_length", "out_of_range", "'max_length' is an integer from 1 to 5000.");
      } else {
        out.put("max_length", max.intValue());
      }
    } else {
      onlyFor(in, p, "max_length", "text");
    }
    out.put("required", bool(in, p, "required", false));
    out.set("logic", logic(in.get("logic"), p + ".logic", type, out, position, index));
    return out;
  }

  private ArrayNode choices(JsonNode node, String p, boolean allowOther) {
    ArrayNode out = NODES.arrayNode();
    if (node == null || node.isNull()) {
      problem(p, "required", "A choice question lists its 'choices'.");
      return out;
    }
    if (!node.isArray() || node.size() < 2 || node.size() > MAX_CHOICES) {
      problem(p, "invalid_type", "'choices' is a list of 2 to " + MAX_CHOICES + " texts.");
      return out;
    }
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < node.size(); k++) {
      JsonNode c = node.get(k);
      // What a visitor sees: NFC, without invisible characters, spaces collapsed as a browser
      // shows them. Two choices that look the same are one choice shown twice.
      String visible = c.isString() ? SocialProofMasking.clean(c.asString()) : "";
      if (visible.isEmpty() || !TextLength.atMost(c.asString(), 200)) {
        problem(p + "[" + k + "]", "invalid_value", "A choice is a text of 1 to 200 characters.");
      } else if (allowOther && c.asString().equals(OTHER)) {
        // The results count other texts under this key (SurveyTally): the two would mix.
        problem(
            p + "[" + k + "]",
            "reserved",
            "With allow_other, '"
                + OTHER
                + "' names the other texts in the results; call the choice something else.");
      } else if (!seen.add(visible)) {
        problem(p + "[" + k + "]", "duplicate", "'" + c.asString() + "' is listed twice.");
      } else {
        out.add(c.asString());
      }
    }
    return out;
  }

  private ArrayNode logic(
      JsonNode node,
      String p,
      String type,
      ObjectNode question,
      int position,
      Map<String, Integer> index) {
    ArrayNode out = NODES.arrayNode();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problem(p, "invalid_type", "'logic' is a list of rules.");
      return out;
    }
    if (node.size() > MAX_RULES) {
      problem(p, "too_many", "At most " + MAX_RULES + " rules per question.");
      return out;
    }
    for (int r = 0; r < node.size(); r++) {
      String rp = p + "[" + r + "]";
      JsonNode rule = node.get(r);
      if (!rule.isObject()) {
        problem(rp, "invalid_type", "A logic rule is {\"if\": {...}, \"then\": {...}}.");
        continue;
      }
      known((ObjectNode) rule, rp, "if", "then");
      ObjectNode outRule = NODES.objectNode();
      outRule.set("if", condition(rule.get("if"), rp + ".if", type, question));
      outRule.set("then", jump(rule.get("then"), rp + ".then", position, index));
      out.add(outRule);
    }
    return out;
  }

  private ObjectNode condition(JsonNode node, String p, String type, ObjectNode question) {
    ObjectNode out = NODES.objectNode();
    if (node == null || !node.isObject()) {
      problem(p, "required", "A rule has an 'if': {\"op\": ..., \"value\": ...}.");
      return out;
    }
    known((ObjectNode) node, p, "op", "value");
    JsonNode opNode = node.get("op");
    if (opNode == null || !opNode.isString()) {
      problem(p + ".op", "required", "A condition has an 'op'.");
      return out;
    }
    String op = opNode.asString();
    Set<String> ops = Survey.opsFor(type);
    if (!ops.contains(op)) {
      problem(
          p + ".op",
          "invalid_value",
          "For a "
              + (type == null ? "question of this" : type)
              + " question 'op' is one of "
              + String.join(", ", ops.stream().sorted().toList())
              + ".");
      return out;
    }
    out.put("op", op);
    JsonNode value = node.get("value");
    if (op.equals("answered") || op.equals("skipped")) {
      if (value != null && !value.isNull()) {
        problem(p + ".value", "unexpected", "'" + op + "' takes no 'value'.");
      }
      return out;
    }
    if (value == null || value.isNull()) {
      problem(p + ".value", "required", "'" + op + "' compares with a 'value'.");
      return out;
    }
    if (op.equals("in")) {
      if (!value.isArray() || value.isEmpty() || value.size() > MAX_CHOICES) {
        problem(p + ".value", "invalid_type", "'in' takes a list of 1 to 50 values.");
        return out;
      }
      for (int k = 0; k < value.size(); k++) {
        conditionValue(value.get(k), p + ".value[" + k + "]", type, question);
      }
    } else {
      conditionValue(value, p + ".value", type, question);
    }
    out.set("value", value);
    return out;
  }

  private void conditionValue(JsonNode v, String p, String type, ObjectNode question) {
    if (type == null) {
      return;
    }
    switch (type) {
      case "nps", "rating" -> {
        int min = type.equals("nps") ? 0 : 1;
        int max = type.equals("nps") ? 10 : question.path("scale").asInt(5);
        // A value that is no number ("9") is of the wrong type, as an answer "9" is: invalid_type.
        if (!v.isNumber()) {
          problem(p, "invalid_type", "A value is an integer from " + min + " to " + max + ".");
        } else if (!isIntegerIn(v, min, max)) {
          problem(p, "out_of_range", "A value is an integer from " + min + " to " + max + ".");
        }
      }
      case "single_choice", "multiple_choice" -> {
        boolean listed = false;
        for (JsonNode c : question.path("choices")) {
          listed |= v.isString() && c.asString().equals(v.asString());
        }
        if (!listed) {
          problem(p, "unknown_choice", "A value is one of the question's choices.");
        }
      }
      default -> problem(p, "unexpected", "This question's rules take no value.");
    }
  }

  private ObjectNode jump(JsonNode node, String p, int position, Map<String, Integer> index) {
    ObjectNode out = NODES.objectNode();
    if (node == null || !node.isObject()) {
      problem(p, "required", "A rule has a 'then': {\"jump_to\": \"<question id>\" | \"end\"}.");
      return out;
    }
    known((ObjectNode) node, p, "jump_to");
    JsonNode to = node.get("jump_to");
    if (to == null || !to.isString() || to.asString().isEmpty()) {
      problem(p + ".jump_to", "required", "'jump_to' is a later question's id or \"end\".");
      return out;
    }
    String target = to.asString();
    if (!target.equals(Survey.END)) {
      Integer at = index.get(target);
      if (at == null) {
        problem(p + ".jump_to", "unknown_question", "No question has the id '" + target + "'.");
        return out;
      }
      if (at <= position) {
        problem(
            p + ".jump_to",
            "backward_jump",
            "Logic jumps forward only: '" + target + "' is not after this question.");
        return out;
      }
    }
    out.put("jump_to", target);
    return out;
  }

  // --- targeting and thank-you -----------------------------------------------------------------

  private ObjectNode targeting(JsonNode node) {
    String p = "settings.targeting";
    ObjectNode in = object(node, p);
    known(in, p, "url", "event", "delay_seconds", "once_per_contact", "min_days_between_surveys");
    ObjectNode out = NODES.objectNode();
    JsonNode url = in == null ? null : in.get("url");
    if (url == null || url.isNull()) {
      out.putNull("url");
    } else {
      ObjectNode u = object(url, p + ".url");
      if (u != null) {
        known(u, p + ".url", "match", "value");
        ObjectNode rule = NODES.objectNode();
        JsonNode match = u.get("match");
        if (match == null || match.isNull()) {
          rule.put("match", "exact");
        } else if (!match.isString() || !URL_MATCHES.contains(match.asString())) {
          problem(p + ".url.match", "invalid_value", "'match' is one of contains, exact, glob.");
        } else {
          rule.put("match", match.asString());
        }
        JsonNode value = u.get("value");
        if (value == null || !value.isString() || value.asString().isEmpty()) {
          problem(p + ".url.value", "required", "A URL rule has a 'value'.");
        } else if (!TextLength.atMost(value.asString(), 2000)) {
          problem(p + ".url.value", "too_long", "'value' has at most 2000 characters.");
        } else if (neverMatches(rule.path("match").asString(null), value.asString())) {
          problem(
              p + ".url.value",
              "never_matches",
              "The widget matches the page's full URL as the browser writes it"
                  + " (https://app.example.com/pricing?x=1), so an exact rule is a full http(s) URL"
                  + " written that way (scheme and host in lower case, no default port, a '/' after"
                  + " the host: https://app.example.com/) and a glob starts with one or with '*'"
                  + " (\"*/pricing*\"); for part of a URL use \"match\": \"contains\".");
        } else {
          rule.put("value", value.asString());
        }
        out.set("url", rule);
      } else {
        out.putNull("url");
      }
    }
    JsonNode event = in == null ? null : in.get("event");
    if (event == null || event.isNull()) {
      out.putNull("event");
    } else if (!event.isString() || event.asString().isBlank()) {
      problem(p + ".event", "invalid_value", "'event' is a non-empty event name.");
      out.putNull("event");
    } else if (!EventNames.fits(event.asString())) {
      problem(
          p + ".event",
          "too_long",
          "'event' is an event name of at most " + EventNames.MAX_CHARS + " characters.");
      out.putNull("event");
    } else {
      out.put("event", event.asString());
    }
    out.put("delay_seconds", integer(in, p, "delay_seconds", 0, 3600, 0));
    out.put("once_per_contact", bool(in, p, "once_per_contact", true));
    out.put("min_days_between_surveys", integer(in, p, "min_days_between_surveys", 0, 365, 0));
    return out;
  }

  private ObjectNode thankYou(JsonNode node) {
    String p = "settings.thank_you";
    ObjectNode in = object(node, p);
    known(in, p, "headline", "body");
    ObjectNode out = NODES.objectNode();
    out.put("headline", text(in, p, "headline", 200, "Thank you!"));
    String body = text(in, p, "body", 1000, null);
    if (body == null) {
      out.putNull("body");
    } else {
      out.put("body", body);
    }
    return out;
  }

  /**
   * Whether a URL rule can never match a page's full URL, which is what the widget sends ({@code
   * location.href}): an {@code exact} rule, or a {@code glob} not starting with {@code *}, whose
   * text (a glob's up to its first {@code *}) is not written as a browser writes a URL. That is:
   * not starting with {@code http://} or {@code https://} in lower case ({@code "/pricing"}, {@code
   * "/app/*"}, {@code "HTTPS://…"}); a host with a capital or a non-ASCII letter (a browser writes
   * it in lower case, an IDN in punycode); a default port ({@code :443} for https, {@code :80} for
   * http), which a browser leaves out; or nothing, a {@code ?} or a {@code #} right after the host,
   * where a browser always writes a {@code /} ({@code https://app.example.com} is {@code
   * https://app.example.com/}).
   */
  private static boolean neverMatches(String match, String value) {
    if (match == null || match.equals("contains") || value.startsWith("*")) {
      return false;
    }
    String scheme =
        value.startsWith("https://") ? "https" : value.startsWith("http://") ? "http" : null;
    if (scheme == null) {
      return true;
    }
    int star = match.equals("glob") ? value.indexOf('*') : -1;
    String rest = (star < 0 ? value : value.substring(0, star)).substring(scheme.length() + 3);
    int end = rest.length();
    for (int i = 0; i < rest.length(); i++) {
      if ("/?#".indexOf(rest.charAt(i)) >= 0) {
        end = i;
        break;
      }
    }
    boolean hostComplete = end < rest.length();
    if (hostComplete ? rest.charAt(end) != '/' : star < 0) {
      return true; // no '/' after the host
    }
    String authority = rest.substring(0, end);
    String host = authority.substring(authority.lastIndexOf('@') + 1);
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if ((c >= 'A' && c <= 'Z') || c > 0x7F) {
        return true;
      }
    }
    return hostComplete && host.endsWith(scheme.equals("https") ? ":443" : ":80");
  }

  // --- helpers ---------------------------------------------------------------------------------

  private void onlyFor(ObjectNode in, String p, String name, String types) {
    JsonNode v = in.get(name);
    if (v != null && !v.isNull()) {
      problem(p + "." + name, "not_applicable", "'" + name + "' applies to " + types + " only.");
    }
  }

  private String text(ObjectNode in, String p, String name, int max, String dflt) {
    JsonNode v = in == null ? null : in.get(name);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isString()) {
      problem(p + "." + name, "invalid_type", "'" + name + "' is a text of at most " + max + ".");
      return dflt;
    }
    if (!TextLength.atMost(v.asString(), max)) {
      problem(p + "." + name, "too_long", "'" + name + "' has at most " + max + " characters.");
      return dflt;
    }
    return v.asString();
  }
}
