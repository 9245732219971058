package io.growthos.management.surveys;

import io.growthos.core.campaigns.CampaignType;
import io.growthos.core.campaigns.Survey;
import io.growthos.core.campaigns.SurveyTally;
import io.growthos.management.campaigns.CampaignSubResource;
import io.growthos.management.paging.Cursors;
import io.growthos.management.paging.Page;
import io.growthos.management.paging.PageRequest;
import io.growthos.model.errors.ApiException;
import io.growthos.model.values.SqlInstants;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a survey campaign's responses: the summary (one pass over every response, {@link
 * SurveyTally}), the export, and one question's answers. Responses are keyed for paging by their
 * insertion sequence, newest first.
 */
@Service
class SurveyResultsService {

  static final String RESPONSES = "survey_responses";
  static final String ANSWERS = "survey_answers";

  /**
   * Responses the results read from the database at a time (the driver streams only inside a
   * transaction, which {@link #results} is).
   */
  static final int STREAM_ROWS = 1000;

  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final Cursors cursors;

  SurveyResultsService(JdbcTemplate jdbc, JsonMapper json, Cursors cursors) {
    this.jdbc = jdbc;
    this.json = json;
    this.cursors = cursors;
  }

  @Transactional(readOnly = true)
  public SurveyResultsResponse results(String ws, String campaignId) {
    Survey survey = survey(ws, campaignId);
    SurveyTally tally = new SurveyTally(survey);
    // Streamed, STREAM_ROWS at a time: without a fetch size the driver reads every response into
    // memory before the first is tallied, and 2,000,000 responses ended the management service
    // (OutOfMemoryError at -Xmx256m, which the service options turn into an exit).
    jdbc.query(
        con -> {
          PreparedStatement ps =
              con.prepareStatement(
                  "select answers::text, completed from survey_responses"
                      + " where workspace_id = ? and campaign_id = ?");
          ps.setFetchSize(STREAM_ROWS);
          ps.setString(1, ws);
          ps.setString(2, campaignId);
          return ps;
        },
        (RowCallbackHandler) rs -> tally.add(json.readTree(rs.getString(1)), rs.getBoolean(2)));
    long[] interactions = new long[2];
    jdbc.query(
        "select kind, count(*) from survey_interactions where workspace_id = ? and campaign_id = ?"
            + " group by kind",
        rs -> {
          interactions[rs.getString(1).equals("display") ? 0 : 1] = rs.getLong(2);
        },
        ws,
        campaignId);
    List<SurveyResultsResponse.QuestionResult> questions = new ArrayList<>();
    SurveyResultsResponse.Nps first = null;
    for (SurveyTally.QuestionResult q : tally.questions()) {
      SurveyResultsResponse.Nps nps = nps(q.nps());
      if (first == null && nps != null) {
        first = nps;
      }
      questions.add(
          new SurveyResultsResponse.QuestionResult(
              q.id(),
              q.type(),
              q.text(),
              q.reached(),
              q.answered(),
              q.droppedOff(),
              q.distribution(),
              q.average(),
              nps));
    }
    long responses = tally.responses();
    Double rate =
        responses == 0 ? null : Math.round(10000.0 * tally.completed() / responses) / 10000.0;
    return new SurveyResultsResponse(
        "survey_results",
        campaignId,
        interactions[0],
        interactions[1],
        responses,
        tally.completed(),
        responses - tally.completed(),
        rate,
        first,
        questions);
  }

  private static SurveyResultsResponse.Nps nps(SurveyTally.Nps n) {
    return n == null
        ? null
        : new SurveyResultsResponse.Nps(
            n.score(), n.promoters(), n.passives(), n.detractors(), n.responses());
  }

  @Transactional(readOnly = true)
  public Page<SurveyResponseView> responses(
      String ws, String campaignId, Boolean completed, int limit, String cursor) {
    survey(ws, campaignId);
    PageRequest.checkLimit(limit);
    String tenant = ws + "/" + campaignId;
    String filters = completed == null ? "" : "completed=" + completed;
    Long before =
        cursor == null || cursor.isEmpty()
            ? null
            : Long.valueOf(cursors.decode(cursor, RESPONSES, tenant, filters));
    List<Object> args = new ArrayList<>(List.of(ws, campaignId));
    if (completed != null) {
      args.add(completed);
    }
    if (before != null) {
      args.add(before);
    }
    args.add(limit + 1);
    List<Row<SurveyResponseView>> rows =
        jdbc.query(
            "select seq, response_id, campaign_id, contact_id, anonymous_id, user_id,"
                + " answers::text, completed, url, created_at, updated_at, completed_at"
                + " from survey_responses where workspace_id = ? and campaign_id = ?"
                + (completed == null ? "" : " and completed = ?")
                + (before == null ? "" : " and seq < ?")
                + " order by seq desc limit ?",
            (rs, i) -> new Row<>(rs.getLong(1), view(rs)),
            args.toArray());
    return Page.of(
        rows,
        limit,
        r -> Long.toString(r.seq()),
        last -> cursors.encode(RESPONSES, tenant, filters, last),
        kept -> kept.stream().map(Row::value).toList());
  }

  @Transactional(readOnly = true)
  public Page<SurveyAnswerView> answers(
      String ws, String campaignId, String questionId, int limit, String cursor) {
    Survey survey = survey(ws, campaignId);
    if (survey.question(questionId) == null) {
      throw ApiException.notFound("question", questionId, "qid");
    }
    PageRequest.checkLimit(limit);
    String tenant = ws + "/" + campaignId;
    Long before =
        cursor == null || cursor.isEmpty()
            ? null
            : Long.valueOf(cursors.decode(cursor, ANSWERS, tenant, questionId));
    List<Object> args = new ArrayList<>(List.of(questionId, ws, campaignId, questionId));
    if (before != null) {
      args.add(before);
    }
    args.add(limit + 1);
    List<Row<SurveyAnswerView>> rows =
        jdbc.query(
            "select seq, response_id, (answers -> ?)::text, contact_id, completed, updated_at"
                + " from survey_responses where workspace_id = ? and campaign_id = ?"
                + " and answers -> ? is not null"
                + (before == null ? "" : " and seq < ?")
                + " order by seq desc limit ?",
            (rs, i) ->
                new Row<>(
                    rs.getLong(1),
                    new SurveyAnswerView(
                        rs.getString(2),
                        "survey_answer",
                        questionId,
                        json.readValue(rs.getString(3), Object.class),
                        rs.getString(4),
                        rs.getBoolean(5),
                        SqlInstants.get(rs, 6))),
            args.toArray());
    return Page.of(
        rows,
        limit,
        r -> Long.toString(r.seq()),
        last -> cursors.encode(ANSWERS, tenant, questionId, last),
        kept -> kept.stream().map(Row::value).toList());
  }

  private record Row<T>(long seq, T value) {}

  @SuppressWarnings("unchecked")
  private SurveyResponseView view(ResultSet rs) throws SQLException {
    return new SurveyResponseView(
        rs.getString("response_id"),
        "survey_response",
        rs.getString("campaign_id"),
        rs.getString("contact_id"),
        rs.getString("anonymous_id"),
        rs.getString("user_id"),
        json.readValue(rs.getString("answers"), Map.class),
        rs.getBoolean("completed"),
        rs.getString("url"),
        SqlInstants.get(rs, "created_at"),
        SqlInstants.get(rs, "updated_at"),
        SqlInstants.get(rs, "completed_at"));
  }

  /**
   * The survey of a campaign of the workspace: 404 for another workspace's, 422 for a campaign of
   * another type ({@link CampaignSubResource#SURVEY_RESULTS}).
   */
  private Survey survey(String ws, String campaignId) {
    List<String[]> found =
        jdbc.query(
            "select type, settings::text from campaigns where workspace_id = ? and id = ?",
            (rs, i) -> new String[] {rs.getString(1), rs.getString(2)},
            ws,
            campaignId);
    if (found.isEmpty()) {
      throw ApiException.notFound("campaign", campaignId, "id");
    }
    CampaignSubResource.SURVEY_RESULTS.check(
        CampaignType.ofWireName(found.get(0)[0]).orElseThrow());
    JsonNode settings = json.readTree(found.get(0)[1]);
    return Survey.of(settings);
  }
}
