package io.growthos.core.campaigns;

import io.growthos.model.values.NumberRange;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where an ingested event carries a referral code (SPEC §8): {@code context.referral_code}, else a
 * {@code ref} parameter in {@code context.page.search} ({@code "?ref=CODE"}), else in the query of
 * {@code context.page.url}. Also the IP address and user agent the fraud checks compare.
 */
public final class ReferralContext {

  private static final JsonMapper JSON = NumberRange.STORED_DOCUMENTS;

  private ReferralContext() {}

  /**
   * A cheap pre-check on the stored context text, for the ingest write path: false means the
   * context certainly carries no code, so the event needs no attribution (it may still be a
   * qualifying event). True may be a false positive; {@link #code} decides.
   */
  public static boolean mayCarryCode(String contextJson) {
    return contextJson != null
        && (contextJson.contains("\"referral_code\"") || contextJson.contains("ref="));
  }

  /** The code the context carries, as given (not yet canonical), if any. */
  public static Optional<String> code(String contextJson) {
    if (!mayCarryCode(contextJson)) {
      return Optional.empty();
    }
    JsonNode context;
    try {
      context = JSON.readTree(contextJson);
    } catch (JacksonException e) {
      return Optional.empty();
    }
    JsonNode direct = context.path("referral_code");
    if (direct.isString() && !direct.asString().isBlank()) {
      return Optional.of(direct.asString().strip());
    }
    JsonNode page = context.path("page");
    JsonNode search = page.path("search");
    if (search.isString()) {
      Optional<String> ref = param(search.asString(), "ref");
      if (ref.isPresent()) {
        return ref;
      }
    }
    JsonNode url = page.path("url");
    if (url.isString()) {
      try {
        String query = URI.create(url.asString().strip()).getRawQuery();
        if (query != null) {
          return param(query, "ref");
        }
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** {@code context.ip} and {@code context.userAgent}; either may be null. */
  public static String[] ipAndUserAgent(String contextJson) {
    if (contextJson == null) {
      return new String[2];
    }
    try {
      JsonNode context = JSON.readTree(contextJson);
      JsonNode ip = context.path("ip");
      JsonNode ua = context.path("userAgent");
      return new String[] {
        ip.isString() ? ip.asString() : null, ua.isString() ? ua.asString() : null
      };
    } catch (JacksonException e) {
      return new String[2];
    }
  }

  /** The first non-blank value of {@code name} in a query string, with or without its {@code ?}. */
  static Optional<String> param(String query, String name) {
    String q = query.startsWith("?") ? query.substring(1) : query;
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = decode(pair.substring(0, eq));
      if (name.equals(key)) {
        String value = decode(pair.substring(eq + 1)).strip();
        if (!value.isEmpty()) {
          return Optional.of(value);
        }
      }
    }
    return Optional.empty();
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
