package io.growthos.core.campaigns;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A participant's share link: the campaign's landing URL with {@code ref=<code>} added. */
public final class ShareUrls {

  private ShareUrls() {}

  /**
   * {@code landingUrl} with {@code ref=code}; null when the campaign has no landing URL. A {@code
   * ref} parameter the landing URL carries itself ("?ref=launch" of an ad) is dropped: every reader
   * of the link (the components and the SDK, URLSearchParams.get; ingest attribution, {@link
   * ReferralContext}) takes the first {@code ref}, so the participant's code must be the only one.
   * Until 2026-12-06 it was appended after the landing URL's, and no visit or join through the link
   * was attributed.
   */
  public static String of(String landingUrl, String code) {
    if (landingUrl == null) {
      return null;
    }
    String ref = "ref=" + URLEncoder.encode(code, StandardCharsets.UTF_8);
    int hash = landingUrl.indexOf('#');
    String base = hash < 0 ? landingUrl : landingUrl.substring(0, hash);
    String fragment = hash < 0 ? "" : landingUrl.substring(hash);
    int q = base.indexOf('?');
    if (q < 0) {
      return base + "?" + ref + fragment;
    }
    List<String> kept = new ArrayList<>();
    for (String pair : base.substring(q + 1).split("&", -1)) {
      if (!pair.isEmpty() && !isRef(pair)) {
        kept.add(pair);
      }
    }
    kept.add(ref);
    return base.substring(0, q + 1) + String.join("&", kept) + fragment;
  }

  private static boolean isRef(String pair) {
    int eq = pair.indexOf('=');
    String key = eq < 0 ? pair : pair.substring(0, eq);
    try {
      return URLDecoder.decode(key, StandardCharsets.UTF_8).equals("ref");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
