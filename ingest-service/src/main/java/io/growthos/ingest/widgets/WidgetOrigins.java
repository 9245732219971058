package io.growthos.ingest.widgets;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The origins a workspace allows widgets on: its settings' {@code allowed_widget_origins}
 * (Management API {@code PATCH /v1/settings}), where an empty list means any origin (SPEC §8). Read
 * once per workspace per {@code growthos.auth.cache-ttl} (5 s by default), like keys, so a change
 * made on the Management API applies within that time.
 */
@Component
public class WidgetOrigins {

  private final JdbcTemplate jdbc;
  private final Cache<String, Set<String>> cache;

  WidgetOrigins(JdbcTemplate jdbc, @Value("${growthos.auth.cache-ttl:5s}") Duration ttl) {
    this.jdbc = jdbc;
    this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
  }

  /** Whether a browser page at {@code origin} may call the workspace's widget routes. */
  public boolean allows(String workspaceId, String origin) {
    Set<String> allowed = cache.get(workspaceId, this::load);
    if (allowed.isEmpty()) {
      return true;
    }
    String normalised = normalise(origin);
    return normalised != null && allowed.contains(normalised);
  }

  private Set<String> load(String workspaceId) {
    List<String> stored =
        jdbc.query(
            "select unnest(allowed_origins) from workspaces where id = ?",
            (rs, i) -> rs.getString(1),
            workspaceId);
    // An entry that cannot be an origin can match nothing; it still makes the list restrictive.
    return stored.stream()
        .map(
            o -> {
              String n = normalise(o);
              return n == null ? "\0invalid" : n;
            })
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * {@code scheme://host[:port]} in lower case with the scheme's default port dropped (browsers
   * send {@code https://example.com}, settings may say {@code https://example.com:443}); null when
   * it is not an http(s) origin (including the opaque origin {@code null}).
   */
  static String normalise(String origin) {
    if (origin == null || origin.length() > 300) {
      return null;
    }
    try {
      URI uri = new URI(origin.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        return null;
      }
      if (uri.getRawUserInfo() != null
          || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return null;
      }
      int port = uri.getPort();
      boolean defaultPort =
          port == -1
              || (scheme.equals("https") && port == 443)
              || (scheme.equals("http") && port == 80);
      return scheme
          + "://"
          + uri.getHost().toLowerCase(Locale.ROOT)
          + (defaultPort ? "" : ":" + port);
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
