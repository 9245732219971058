package io.growthos.core.campaigns;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A participant's share link: the campaign's landing URL with {@code ref=<code>} added. */
public final class ShareUrls {

  private ShareUrls() {}

  /** {@code landingUrl} with {@code ref=code}; null when the campaign has no landing URL. */
  public static String of(String landingUrl, String code) {
    if (landingUrl == null) {
      return null;
    }
    String ref = "ref=" + URLEncoder.encode(code, StandardCharsets.UTF_8);
    int hash = landingUrl.indexOf('#');
    String base = hash < 0 ? landingUrl : landingUrl.substring(0, hash);
    String fragment = hash < 0 ? "" : landingUrl.substring(hash);
    return base + (base.contains("?") ? "&" : "?") + ref + fragment;
  }
}
