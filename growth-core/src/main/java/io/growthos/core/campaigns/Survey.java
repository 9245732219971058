package io.growthos.core.campaigns;

import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.values.TextLength;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules of one survey campaign, read from its stored (validated, defaults filled in) settings:
 * which answers are valid, where logic jumps lead, which URLs it targets. Shared by the Ingest API
 * (widget routes: answers are checked here) and the Management API (results walk the same paths).
 */
public final class Survey {

  /** The jump target that ends the survey (shows the thank-you step). */
  public static final String END = "end";

  /** Questions a survey holds at most (the settings' rule). */
  public static final int MAX_QUESTIONS = SurveySettings.MAX_QUESTIONS;

  /** Longest free text accepted as an "other" choice. */
  public static final int MAX_OTHER_LENGTH = 500;

  private static final Set<String> NUMBER_OPS =
      Set.of("eq", "neq", "gt", "gte", "lt", "lte", "in", "answered", "skipped");
  private static final Set<String> SINGLE_OPS = Set.of("eq", "neq", "in", "answered", "skipped");
  private static final Set<String> MULTI_OPS = Set.of("contains", "answered", "skipped");
  private static final Set<String> PRESENCE_OPS = Set.of("answered", "skipped");

  /** A logic rule: when the answer satisfies {@code op value}, go to {@code jumpTo}. */
  public record Rule(String op, JsonNode value, String jumpTo) {}

  public record Question(
      String id,
      String type,
      String text,
      List<String> choices,
      boolean allowOther,
      int scale,
      int maxLength,
      boolean required,
      List<Rule> logic) {

    /** Lowest and highest valid score of an {@code nps} or {@code rating} question. */
    public int min() {
      return type.equals("nps") ? 0 : 1;
    }

    public int max() {
      return type.equals("nps") ? 10 : scale;
    }
  }

  /**
   * @param urlMatch {@code exact}, {@code contains} or {@code glob}; null when any URL matches
   * @param event the tracked event that triggers the survey; null for a page view
   */
  public record Targeting(
      String urlMatch,
      String urlValue,
      String event,
      int delaySeconds,
      boolean oncePerContact,
      int minDaysBetweenSurveys) {}

  private final List<Question> questions;
  private final Map<String, Question> byId;
  private final Targeting targeting;
  private final JsonNode thankYou;

  private Survey(List<Question> questions, Targeting targeting, JsonNode thankYou) {
    this.questions = List.copyOf(questions);
    this.byId = new LinkedHashMap<>();
    questions.forEach(q -> byId.put(q.id(), q));
    this.targeting = targeting;
    this.thankYou = thankYou;
  }

  /** The survey of stored settings (as {@link CampaignSettings#validate} returned them). */
  public static Survey of(JsonNode settings) {
    List<Question> questions = new ArrayList<>();
    for (JsonNode q : settings.path("questions")) {
      List<String> choices = new ArrayList<>();
      q.path("choices").forEach(c -> choices.add(c.asString()));
      List<Rule> logic = new ArrayList<>();
      for (JsonNode r : q.path("logic")) {
        logic.add(
            new Rule(
                r.path("if").path("op").asString(),
                r.path("if").get("value"),
                r.path("then").path("jump_to").asString()));
      }
      questions.add(
          new Question(
              q.path("id").asString(),
              q.path("type").asString(),
              q.path("text").asString(),
              List.copyOf(choices),
              q.path("allow_other").asBoolean(false),
              q.path("scale").asInt(5),
              q.path("max_length").asInt(SurveySettings.DEFAULT_TEXT_MAX_LENGTH),
              q.path("required").asBoolean(false),
              List.copyOf(logic)));
    }
    JsonNode t = settings.path("targeting");
    JsonNode url = t.path("url");
    Targeting targeting =
        new Targeting(
            url.isObject() ? url.path("match").asString("exact") : null,
            url.isObject() ? url.path("value").asString() : null,
            t.path("event").isString() ? t.path("event").asString() : null,
            t.path("delay_seconds").asInt(0),
            t.path("once_per_contact").asBoolean(true),
            t.path("min_days_between_surveys").asInt(0));
    return new Survey(questions, targeting, settings.path("thank_you"));
  }

  public List<Question> questions() {
    return questions;
  }

  public Question question(String id) {
    return byId.get(id);
  }

  public Targeting targeting() {
    return targeting;
  }

  public JsonNode thankYou() {
    return thankYou;
  }

  /** The logic operators a question of {@code type} may use. */
  static Set<String> opsFor(String type) {
    if (type == null) {
      return PRESENCE_OPS;
    }
    return switch (type) {
      case "nps", "rating" -> NUMBER_OPS;
      case "single_choice" -> SINGLE_OPS;
      case "multiple_choice" -> MULTI_OPS;
      default -> PRESENCE_OPS;
    };
  }

  // --- targeting ---------------------------------------------------------------------------------

  /**
   * Whether a page at {@code url} (may be null: unknown) matches the survey's URL rule: the URL as
   * the widget sends it ({@code location.href}, where a browser percent-encodes every letter
   * outside ASCII and every space: {@code /%C3%BCber-uns}) or as people read it ({@code
   * /über-uns}), the rule's percent-escapes decoded the same way.
   */
  public boolean urlMatches(String url) {
    if (targeting.urlMatch() == null) {
      return true;
    }
    if (url == null) {
      return false;
    }
    String rule = targeting.urlValue();
    if (urlMatches(rule, url)) {
      return true;
    }
    String readableUrl = percentDecoded(url);
    String readableRule = percentDecoded(rule);
    return (!readableUrl.equals(url) || !readableRule.equals(rule))
        && urlMatches(readableRule, readableUrl);
  }

  private boolean urlMatches(String rule, String url) {
    return switch (targeting.urlMatch()) {
      case "contains" -> url.contains(rule);
      case "glob" -> globMatches(rule, url);
      default -> url.equals(rule);
    };
  }

  /**
   * {@code text} with each run of percent-escapes that is UTF-8 decoded ({@code %C3%BC} is {@code
   * ü}, {@code %20} a space); a malformed escape ({@code %ZZ}) or a run that is not UTF-8 stays as
   * written.
   */
  static String percentDecoded(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    ByteArrayOutputStream run = new ByteArrayOutputStream();
    int i = 0;
    while (i < text.length()) {
      int start = i;
      run.reset();
      while (i + 2 < text.length()
          && text.charAt(i) == '%'
          && Character.digit(text.charAt(i + 1), 16) >= 0
          && Character.digit(text.charAt(i + 2), 16) >= 0) {
        run.write(
            Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
        i += 3;
      }
      if (run.size() > 0) {
        try {
          out.append(
              StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(run.toByteArray())));
        } catch (CharacterCodingException e) {
          out.append(text, start, i);
        }
      } else {
        out.append(text.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  /** Whether a widget request for {@code event} (null: a page view) triggers the survey. */
  public boolean triggeredBy(String event) {
    return targeting.event() == null ? event == null : targeting.event().equals(event);
  }

  /**
   * Whether {@code text} matches {@code glob}, where {@code *} matches any run of characters
   * (slashes included) and everything else is literal.
   *
   * <p>Matched without a regular expression, in time linear in the text for each literal part: the
   * first part must start the text and the last end it, and each part in between is found at its
   * leftmost place after the one before (taking the leftmost place never loses a match, since a
   * {@code *} takes whatever lies between). The regular expression {@code .*a.*b.*c} it replaced
   * backtracked over every way to split a text that does not match: the glob {@code
   * https://app.example.com/*}{@code /*}{@code /*}{@code /edit} against a visitor's URL of 1,970
   * slashes (a widget request may send 2,000 characters) took over ten seconds of CPU per request.
   */
  static boolean globMatches(String glob, String text) {
    String[] parts = glob.split("\\*", -1);
    if (parts.length == 1) {
      return text.equals(glob);
    }
    String first = parts[0];
    String last = parts[parts.length - 1];
    int end = text.length() - last.length();
    if (!text.startsWith(first) || end < first.length() || !text.startsWith(last, end)) {
      return false;
    }
    int at = first.length();
    for (int i = 1; i < parts.length - 1; i++) {
      int found = text.indexOf(parts[i], at);
      if (found < 0 || found + parts[i].length() > end) {
        return false;
      }
      at = found + parts[i].length();
    }
    return true;
  }

  // --- answers -----------------------------------------------------------------------------------

  /**
   * Whether a stored or submitted answer counts as answered: not null, not an empty list, and not a
   * text that shows nothing (spaces, no-break spaces, zero-width or bidi characters only: {@link
   * SocialProofMasking#showsNothing}, the rule question texts and choices are held to).
   */
  public static boolean isAnswered(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return false;
    }
    if (v.isString()) {
      return !SocialProofMasking.showsNothing(v.asString());
    }
    if (v.isArray()) {
      return !v.isEmpty();
    }
    return true;
  }

  /**
   * Whether a stored answer has the shape {@code q} asks for now: a score in its range, one of its
   * choices (or another text when it allows one), a list of those, a text. An answer stored before
   * the question changed, or validated against an older copy of the survey, may not; results skip
   * such answers ({@link SurveyTally}). Lengths are not checked: a stored text stays a text.
   */
  public static boolean fits(Question q, JsonNode v) {
    return switch (q.type()) {
      case "nps", "rating" -> SettingsValidation.isIntegerIn(v, q.min(), q.max());
      case "single_choice" -> v.isString() && isChoice(q, v.asString());
      case "multiple_choice" -> {
        if (!v.isArray()) {
          yield false;
        }
        for (JsonNode c : v) {
          if (!c.isString() || !isChoice(q, c.asString())) {
            yield false;
          }
        }
        yield true;
      }
      default -> v.isString();
    };
  }

  private static boolean isChoice(Question q, String answer) {
    return q.choices().contains(answer) || q.allowOther();
  }

  /**
   * The problems of submitted answers ({@code {question id: value}}), each naming its field ({@code
   * answers.q1}); a null value clears an answer and is always valid.
   */
  public List<ErrorDetail> checkAnswers(JsonNode answers, String path) {
    List<ErrorDetail> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : answers.properties()) {
      String field = path + "." + e.getKey();
      Question q = byId.get(e.getKey());
      JsonNode v = e.getValue();
      if (q == null) {
        problems.add(
            ErrorDetail.of(
                field, "unknown_question", "This survey has no question '" + e.getKey() + "'."));
        continue;
      }
      if (v == null || v.isNull()) {
        continue;
      }
      switch (q.type()) {
        case "nps", "rating" -> {
          if (!v.isNumber()) {
            problems.add(
                ErrorDetail.of(
                    field,
                    "invalid_type",
                    "The answer is an integer from " + q.min() + " to " + q.max() + "."));
          } else if (!SettingsValidation.isIntegerIn(v, q.min(), q.max())) {
            problems.add(
                ErrorDetail.of(
                    field,
                    "out_of_range",
                    "The answer is an integer from " + q.min() + " to " + q.max() + "."));
          }
        }
        case "single_choice" -> {
          if (!v.isString()) {
            problems.add(ErrorDetail.of(field, "invalid_type", "The answer is a chosen text."));
          } else if (!choiceOk(q, v.asString())) {
            problems.add(ErrorDetail.of(field, "invalid_choice", choiceMessage(q)));
          }
        }
        case "multiple_choice" -> {
          if (!v.isArray() || v.size() > q.choices().size() + 1) {
            problems.add(
                ErrorDetail.of(field, "invalid_type", "The answer is a list of chosen texts."));
            break;
          }
          Set<String> seen = new HashSet<>();
          boolean other = false;
          for (int k = 0; k < v.size(); k++) {
            JsonNode c = v.get(k);
            if (!c.isString()) {
              problems.add(
                  ErrorDetail.of(field + "[" + k + "]", "invalid_type", "A choice is a text."));
            } else if (!choiceOk(q, c.asString())) {
              problems.add(
                  ErrorDetail.of(field + "[" + k + "]", "invalid_choice", choiceMessage(q)));
            } else if (!seen.add(
                Objects.requireNonNullElse(listedChoice(q, c.asString()), c.asString()))) {
              problems.add(
                  ErrorDetail.of(
                      field + "[" + k + "]", "duplicate_choice", "Each choice is listed once."));
            } else if (listedChoice(q, c.asString()) == null && other) {
              // One "Other" box: a second text would count one visitor twice under "other".
              problems.add(
                  ErrorDetail.of(
                      field + "[" + k + "]",
                      "too_many_other",
                      "At most one text other than the choices."));
            } else if (listedChoice(q, c.asString()) == null) {
              other = true;
            }
          }
        }
        default -> {
          if (!v.isString()) {
            problems.add(ErrorDetail.of(field, "invalid_type", "The answer is a text."));
          } else if (!TextLength.atMost(v.asString(), q.maxLength())) {
            problems.add(
                ErrorDetail.of(
                    field, "too_long", "The answer has at most " + q.maxLength() + " characters."));
          }
        }
      }
    }
    return problems;
  }

  private static boolean choiceOk(Question q, String choice) {
    if (listedChoice(q, choice) != null) {
      return true;
    }
    return q.allowOther()
        && !SocialProofMasking.showsNothing(choice)
        && TextLength.atMost(choice, MAX_OTHER_LENGTH);
  }

  /**
   * The choice of {@code q} that {@code answer} is as a visitor sees it: the choice written exactly
   * so, or the one equal to it once both are cleaned ({@link SocialProofMasking#clean}: NFC, no
   * invisible characters, spaces collapsed), the rule by which two choices are duplicates ({@link
   * SurveySettings}, so at most one matches); null when it is none of them.
   */
  static String listedChoice(Question q, String answer) {
    if (q.choices().contains(answer)) {
      return answer;
    }
    String visible = SocialProofMasking.clean(answer);
    for (String c : q.choices()) {
      if (SocialProofMasking.clean(c).equals(visible)) {
        return c;
      }
    }
    return null;
  }

  /**
   * {@code answers} (as {@link #checkAnswers} accepts them) as they are stored: every choice
   * written as its question lists it ({@link #listedChoice}), so the results count it under its
   * choice and logic rules on the choice match it, and every score as the integer it is ({@code
   * 10.0} and {@code 1e1} are 10), so the results count it under its value and the API, the event
   * and the webhook show it as one.
   */
  public JsonNode asStored(JsonNode answers) {
    ObjectNode out = ((ObjectNode) answers).deepCopy();
    for (Map.Entry<String, JsonNode> e : answers.properties()) {
      Question q = byId.get(e.getKey());
      JsonNode v = e.getValue();
      if (q == null || v == null) {
        continue;
      }
      switch (q.type()) {
        case "nps", "rating" -> {
          if (v.isNumber() && !v.isIntegralNumber()) {
            out.put(e.getKey(), score(v));
          }
        }
        case "single_choice" -> {
          String listed = v.isString() ? listedChoice(q, v.asString()) : null;
          if (listed != null) {
            out.put(e.getKey(), listed);
          }
        }
        case "multiple_choice" -> {
          if (v.isArray()) {
            ArrayNode items = out.putArray(e.getKey());
            for (JsonNode c : v) {
              String listed = c.isString() ? listedChoice(q, c.asString()) : null;
              if (listed != null) {
                items.add(listed);
              } else {
                items.add(c);
              }
            }
          }
        }
        default -> {}
      }
    }
    return out;
  }

  /**
   * The integer value of a score that {@link #fits} its question, however written ({@code 10},
   * {@code 10.0}, {@code 1e1}).
   */
  public static int score(JsonNode v) {
    return v.isIntegralNumber() ? v.intValue() : v.decimalValue().intValueExact();
  }

  private static String choiceMessage(Question q) {
    return q.allowOther()
        ? "The answer is one of the choices or another text of at most "
            + MAX_OTHER_LENGTH
            + " characters."
        : "The answer is one of the question's choices.";
  }

  /**
   * The required questions on the path of {@code answers} (the questions a visitor is shown, given
   * the logic) that have no answer: a complete response may not leave them out.
   */
  public List<ErrorDetail> checkComplete(JsonNode answers, String path) {
    return checkComplete(answers, path, null);
  }

  /**
   * As {@link #checkComplete(JsonNode, String)}, asking only the questions of {@code shown} (the
   * ids of the survey as the visitor was shown it; null: every question): a required question added
   * after the visitor's copy was fetched is not required of them.
   */
  public List<ErrorDetail> checkComplete(JsonNode answers, String path, Set<String> shown) {
    List<ErrorDetail> problems = new ArrayList<>();
    for (Question q : path(answers)) {
      if (q.required()
          && (shown == null || shown.contains(q.id()))
          && !isAnswered(answers.get(q.id()))) {
        problems.add(
            ErrorDetail.of(
                path + "." + q.id(), "required", "Question '" + q.id() + "' needs an answer."));
      }
    }
    return problems;
  }

  /**
   * The questions a visitor with {@code answers} is shown, in order: from the first question, each
   * question's first matching rule jumps (forward, or to the end), else the next question follows.
   */
  public List<Question> path(JsonNode answers) {
    List<Question> path = new ArrayList<>();
    int i = 0;
    while (i < questions.size()) {
      Question q = questions.get(i);
      path.add(q);
      String target = null;
      JsonNode answer = answers.get(q.id());
      for (Rule r : q.logic()) {
        if (matches(q, r, answer)) {
          target = r.jumpTo();
          break;
        }
      }
      if (target == null) {
        i++;
      } else if (target.equals(END)) {
        break;
      } else {
        int next = indexOf(target);
        // Validation only lets rules jump forward; guard anyway so a walk always ends.
        i = next > i ? next : i + 1;
      }
    }
    return path;
  }

  /**
   * The ids of {@code answers} to questions of this survey that the answers' own logic skips
   * ({@link #path}): given on a branch the visitor left. A completed response does not keep them,
   * so what it lists, what its event and webhook carry and what the results count agree.
   */
  public List<String> offPath(JsonNode answers) {
    Set<String> onPath = new HashSet<>();
    path(answers).forEach(q -> onPath.add(q.id()));
    List<String> off = new ArrayList<>();
    for (String id : answers.propertyNames()) {
      if (byId.containsKey(id) && !onPath.contains(id)) {
        off.add(id);
      }
    }
    return off;
  }

  private int indexOf(String id) {
    for (int i = 0; i < questions.size(); i++) {
      if (questions.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  static boolean matches(Question q, Rule r, JsonNode answer) {
    boolean answered = isAnswered(answer);
    if (r.op().equals("answered")) {
      return answered;
    }
    if (r.op().equals("skipped")) {
      return !answered;
    }
    if (!answered || r.value() == null) {
      return false;
    }
    return switch (r.op()) {
      case "eq" -> same(answer, r.value());
      case "neq" -> !same(answer, r.value());
      case "gt" -> number(answer) > number(r.value());
      case "gte" -> number(answer) >= number(r.value());
      case "lt" -> number(answer) < number(r.value());
      case "lte" -> number(answer) <= number(r.value());
      case "in" -> {
        for (JsonNode v : r.value()) {
          if (same(answer, v)) {
            yield true;
          }
        }
        yield false;
      }
      case "contains" -> {
        if (!answer.isArray()) {
          yield false;
        }
        for (JsonNode v : answer) {
          if (same(v, r.value())) {
            yield true;
          }
        }
        yield false;
      }
      default -> false;
    };
  }

  private static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.isString() && b.isString() && a.asString().equals(b.asString());
  }

  private static double number(JsonNode v) {
    return v.isNumber() ? v.doubleValue() : Double.NaN;
  }
}
