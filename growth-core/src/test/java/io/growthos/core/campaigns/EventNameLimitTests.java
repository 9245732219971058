package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.growthos.core.filter.FilterParser;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.events.EventNames;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * An event name is what the Ingest API stores as a track's {@code event}: 1 to {@link
 * EventNames#MAX_CHARS} characters, counted in code points. Every place that names an event takes
 * the same names: a referral program's qualifying event and a social-proof source took at most 200,
 * a survey's trigger event at most 200, and a segment's {@code performed} any length, so an event
 * the Ingest API had stored could not be named in a campaign.
 */
class EventNameLimitTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** {@code n} emoji: n code points, 2n UTF-16 units. */
  static String astral(int n) {
    return "\uD83D\uDE80".repeat(n);
  }

  private static String quoted(String s) {
    return JsonNodeFactory.instance.stringNode(s).toString();
  }

  static Stream<Arguments> places() {
    Consumer<String> referral =
        name ->
            CampaignSettings.validate(
                CampaignType.REFERRAL,
                JSON.readTree(
                    "{\"landing_url\": \"https://example.com/join\", \"qualifying_event\":"
                        + " {\"event\": "
                        + quoted(name)
                        + "}}"));
    Consumer<String> socialProof =
        name ->
            CampaignSettings.validate(
                CampaignType.SOCIAL_PROOF,
                JSON.readTree(
                    "{\"source\": {\"event\": "
                        + quoted(name)
                        + "}, \"template\": \"{first_name|Someone} signed up\"}"));
    Consumer<String> survey =
        name ->
            CampaignSettings.validate(
                CampaignType.SURVEY,
                JSON.readTree("{\"targeting\": {\"event\": " + quoted(name) + "}}"));
    Consumer<String> segment =
        name ->
            FilterParser.parse(JSON.readTree("{\"performed\": " + quoted(name) + "}"), "filter");
    return Stream.of(
        Arguments.of("referral qualifying_event", referral, "settings.qualifying_event.event"),
        Arguments.of("social proof source", socialProof, "settings.source.event"),
        Arguments.of("survey targeting", survey, "settings.targeting.event"),
        Arguments.of("filter performed", segment, "filter.performed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("places")
  void everyPlaceThatNamesAnEventTakesTheNamesTheIngestApiStores(
      String place, Consumer<String> validate, String field) {
    assertThatCode(() -> validate.accept(astral(EventNames.MAX_CHARS)))
        .as("%s: %d emoji, as ingest stores them", place, EventNames.MAX_CHARS)
        .doesNotThrowAnyException();
    assertThatCode(() -> validate.accept("x".repeat(EventNames.MAX_CHARS)))
        .as(place)
        .doesNotThrowAnyException();
    List<ErrorDetail> refused = refusal(() -> validate.accept(astral(EventNames.MAX_CHARS + 1)));
    assertThat(refused)
        .extracting(ErrorDetail::field, ErrorDetail::reason)
        .as(place)
        .contains(org.assertj.core.groups.Tuple.tuple(field, "too_long"));
  }

  private static List<ErrorDetail> refusal(Runnable call) {
    try {
      call.run();
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      return e.details();
    }
    throw new AssertionError("accepted");
  }
}
