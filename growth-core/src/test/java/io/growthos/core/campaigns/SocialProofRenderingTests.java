package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Templates, fallbacks and masked values, table by table. A cell {@code <none>} means "left out of
 * the feed" (rendered) or "not shown" (masked value).
 */
class SocialProofRenderingTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  private static String render(String template, String traits, String event, Duration age) {
    SocialProofFeeds.Row row =
        new SocialProofFeeds.Row(
            "evt_1",
            "cntct_1",
            event,
            NOW.minus(age),
            "anna.schmidt@example.com",
            "usr_9431",
            JSON.readTree(traits));
    return SocialProofFeeds.render(
            SocialProofTemplate.parse(template, SocialProofTemplate.ITEM_PLACEHOLDERS), row, NOW)
        .orElse("<none>");
  }

  @ParameterizedTest(name = "{0} with {1} -> {2}")
  @CsvSource(
      delimiter = '¦',
      quoteCharacter = '`',
      textBlock =
          """
          {first_name} from {city} signed up {time_ago} ¦ {"first_name": "Anna", "city": "Berlin"} ¦ Anna from Berlin signed up 5 minutes ago
          {first_name} from {city|somewhere} {time_ago} ¦ {"first_name": "Anna"}                   ¦ Anna from somewhere 5 minutes ago
          {first_name} from {city} signed up            ¦ {"first_name": "Anna"}                   ¦ <none>
          {first_name} signed up                        ¦ {}                                       ¦ Someone signed up
          {first_name|A visitor} signed up              ¦ {}                                       ¦ A visitor signed up
          {first_name|} signed up                       ¦ {}                                       ¦ signed up
          {name} signed up                              ¦ {"first_name": "Anna", "last_name": "Schmidt"} ¦ Anna S. signed up
          {name} signed up                              ¦ {"name": "Anna Maria Schmidt"}           ¦ Anna S. signed up
          {name} signed up                              ¦ {"name": "Anna"}                         ¦ Anna signed up
          {first_name} signed up                        ¦ {"first_name": "anna.schmidt@example.com"} ¦ Someone signed up
          {first_name} signed up                        ¦ {"first_name": "anna@example.com"}       ¦ Someone signed up
          {first_name} signed up                        ¦ {"first_name": "Anna2"}                  ¦ Someone signed up
          {first_name} signed up                        ¦ {"first_name": "Anna Schmidt"}           ¦ Anna signed up
          {first_name} signed up                        ¦ {"first_name": "  José  "}               ¦ José signed up
          {first_name} signed up                        ¦ {"first_name": "An\\u202Ena"}             ¦ Anna signed up
          {first_name} signed up                        ¦ {"first_name": "usr_9431"}               ¦ Someone signed up
          {first_name} signed up                        ¦ {"first_name": 42}                       ¦ Someone signed up
          {first_name} {city}                           ¦ {"first_name": "Anna", "city": "Schmidt", "last_name": "Schmidt"} ¦ <none>
          {first_name} {city|} joined                   ¦ {"first_name": "Anna", "city": "Schmidt", "last_name": "Schmidt"} ¦ Someone joined
          {first_name} from {city}                      ¦ {"first_name": "Anna", "address": {"city": "Köln"}} ¦ Anna from Köln
          {first_name} from {city|nowhere}              ¦ {"first_name": "Anna", "city": "10115 Berlin"} ¦ Anna from nowhere
          {first_name} from {country}                   ¦ {"first_name": "Anna", "country": "Germany"} ¦ Anna from Germany
          {first_name} did {event} {time_ago}           ¦ {"first_name": "Anna"}                   ¦ Anna did Signed Up 5 minutes ago
          {{{first_name}}}                              ¦ {"first_name": "Anna"}                   ¦ {Anna}
          """)
  void rendersTemplatesWithMaskedValuesAndFallbacks(
      String template, String traits, String expected) {
    assertThat(render(template, traits, "Signed Up", Duration.ofMinutes(5))).isEqualTo(expected);
  }

  /**
   * Chinese, Japanese and Korean names are written without a space between family and given name: a
   * {@code name} trait of one such word is the full name ("李小龙", "山田太郎", "김민준"), which the feed
   * never shows. Before, the first word of {@code name} was taken as the first name, so the whole
   * name was shown. A {@code first_name} trait is shown as given; a Latin one-word {@code name} is
   * still a first name.
   */
  @ParameterizedTest(name = "{0} with {1} -> {2}")
  @CsvSource(
      delimiter = '¦',
      quoteCharacter = '`',
      textBlock =
          """
          {first_name} signed up ¦ {"name": "李小龙"}                          ¦ Someone signed up
          {name} signed up       ¦ {"name": "山田太郎"}                        ¦ Someone signed up
          {name} signed up       ¦ {"name": "김민준"}                          ¦ Someone signed up
          {first_name} joined    ¦ {"name": "ヤマダタロウ"}                     ¦ Someone joined
          {first_name} joined    ¦ {"name": "李小龙", "first_name": "小龙"}     ¦ 小龙 joined
          {name} joined          ¦ {"first_name": "민준", "last_name": "김"}   ¦ 민준 joined
          {first_name} joined    ¦ {"name": "Madonna"}                        ¦ Madonna joined
          """)
  void aOneWordNameInAScriptWithoutSpacesIsAFullNameAndNotShown(
      String template, String traits, String expected) {
    assertThat(render(template, traits, "Signed Up", Duration.ofMinutes(5))).isEqualTo(expected);
  }

  /**
   * The initial of a family name of one letter is the whole family name: "小明 王." and "민준 김." were
   * the full names 王小明 and 김민준, shown on the public feed and leaderboards (a black-box review,
   * 2026-12-07). Chinese, Japanese and Korean family names get no initial at all, a Latin one of
   * one letter none either; a first name that holds the family name is a full name.
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '¦',
      quoteCharacter = '`',
      textBlock =
          """
          {"first_name": "小明", "last_name": "王"}       ¦ 小明 signed up
          {"first_name": "민준", "last_name": "김"}       ¦ 민준 signed up
          {"first_name": "小明", "last_name": "欧阳"}     ¦ 小明 signed up
          {"name": "小明 王"}                            ¦ 小明 signed up
          {"first_name": "王小明", "last_name": "王"}     ¦ Someone signed up
          {"first_name": "Ada", "last_name": "L"}       ¦ Ada signed up
          {"first_name": "Ada", "last_name": "Lovelace"} ¦ Ada L. signed up
          """)
  void aFamilyNameWhoseInitialIsAllOfItIsNotShown(String traits, String expected) {
    assertThat(render("{name} signed up", traits, "Signed Up", Duration.ZERO)).isEqualTo(expected);
  }

  /**
   * A first name that is the contact's e-mail's local part is the address once the domain is
   * guessed: "annaschmidt" for annaschmidt@example.com was shown (a black-box review, 2026-12-07).
   * A local part that is only the given name of someone whose last name it lacks (anna@… of Anna
   * Schmidt) says no more than the name, and a first name that is only part of it ("anna" of
   * anna.schmidt@…) is fine.
   */
  @Test
  void aFirstNameThatIsTheEmailsLocalPartIsNotShown() {
    JsonNode handle = JSON.readTree("{\"first_name\": \"annaschmidt\", \"city\": \"Madrid\"}");
    assertThat(
            SocialProofMasking.leaks(
                "annaschmidt from Madrid", "annaschmidt@example.com", null, handle))
        .isTrue();
    assertThat(
            SocialProofMasking.leaks("Anna from Madrid", "anna.schmidt@example.com", null, handle))
        .isFalse();
    assertThat(DisplayNames.masked("AnnaSchmidt", null, null, "annaschmidt@example.com", "Someone"))
        .as("the leaderboards' names are held to the same check")
        .isEqualTo("Someone");
    assertThat(DisplayNames.masked("Anna", "Schmidt", null, "anna.schmidt@example.com", "Someone"))
        .isEqualTo("Anna S.");
    assertThat(DisplayNames.masked("Anna", "Schmidt", null, "anna@example.com", "Someone"))
        .isEqualTo("Anna S.");
    assertThat(DisplayNames.masked("Anna", null, null, "anna@example.com", "Someone"))
        .as("without a last name, anna@ cannot be told from annaschmidt@")
        .isEqualTo("Someone");
    assertThat(DisplayNames.masked("Annaschmidt", "Schmidt", null, "annaschmidt@example.com", "x"))
        .isEqualTo("x");
  }

  @ParameterizedTest(name = "{0}s -> {1}")
  @CsvSource({
    "0, just now",
    "59, just now",
    "60, 1 minute ago",
    "299, 4 minutes ago",
    "3599, 59 minutes ago",
    "3600, 1 hour ago",
    "7300, 2 hours ago",
    "86399, 23 hours ago",
    "86400, 1 day ago",
    "259200, 3 days ago",
    "1209600, 2 weeks ago",
    "5184000, 2 months ago",
    "-30, just now"
  })
  void timeAgoIsCoarse(long seconds, String expected) {
    assertThat(SocialProofMasking.timeAgo(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '¦',
      quoteCharacter = '`',
      textBlock =
          """
          Anna         ¦ Anna
          anne-marie   ¦ anne-marie
          O'Neil       ¦ O'Neil
          Zoë          ¦ Zoë
          李           ¦ 李
          a@b          ¦ <none>
          a＠b.com     ¦ <none>
          R2D2         ¦ <none>
          ١٢٣          ¦ <none>
          http://x.io  ¦ <none>
          @anna        ¦ <none>
          😀           ¦ <none>
          Annaannaannaannaannaannaa ¦ <none>
          """)
  void firstNamesThatDoNotLookLikeNamesAreNotShown(String given, String shown) {
    JsonNode traits = JSON.valueToTree(Map.of("first_name", given));
    assertThat(SocialProofMasking.firstName(traits).orElse("<none>")).isEqualTo(shown);
  }

  /**
   * A word with a dot between two runs of letters is a handle, an e-mail's local part or a domain
   * ({@code anna.schmidt}, {@code acme.com}), not a first name: integrations fill {@code name} or
   * {@code first_name} with the part of the e-mail before the {@code @} when they have no name, and
   * {@code first.last} is how most work addresses are made, so it is the full name. Before, it was
   * letters and dots and so shown whole: "anna.schmidt from Berlin signed up". A dot after an
   * initial ({@code J.R.}, {@code A.J.}) or at the end ({@code Wm.}) still is a name.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '¦',
      textBlock =
          """
          first_name ¦ anna.schmidt     ¦ <none>      ¦ Someone signed up
          name       ¦ john.doe         ¦ <none>      ¦ Someone signed up
          name       ¦ anna.schmidt Fox ¦ <none>      ¦ Someone signed up
          first_name ¦ acme.com         ¦ <none>      ¦ Someone signed up
          first_name ¦ www.acme.io      ¦ <none>      ¦ Someone signed up
          first_name ¦ J.R.             ¦ J.R.        ¦ J.R. signed up
          first_name ¦ A.J              ¦ A.J         ¦ A.J signed up
          first_name ¦ Wm.              ¦ Wm.         ¦ Wm. signed up
          name       ¦ J.R. Tolkien     ¦ J.R.        ¦ J.R. T. signed up
          """)
  void aHandleOrADomainWithADotInsideIsNoFirstName(
      String trait, String given, String shown, String message) {
    JsonNode traits = JSON.valueToTree(Map.of(trait, given));
    assertThat(SocialProofMasking.firstName(traits).orElse("<none>")).isEqualTo(shown);
    assertThat(
            render("{name} signed up", JSON.writeValueAsString(traits), "Signed Up", Duration.ZERO))
        .isEqualTo(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '¦',
      quoteCharacter = '`',
      textBlock =
          """
          Anna joined                      ¦ false
          anna.schmidt@example.com joined  ¦ true
          ANNA.SCHMIDT@EXAMPLE.COM         ¦ true
          x@y                              ¦ true
          user usr_9431 joined             ¦ true
          usr_94310 joined                 ¦ false
          Anna Schmidt joined              ¦ true
          Anna S. joined                   ¦ false
          anna.schmidt joined              ¦ true
          """)
  void leaksCatchesEmailsUserIdsAndFullNames(String message, boolean leaks) {
    JsonNode traits = JSON.readTree("{\"first_name\": \"Anna\", \"last_name\": \"Schmidt\"}");
    assertThat(SocialProofMasking.leaks(message, "anna.schmidt@example.com", "usr_9431", traits))
        .isEqualTo(leaks);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '¦',
      quoteCharacter = '`',
      textBlock =
          """
          {count} people signed up this week ¦ 1,234 people signed up this week
          Join {count} others                ¦ Join 1,234 others
          """)
  void rendersCounters(String template, String expected) {
    assertThat(
            SocialProofTemplate.parse(template, SocialProofTemplate.COUNTER_PLACEHOLDERS)
                .render(p -> Optional.of("1,234")))
        .contains(expected);
  }
}
