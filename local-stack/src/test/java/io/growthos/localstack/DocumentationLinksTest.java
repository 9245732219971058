package io.growthos.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The user documentation (README.md and docs/*.md) links to files and to sections of other pages; a
 * link whose file or heading does not exist sends a reader nowhere. Anchors are computed as GitHub
 * computes them for a heading: lower case, every character that is not a letter, digit, space, '-'
 * or '_' dropped (so "15:30–16:05" becomes "15301605"), spaces turned into '-', and "-1", "-2" …
 * appended to repeated headings.
 */
class DocumentationLinksTest {

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern INLINE_LINK = Pattern.compile("\\[([^\\]]*)\\]\\([^)]*\\)");

  @Test
  void everyRelativeLinkOfTheUserDocsOpensAFileAndAHeadingThatExist() throws IOException {
    Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    assertThat(pages).hasSizeGreaterThan(5);

    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      for (String line : prose(Files.readAllLines(page))) {
        Matcher m = LINK.matcher(line);
        while (m.find()) {
          String target = m.group(1);
          if (target.matches("^[a-z]+:.*")) {
            continue; // http(s), mailto: not checked here
          }
          int hash = target.indexOf('#');
          String file = hash < 0 ? target : target.substring(0, hash);
          String anchor = hash < 0 ? null : target.substring(hash + 1);
          Path linked = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
          String where = root.relativize(page) + ": " + target;
          if (!Files.exists(linked)) {
            broken.add(where + " (no such file)");
          } else if (anchor != null
              && linked.toString().endsWith(".md")
              && !anchors(linked).contains(anchor)) {
            broken.add(where + " (no such heading)");
          }
        }
      }
    }
    assertThat(broken).as("links of the user docs that lead nowhere").isEmpty();
  }

  /** The lines outside fenced code blocks. */
  private static List<String> prose(List<String> lines) {
    List<String> out = new ArrayList<>();
    boolean fenced = false;
    for (String line : lines) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced) {
        out.add(line);
      }
    }
    return out;
  }

  private static Set<String> anchors(Path page) throws IOException {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : prose(Files.readAllLines(page))) {
      Matcher m = HEADING.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String slug = slug(m.group(1));
      int n = seen.merge(slug, 1, Integer::sum) - 1;
      anchors.add(n == 0 ? slug : slug + "-" + n);
    }
    return anchors;
  }

  static String slug(String heading) {
    String text = INLINE_LINK.matcher(heading).replaceAll("$1").toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .filter(c -> Character.isLetterOrDigit(c) || c == ' ' || c == '-' || c == '_')
        .forEach(c -> out.appendCodePoint(c == ' ' ? '-' : c));
    return out.toString();
  }

  @Test
  void headingsAreSluggedAsGitHubDoes() {
    assertThat(slug("Smaller C2 compilations: adopted (measured 2026-12-03, 15:30–16:05 UTC)"))
        .isEqualTo("smaller-c2-compilations-adopted-measured-2026-12-03-15301605-utc");
    assertThat(slug("Widget routes (`/v1/widgets/…`, Ingest API)"))
        .isEqualTo("widget-routes-v1widgets-ingest-api");
    assertThat(slug("A deleted contact's ids")).isEqualTo("a-deleted-contacts-ids");
  }
}
