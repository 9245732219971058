package io.growthos.management.settings;

import io.growthos.management.web.Preconditions;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.workspaces.Workspace;
import io.growthos.model.workspaces.Workspaces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Settings of the caller's workspace. */
@Service
public class SettingsService {

  static final long MIN_DEDUPE_SECONDS = 60;
  static final long MAX_DEDUPE_SECONDS = 90L * 24 * 3600;
  private static final String WIDGET_ORIGINS = "allowed_widget_origins";
  private static final String FORMER_WIDGET_ORIGINS = "allowed_origins";

  private final Workspaces workspaces;
  private final EntityManager em;

  SettingsService(Workspaces workspaces, EntityManager em) {
    this.workspaces = workspaces;
    this.em = em;
  }

  @Transactional(readOnly = true)
  public SettingsResponse get(String workspaceId) {
    return view(find(workspaceId));
  }

  @Transactional
  public SettingsResponse update(
      String workspaceId, UpdateSettingsRequest request, Integer ifMatch) {
    Workspace w = em.find(Workspace.class, workspaceId, LockModeType.PESSIMISTIC_WRITE);
    if (w == null) {
      throw missing(workspaceId);
    }
    Preconditions.check(w.getVersion(), ifMatch, request.version());
    if (request.name() != null && !request.name().equals(w.getName())) {
      w.rename(request.name());
    }
    if (request.timezone() != null && !request.timezone().equals(w.getTimezone())) {
      w.changeTimezone(checkZone(request.timezone()));
    }
    // The widget origins under their name or their former one; both at once is a 400, since
    // nothing says which the caller meant. A bad origin is named under the name the caller used.
    List<String> given = request.allowedWidgetOrigins();
    String field = WIDGET_ORIGINS;
    if (request.allowedOrigins() != null) {
      if (given != null) {
        throw ApiException.invalid(
            FORMER_WIDGET_ORIGINS,
            "conflicting_fields",
            "Give 'allowed_widget_origins' only: 'allowed_origins' is its former name.");
      }
      given = request.allowedOrigins();
      field = FORMER_WIDGET_ORIGINS;
    }
    if (given != null) {
      List<String> origins = checkOrigins(given, field);
      if (!origins.equals(w.getAllowedOrigins())) {
        w.changeAllowedOrigins(origins);
      }
    }
    if (request.dedupeWindowSeconds() != null
        && request.dedupeWindowSeconds() != w.getDedupeWindowSeconds()) {
      w.changeDedupeWindowSeconds(request.dedupeWindowSeconds());
    }
    try {
      em.flush();
    } catch (OptimisticLockException | ObjectOptimisticLockingFailureException e) {
      throw Preconditions.versionConflict(w.getVersion(), request.version());
    }
    return view(w);
  }

  private Workspace find(String workspaceId) {
    return workspaces.findById(workspaceId).orElseThrow(() -> missing(workspaceId));
  }

  /**
   * The caller's own workspace is missing. No request field names it (the key does), so this 404
   * has no detail. It does not happen while the key authenticates: authentication joins the key's
   * workspace, and workspaces are never deleted.
   */
  private static ApiException missing(String workspaceId) {
    return new ApiException(ErrorCode.NOT_FOUND, "No such workspace: '" + workspaceId + "'.");
  }

  /** The IANA region id of {@code zone}, or a 400 naming field {@code timezone}. */
  public static String checkZone(String zone) {
    try {
      // Region ids only ("Europe/Paris", "UTC"): offsets like "+02:00" ignore daylight saving.
      ZoneId id = ZoneId.of(zone);
      if (!ZoneId.getAvailableZoneIds().contains(id.getId())) {
        throw new DateTimeException(zone);
      }
      return id.getId();
    } catch (DateTimeException e) {
      throw ApiException.invalid(
          "timezone",
          "invalid_timezone",
          "Field 'timezone' must be an IANA time zone such as 'Europe/Paris' or 'UTC'.");
    }
  }

  /**
   * Normalises origins to {@code scheme://host[:port]}, lower case, without duplicates; a bad one
   * is a 400 naming {@code field[i]}.
   */
  static List<String> checkOrigins(List<String> origins, String field) {
    List<ErrorDetail> bad = new ArrayList<>();
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (int i = 0; i < origins.size(); i++) {
      String origin = origins.get(i);
      String normalised = origin == null ? null : normaliseOrigin(origin);
      if (normalised == null) {
        bad.add(
            ErrorDetail.of(
                field + "[" + i + "]",
                "invalid_origin",
                "An origin is scheme://host[:port] with scheme http or https and no path, such"
                    + " as https://example.com."));
      } else {
        out.add(normalised);
      }
    }
    if (!bad.isEmpty()) {
      throw ApiException.invalid(bad);
    }
    return List.copyOf(out);
  }

  private static String normaliseOrigin(String origin) {
    try {
      URI uri = new URI(origin.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean noPath = uri.getRawPath() == null || uri.getRawPath().isEmpty();
      if (!(scheme.equals("http") || scheme.equals("https"))
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || !noPath
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return null;
      }
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      return scheme + "://" + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static SettingsResponse view(Workspace w) {
    return new SettingsResponse(
        w.getId(),
        "settings",
        w.getName(),
        w.getTimezone(),
        w.getAllowedOrigins(),
        w.getAllowedOrigins(),
        w.getDedupeWindowSeconds(),
        w.getVersion(),
        w.getUpdatedAt());
  }
}
