package io.growthos.core.campaigns;

import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.values.TextLength;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A social-proof message template: text with placeholders {@code {name}} or {@code
 * {name|fallback}}; {@code {{} and {@code }}} write literal braces.
 *
 * <p>Rendering: a placeholder with a value shows the value; without one it shows its fallback
 * (which may be empty: {@code {city|}}); without a fallback, {@code first_name} and {@code name}
 * show {@value #SOMEONE} and any other missing placeholder means the message cannot be rendered
 * (the item is left out of the feed rather than shown as "Anna from signed up").
 *
 * <p>Values are the masked ones of {@link SocialProofMasking}; this class only assembles text.
 */
public final class SocialProofTemplate {

  /** Longest template, in characters. */
  public static final int MAX_LENGTH = 300;

  /** Longest fallback text, in characters. */
  public static final int MAX_FALLBACK = 60;

  /** What a missing name shows when the template gives no fallback. */
  public static final String SOMEONE = "Someone";

  /** Placeholders of item templates. */
  public static final Set<String> ITEM_PLACEHOLDERS =
      Set.of("first_name", "name", "city", "country", "event", "time_ago");

  /** Placeholders of counter templates. */
  public static final Set<String> COUNTER_PLACEHOLDERS = Set.of("count");

  private static final Map<String, String> DEFAULTS =
      Map.of("first_name", SOMEONE, "name", SOMEONE);

  /** A literal run of text, or a placeholder (text null). */
  private record Part(String text, String placeholder, String fallback) {}

  private static final Pattern DOUBLE_SPACE = Pattern.compile(" {2,}");

  private final List<Part> parts;

  private SocialProofTemplate(List<Part> parts) {
    this.parts = parts;
  }

  /**
   * Parses a template that {@link #problems} found valid.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static SocialProofTemplate parse(String template, Set<String> placeholders) {
    List<ErrorDetail> problems = new ArrayList<>();
    List<Part> parts = read(template, placeholders, "template", problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(problems.get(0).message());
    }
    return new SocialProofTemplate(parts);
  }

  /** What is wrong with {@code template}, each naming {@code path}; empty when it is valid. */
  public static List<ErrorDetail> problems(String template, Set<String> placeholders, String path) {
    List<ErrorDetail> problems = new ArrayList<>();
    read(template, placeholders, path, problems);
    return problems;
  }

  /**
   * Whether every message of this template is e-mail-shaped ({@link SocialProofMasking#leaks}), and
   * so left out of the feed: with every value given, or with none (its fallbacks), the text has an
   * at sign between two non-space characters.
   */
  public boolean alwaysEmailShaped() {
    return render(p -> Optional.of("x"))
            .filter(m -> SocialProofMasking.EMAIL_SHAPED.matcher(m).find())
            .isPresent()
        || render(p -> Optional.empty())
            .filter(m -> SocialProofMasking.EMAIL_SHAPED.matcher(m).find())
            .isPresent();
  }

  /** Whether the template uses {@code placeholder}. */
  public boolean uses(String placeholder) {
    return parts.stream().anyMatch(p -> placeholder.equals(p.placeholder()));
  }

  /**
   * The message with {@code values} (absent or null when a field is missing), or empty when a
   * placeholder without fallback or default has no value.
   */
  public Optional<String> render(Function<String, Optional<String>> values) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      if (part.text() != null) {
        out.append(part.text());
        continue;
      }
      Optional<String> value = values.apply(part.placeholder());
      if (value != null && value.isPresent()) {
        out.append(value.get());
      } else if (part.fallback() != null) {
        out.append(part.fallback());
      } else if (DEFAULTS.containsKey(part.placeholder())) {
        out.append(DEFAULTS.get(part.placeholder()));
      } else {
        return Optional.empty();
      }
    }
    // An empty fallback leaves two spaces where the value was.
    return Optional.of(DOUBLE_SPACE.matcher(out).replaceAll(" ").strip());
  }

  private static List<Part> read(
      String s, Set<String> placeholders, String path, List<ErrorDetail> problems) {
    List<Part> parts = new ArrayList<>();
    if (s.isBlank()) {
      problems.add(ErrorDetail.of(path, "required", "The template cannot be blank."));
      return parts;
    }
    if (!TextLength.atMost(s, MAX_LENGTH)) {
      problems.add(
          ErrorDetail.of(
              path, "too_long", "A template has at most " + MAX_LENGTH + " characters."));
      return parts;
    }
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '{' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
        literal.append('{');
        i += 2;
      } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
        literal.append('}');
        i += 2;
      } else if (c == '}') {
        problems.add(
            ErrorDetail.of(
                path, "invalid_template", "Unmatched '}' at " + i + "; write '}}' for a brace."));
        return parts;
      } else if (c == '{') {
        int end = s.indexOf('}', i);
        if (end < 0) {
          problems.add(
              ErrorDetail.of(
                  path, "invalid_template", "Unclosed '{' at " + i + "; write '{{' for a brace."));
          return parts;
        }
        String body = s.substring(i + 1, end);
        int bar = body.indexOf('|');
        String name = (bar < 0 ? body : body.substring(0, bar)).strip();
        String fallback = bar < 0 ? null : body.substring(bar + 1);
        if (!placeholders.contains(name)) {
          problems.add(
              ErrorDetail.of(
                  path,
                  "unknown_placeholder",
                  "Unknown placeholder '{"
                      + name
                      + "}'; this template takes "
                      + String.join(", ", placeholders.stream().sorted().toList())
                      + "."));
          return parts;
        }
        if (fallback != null
            && (!TextLength.atMost(fallback, MAX_FALLBACK) || fallback.contains("{"))) {
          problems.add(
              ErrorDetail.of(
                  path,
                  "invalid_template",
                  "A fallback is text of at most "
                      + MAX_FALLBACK
                      + " characters, without braces."));
          return parts;
        }
        if (fallback != null && fallback.contains("|")) {
          problems.add(
              ErrorDetail.of(path, "invalid_template", "A placeholder has at most one fallback."));
          return parts;
        }
        if (!literal.isEmpty()) {
          parts.add(new Part(literal.toString(), null, null));
          literal.setLength(0);
        }
        parts.add(new Part(null, name, fallback));
        i = end + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (!literal.isEmpty()) {
      parts.add(new Part(literal.toString(), null, null));
    }
    return parts;
  }
}
