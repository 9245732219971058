package io.growthos.management.webhooks;

import io.growthos.model.errors.ApiException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which URLs an endpoint may have (SPEC §9): {@code https}, except that loopback and private
 * addresses are refused unless the operator allows them ({@code
 * growthos.webhooks.allow-private-urls}), and then plain {@code http} is fine for them. The check
 * runs when the URL is saved and again on every delivery against the addresses the name resolves to
 * then, so a name that later points into the private network (DNS rebinding) is refused too; the
 * delivery connects to an address of that very check ({@link #destination}).
 */
final class WebhookUrls {

  private static final String INVALID_PORT =
      "Field 'url' has an invalid port: a port is from 1 to 65535.";

  static final int MAX_LENGTH = 2048;

  /** The longest domain name, in ASCII form (RFC 1035 §2.3.4, without the root's dot). */
  static final int MAX_HOST_LENGTH = 253;

  private final boolean allowPrivate;
  private final HostLookup lookup;

  WebhookUrls(boolean allowPrivate) {
    this(allowPrivate, HostLookup.SYSTEM);
  }

  /**
   * @param lookup how {@link #destination} looks the host up (the dispatcher's is bounded in time)
   */
  WebhookUrls(boolean allowPrivate, HostLookup lookup) {
    this.allowPrivate = allowPrivate;
    this.lookup = lookup;
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
      throw invalid(httpsOnly());
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      // A port past an int (example.com:99999999999) makes java.net.URI read the authority as a
      // registry name, with no host: it is the port that is wrong (until 2026-12-07 "must name a
      // host").
      if (uri.getRawAuthority() != null && uri.getRawAuthority().matches(".*:[0-9]{10,}")) {
        throw invalid(INVALID_PORT);
      }
      throw invalid("Field 'url' must name a host.");
    }
    // The limits hold for the URL as stored, with its host in ASCII form (an internationalised
    // label grows when converted): until 2026-12-07 a URL of 2,048 characters as sent could be
    // stored with 2,288, and PATCH then refused the value the API had echoed.
    if (!uri.getHost().startsWith("[") && uri.getHost().length() > MAX_HOST_LENGTH) {
      throw invalid(
          "Field 'url' has a host longer than "
              + MAX_HOST_LENGTH
              + " characters in ASCII form, which no domain name is.");
    }
    if (uri.toString().length() > MAX_LENGTH) {
      throw invalid(
          "Field 'url' is longer than "
              + MAX_LENGTH
              + " characters once its host is in ASCII form.");
    }
    if (uri.getRawFragment() != null) {
      throw invalid("Field 'url' must not have a fragment.");
    }
    // user:password@ would be shown to every key that may read endpoints, and is not sent (the
    // dispatcher sends no Authorization header): a receiver authenticates deliveries by their
    // signature.
    if (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
      throw invalid(
          "Field 'url' must not contain credentials (user:password@): they would not be sent;"
              + " verify the webhook-signature header instead.");
    }
    if (isAmbiguousNumericHost(uri.getHost())) {
      throw invalid(
          "Field 'url' has a numeric host that is not an IPv4 address in dotted-decimal form"
              + " (a.b.c.d, each 0-255 without leading zeros).");
    }
    // An IPv6 zone (fe80::1%25eth0) names an interface of the machine that reads the URL: no
    // receiver anywhere else has it, and the name service cannot resolve it to check it.
    if (uri.getHost().startsWith("[") && uri.getHost().contains("%")) {
      throw invalid("Field 'url' must not name an IPv6 zone (%25…) in its host.");
    }
    // -1 is no port (the scheme's default); anything else outside 1-65535 could never be sent to.
    if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
      throw invalid(INVALID_PORT);
    }
    boolean privateHost = isPrivateHost(uri.getHost());
    if (privateHost && !allowPrivate) {
      throw invalid(
          "Field 'url' points to a loopback or private address, which this server does not allow.");
    }
    if (!privateHost && !scheme.equals("https")) {
      throw invalid(httpsOnly());
    }
    return uri;
  }

  private static final Pattern DOTTED_QUAD =
      Pattern.compile(
          "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

  /**
   * Whether a host reads as a number but is no plain dotted-quad: {@code 2130706433}, {@code
   * 0x7f000001}, {@code 0177.0.0.1}, {@code 10.0.0.010}. Address parsers disagree about these (curl
   * and browsers read {@code 0177.0.0.1} as 127.0.0.1, Java as 177.0.0.1), so what was checked
   * could differ from what another tool, or the user, means; and no DNS name has a last label that
   * starts with a digit (RFC 3696 §2).
   */
  static boolean isAmbiguousNumericHost(String host) {
    if (host.startsWith("[")) {
      return false; // an IPv6 literal
    }
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String last = h.substring(h.lastIndexOf('.') + 1);
    return !last.isEmpty()
        && Character.isDigit(last.charAt(0))
        && !DOTTED_QUAD.matcher(host).matches();
  }

  /** Where loopback and private receivers are allowed (a local stack), so is plain http to them. */
  private String httpsOnly() {
    return allowPrivate
        ? "Field 'url' must be an https URL (http only for a loopback or private address)."
        : "Field 'url' must be an https URL.";
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
   * Where a delivery to a URL may connect now: the addresses its host resolves to, every one of
   * them checked, or why it may not be sent ({@code refusal}, the addresses then empty).
   */
  record Destination(List<InetAddress> addresses, String refusal) {}

  /**
   * Resolves the host once and checks every address it resolves to now. The dispatcher connects to
   * one of these very addresses ({@link WebhookClient}): a second look-up at connection time could
   * answer differently (DNS rebinding), whatever the JVM's DNS cache is set to.
   */
  Destination destination(URI uri) {
    List<InetAddress> addresses;
    try {
      addresses = List.of(lookup.lookup(uri.getHost()));
    } catch (HostLookup.Unanswered e) {
      return new Destination(List.of(), e.getMessage());
    } catch (UnknownHostException e) {
      return new Destination(List.of(), "The URL's host does not resolve.");
    }
    if (!allowPrivate) {
      for (InetAddress address : addresses) {
        if (isPrivate(address)) {
          return new Destination(
              List.of(),
              "The URL's host resolves to a loopback or private address ("
                  + address.getHostAddress()
                  + "), which this server does not allow.");
        }
      }
    }
    return new Destination(addresses, null);
  }

  /** Null if a delivery may go to {@code uri} now, else why not ({@link #destination}). */
  String refusalAtDelivery(URI uri) {
    return destination(uri).refusal();
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
   * Whether an address is not a public destination: loopback, private, link-local (cloud metadata),
   * unspecified, multicast, and every other block IANA's special-purpose registries mark as not
   * globally reachable ({@link #NOT_GLOBAL}: carrier-grade NAT, benchmarking, documentation,
   * reserved, broadcast, IETF protocol assignments with Teredo, discard-only, the local-use NAT64
   * prefix {@code 64:ff9b:1::/48} of RFC 8215, unique local). An IPv6 address that carries an IPv4
   * address a gateway forwards to (NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}, the
   * deprecated IPv4-compatible {@code ::a.b.c.d}) is judged by the IPv4 address it carries.
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
    for (Block block : NOT_GLOBAL) {
      if (block.contains(b)) {
        return true;
      }
    }
    if (b.length == 16) {
      byte[] carried = carriedIpv4(b);
      if (carried != null) {
        try {
          return isPrivate(InetAddress.getByAddress(carried));
        } catch (UnknownHostException e) {
          return true; // four bytes are always an address
        }
      }
    }
    return false;
  }

  /**
   * The IPv4 address an IPv6 address carries to a gateway that forwards it there, else null: NAT64
   * {@code 64:ff9b::/96} (RFC 6052) in its last four bytes, 6to4 {@code 2002::/16} (RFC 3056) in
   * bytes 2 to 5, IPv4-compatible {@code ::/96} (RFC 4291, deprecated) in its last four bytes.
   */
  private static byte[] carriedIpv4(byte[] b) {
    if (NAT64.contains(b) || IPV4_COMPATIBLE.contains(b)) {
      return Arrays.copyOfRange(b, 12, 16);
    }
    if (SIX_TO_FOUR.contains(b)) {
      return Arrays.copyOfRange(b, 2, 6);
    }
    return null;
  }

  /** An address block: a prefix of {@code bits} bits. */
  private record Block(byte[] prefix, int bits) {

    static Block of(String cidr) {
      int slash = cidr.indexOf('/');
      try {
        return new Block(
            InetAddress.getByName(cidr.substring(0, slash)).getAddress(),
            Integer.parseInt(cidr.substring(slash + 1)));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(cidr, e);
      }
    }

    boolean contains(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
      int whole = bits / 8;
      if (!Arrays.equals(address, 0, whole, prefix, 0, whole)) {
        return false;
      }
      int rest = bits % 8;
      int mask = (0xff << (8 - rest)) & 0xff;
      return rest == 0 || (address[whole] & mask) == (prefix[whole] & mask);
    }
  }

  private static final Block NAT64 = Block.of("64:ff9b::/96");
  private static final Block SIX_TO_FOUR = Block.of("2002::/16");
  private static final Block IPV4_COMPATIBLE = Block.of("::/96");

  /**
   * The blocks of IANA's IPv4 and IPv6 Special-Purpose Address Registries that are not globally
   * reachable (or are reserved, or used only for examples), beyond what {@link InetAddress}'s own
   * checks above catch. Whole blocks, also where the registry names a few globally reachable single
   * addresses inside one (192.0.0.9, 2001:1::1, …): no webhook goes to those.
   */
  private static final List<Block> NOT_GLOBAL =
      Stream.of(
              "0.0.0.0/8", // "this network"
              "100.64.0.0/10", // carrier-grade NAT
              "192.0.0.0/24", // IETF protocol assignments
              "192.0.2.0/24", // documentation (TEST-NET-1)
              "198.18.0.0/15", // benchmarking
              "198.51.100.0/24", // documentation (TEST-NET-2)
              "203.0.113.0/24", // documentation (TEST-NET-3)
              "240.0.0.0/4", // reserved, with the limited broadcast 255.255.255.255
              "64:ff9b:1::/48", // local-use NAT64 (RFC 8215)
              "100::/64", // discard-only
              "2001::/23", // IETF protocol assignments, Teredo 2001::/32 among them
              "2001:db8::/32", // documentation
              "3fff::/20", // documentation (RFC 9637)
              "5f00::/16", // segment routing (SRv6) SIDs
              "fc00::/7") // unique local
          .map(Block::of)
          .toList();

  private static ApiException invalid(String message) {
    return ApiException.invalid("url", "invalid_url", message);
  }
}
