package io.growthos.management.webhooks;

import io.growthos.model.errors.ApiException;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which URLs an endpoint may have (SPEC §9): {@code https}, except that loopback and private
 * addresses are refused unless the operator allows them ({@code
 * growthos.webhooks.allow-private-urls}), and then plain {@code http} is fine for them. The check
 * runs when the URL is saved and again on every delivery against the addresses the name resolves to
 * then, so a name that later points into the private network (DNS rebinding) is refused too.
 */
final class WebhookUrls {

  static final int MAX_LENGTH = 2048;

  private final boolean allowPrivate;

  WebhookUrls(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /**
   * The URL if it may be saved, in its canonical form: an internationalised host (IDN) in its ASCII
   * form ({@code https://bücher.example/} is {@code https://xn--bcher-kva.example/}), everything
   * else as given. 400 naming {@code url} otherwise. Every check below sees the ASCII host.
   */
  URI validate(String url) {
    URI uri;
    try {
      uri = new URI(withAsciiHost(url));
    } catch (URISyntaxException e) {
      throw invalid("Field 'url' is not a valid URL.");
    } catch (IllegalArgumentException e) {
      throw invalid("Field 'url' has a host that is not a valid domain name once in ASCII form.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw invalid("Field 'url' must be an https URL.");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw invalid("Field 'url' must name a host.");
    }
    if (uri.getRawFragment() != null) {
      throw invalid("Field 'url' must not have a fragment.");
    }
    // -1 is no port (the scheme's default); anything else outside 1-65535 could never be sent to.
    if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
      throw invalid("Field 'url' has an invalid port: a port is from 1 to 65535.");
    }
    boolean privateHost = isPrivateHost(uri.getHost());
    if (privateHost && !allowPrivate) {
      throw invalid(
          "Field 'url' points to a loopback or private address, which this server does not allow.");
    }
    if (!privateHost && !scheme.equals("https")) {
      throw invalid("Field 'url' must be an https URL.");
    }
    return uri;
  }

  /**
   * The URI of a stored URL, its host in ASCII form as {@link #validate} stores it (a host stored
   * otherwise is converted the same way), for the dispatcher.
   *
   * @throws IllegalArgumentException when it is not a URL with a host
   */
  static URI parse(String url) {
    URI uri;
    try {
      uri = new URI(withAsciiHost(url));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("no host");
    }
    return uri;
  }

  /** {@code scheme://}, the authority, and the rest of a URL. */
  private static final Pattern PARTS =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)(.*)", Pattern.DOTALL);

  /**
   * {@code url} with a host that holds non-ASCII characters converted to its ASCII form by IDNA's
   * ToASCII ({@link IDN#toASCII} with {@link IDN#USE_STD3_ASCII_RULES}: each label letters, digits
   * and inner hyphens, 1 to 63 characters once converted); any other URL unchanged. {@link URI}
   * itself takes only ASCII host names: it would read {@code bücher.example} as no host at all.
   *
   * @throws IllegalArgumentException when the host is no valid name once converted
   */
  static String withAsciiHost(String url) {
    Matcher m = PARTS.matcher(url);
    if (!m.matches()) {
      return url;
    }
    String authority = m.group(2);
    int at = authority.lastIndexOf('@');
    String hostAndPort = authority.substring(at + 1);
    if (hostAndPort.startsWith("[")) {
      return url; // an IPv6 literal
    }
    int colon = hostAndPort.lastIndexOf(':');
    String host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
    if (host.chars().allMatch(c -> c < 0x80)) {
      return url;
    }
    String ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
    return m.group(1)
        + authority.substring(0, at + 1)
        + ascii
        + (colon < 0 ? "" : hostAndPort.substring(colon))
        + m.group(3);
  }

  /**
   * Null if a delivery may go to {@code uri} now, else why not. Resolves the host; the JVM caches
   * the answer (networkaddress.cache.ttl, 30 s), so the HTTP client that connects right after sees
   * the same addresses.
   */
  String refusalAtDelivery(URI uri) {
    if (allowPrivate) {
      return null;
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
        if (isPrivate(address)) {
          return "The URL's host resolves to a loopback or private address ("
              + address.getHostAddress()
              + "), which this server does not allow.";
        }
      }
      return null;
    } catch (UnknownHostException e) {
      return "The URL's host does not resolve.";
    }
  }

  /**
   * Whether {@code host} is or resolves to a private address. A name that does not resolve now is
   * not private as far as saving goes: deliveries check again.
   */
  static boolean isPrivateHost(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost") || h.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
      return true;
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(h)) {
        if (isPrivate(address)) {
          return true;
        }
      }
      return false;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Loopback, private, link-local (cloud metadata), carrier-grade NAT, unspecified, multicast; an
   * IPv6 address of the NAT64 prefix {@code 64:ff9b::/96} (RFC 6052) by the IPv4 address it embeds,
   * since a NAT64 gateway forwards it there; and every address of the local-use NAT64 prefix {@code
   * 64:ff9b:1::/48} (RFC 8215), which is not globally reachable by definition (IANA's
   * special-purpose registry) and whose operator chooses where in it the IPv4 address sits (RFC
   * 6052 §2.2: after a /48, /56, /64 or /96 sub-prefix), so it cannot be read reliably.
   */
  static boolean isPrivate(InetAddress a) {
    if (a.isLoopbackAddress()
        || a.isSiteLocalAddress()
        || a.isLinkLocalAddress()
        || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 || (first == 100 && second >= 64 && second < 128);
    }
    if (a instanceof Inet6Address) {
      if (isLocalUseNat64(b)) {
        return true;
      }
      if (isNat64(b)) {
        try {
          return isPrivate(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return true; // four bytes are always an address
        }
      }
      return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
    }
    return false;
  }

  /** Whether an IPv6 address is in the well-known NAT64 prefix 64:ff9b::/96. */
  private static boolean isNat64(byte[] b) {
    byte[] prefix = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    return b.length == 16 && Arrays.equals(b, 0, 12, prefix, 0, 12);
  }

  /** Whether an IPv6 address is in the local-use NAT64 prefix 64:ff9b:1::/48 (RFC 8215). */
  private static boolean isLocalUseNat64(byte[] b) {
    byte[] prefix = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 1};
    return b.length == 16 && Arrays.equals(b, 0, 6, prefix, 0, 6);
  }

  private static ApiException invalid(String message) {
    return ApiException.invalid("url", "invalid_url", message);
  }
}
