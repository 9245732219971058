package io.growthos.core.campaigns;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The results of a survey, tallied in one pass over its responses (partial and complete): per
 * question how many reached it (it was on the response's path), answered it and dropped off at it,
 * the distribution of answers, the average score and, for {@code nps} questions, the Net Promoter
 * Score.
 *
 * <p>Definitions (docs/surveys.md): an NPS answer of 9–10 is a promoter, 7–8 a passive, 0–6 a
 * detractor; NPS = 100 × (promoters − detractors) / answers, rounded to one decimal, halves away
 * from zero. A partial response dropped off at the first unanswered question on its path after its
 * last answer; a partial response with every question of its path answered dropped off at the
 * submit step and counts at no question.
 */
public final class SurveyTally {

  /** The Net Promoter Score of one question's answers; {@code score} is null with no answers. */
  public record Nps(Double score, long promoters, long passives, long detractors, long responses) {

    public static Nps of(long promoters, long passives, long detractors) {
      long n = promoters + passives + detractors;
      // Exact, half away from zero: Math.round rounds halves towards +infinity, so -0.25 was -0.2
      // while 0.25 was 0.3.
      Double score =
          n == 0
              ? null
              : BigDecimal.valueOf(100 * (promoters - detractors))
                  .divide(BigDecimal.valueOf(n), 1, RoundingMode.HALF_UP)
                  .doubleValue();
      return new Nps(score, promoters, passives, detractors, n);
    }
  }

  /**
   * @param distribution answer → count: every score of an nps/rating question, every choice of a
   *     choice question (plus {@code other} when other texts are allowed); empty for text
   * @param average the mean score of an nps/rating question; null otherwise or with no answers
   * @param nps for nps questions, else null
   */
  public record QuestionResult(
      String id,
      String type,
      String text,
      long reached,
      long answered,
      long droppedOff,
      Map<String, Long> distribution,
      Double average,
      Nps nps) {}

  private final Survey survey;
  private final Map<String, long[]> counts = new LinkedHashMap<>(); // reached, answered, dropped
  private final Map<String, Map<String, Long>> distributions = new LinkedHashMap<>();
  private final Map<String, long[]> sums = new LinkedHashMap<>(); // sum, n
  private long responses;
  private long completed;

  public SurveyTally(Survey survey) {
    this.survey = survey;
    for (Survey.Question q : survey.questions()) {
      counts.put(q.id(), new long[3]);
      sums.put(q.id(), new long[2]);
      Map<String, Long> d = new LinkedHashMap<>();
      switch (q.type()) {
        case "nps", "rating" -> {
          for (int s = q.min(); s <= q.max(); s++) {
            d.put(Integer.toString(s), 0L);
          }
        }
        case "single_choice", "multiple_choice" -> {
          q.choices().forEach(c -> d.put(c, 0L));
          if (q.allowOther()) {
            d.put(SurveySettings.OTHER, 0L);
          }
        }
        default -> {}
      }
      distributions.put(q.id(), d);
    }
  }

  /** Counts one response. */
  public void add(JsonNode answers, boolean isCompleted) {
    responses++;
    if (isCompleted) {
      completed++;
    }
    List<Survey.Question> path = survey.path(answers);
    int lastAnswered = -1;
    for (int i = 0; i < path.size(); i++) {
      if (answered(path.get(i), answers.get(path.get(i).id()))) {
        lastAnswered = i;
      }
    }
    for (int i = 0; i < path.size(); i++) {
      Survey.Question q = path.get(i);
      long[] c = counts.get(q.id());
      JsonNode a = answers.get(q.id());
      boolean answered = answered(q, a);
      if (!isCompleted && i > lastAnswered) {
        if (!answered) {
          c[0]++;
          c[2]++;
        }
        break;
      }
      c[0]++;
      if (answered) {
        c[1]++;
        count(q, a);
      }
    }
  }

  /**
   * Answered, with an answer of the shape the question asks for now. An answer of another shape
   * (stored before the question's type or choices changed) counts as no answer: counting it would
   * put keys in the distribution that the question does not have, or fail to read it at all.
   */
  private static boolean answered(Survey.Question q, JsonNode a) {
    return Survey.isAnswered(a) && Survey.fits(q, a);
  }

  private void count(Survey.Question q, JsonNode a) {
    Map<String, Long> d = distributions.get(q.id());
    switch (q.type()) {
      case "nps", "rating" -> {
        // Answered means it fits: an integer in range, though one stored before 2026-12-07 may
        // be written 10.0.
        int score = Survey.score(a);
        d.merge(Integer.toString(score), 1L, Long::sum);
        long[] s = sums.get(q.id());
        s[0] += score;
        s[1]++;
      }
      case "single_choice" -> d.merge(choiceKey(q, a.asString()), 1L, Long::sum);
      case "multiple_choice" -> {
        for (JsonNode c : a) {
          d.merge(choiceKey(q, c.asString()), 1L, Long::sum);
        }
      }
      default -> {}
    }
  }

  private static String choiceKey(Survey.Question q, String answer) {
    return q.choices().contains(answer) ? answer : SurveySettings.OTHER;
  }

  public long responses() {
    return responses;
  }

  public long completed() {
    return completed;
  }

  public List<QuestionResult> questions() {
    List<QuestionResult> out = new ArrayList<>();
    for (Survey.Question q : survey.questions()) {
      long[] c = counts.get(q.id());
      long[] s = sums.get(q.id());
      Map<String, Long> d = distributions.get(q.id());
      Double average = s[1] == 0 ? null : Math.round(100.0 * s[0] / s[1]) / 100.0;
      Nps nps = null;
      if (q.type().equals("nps")) {
        long promoters = d.get("9") + d.get("10");
        long passives = d.get("7") + d.get("8");
        long detractors = 0;
        for (int score = 0; score <= 6; score++) {
          detractors += d.get(Integer.toString(score));
        }
        nps = Nps.of(promoters, passives, detractors);
      }
      out.add(
          new QuestionResult(
              q.id(),
              q.type(),
              q.text(),
              c[0],
              c[1],
              c[2],
              d,
              q.type().equals("nps") || q.type().equals("rating") ? average : null,
              nps));
    }
    return out;
  }
}
