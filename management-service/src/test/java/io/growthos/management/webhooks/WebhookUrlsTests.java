package io.growthos.management.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.growthos.model.errors.ApiException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlsTests {

  private final WebhookUrls strict = new WebhookUrls(false);
  private final WebhookUrls local = new WebhookUrls(true);

  /**
   * A receiver's host whose DNS servers never answer: the JDK's look-up has no timeout of its own,
   * so a delivery's thread waited as long as the system resolver kept trying, outside the request's
   * deadline. The dispatcher's look-up gives up after its bound and the delivery is a failed
   * attempt (retried on the schedule); while look-ups of such names are still waiting, more of them
   * are refused at once instead of taking further threads.
   */
  @Test
  void aHostWhoseDnsNeverAnswersIsAFailedAttemptAfterTheBoundNotAHeldThread() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    HostLookup hangs =
        host -> {
          if (host.startsWith("hangs")) {
            boolean answered = false;
            while (!answered) {
              try {
                answered = never.await(1, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                // as the system resolver, which an interrupt does not stop
              }
            }
          }
          return new InetAddress[] {InetAddress.getByName("93.184.216.34")};
        };
    WebhookUrls urls = new WebhookUrls(false, HostLookup.bounded(hangs, Duration.ofMillis(300), 2));
    try {
      WebhookUrls.Destination first =
          assertTimeoutPreemptively(
              Duration.ofSeconds(3),
              () -> urls.destination(URI.create("https://hangs1.example/h")));
      assertThat(first.addresses()).isEmpty();
      assertThat(first.refusal()).isEqualTo("The URL's host did not resolve within 300 ms.");
      assertTimeoutPreemptively(
          Duration.ofSeconds(3), () -> urls.destination(URI.create("https://hangs2.example/h")));
      WebhookUrls.Destination busy =
          assertTimeoutPreemptively(
              Duration.ofMillis(250),
              () -> urls.destination(URI.create("https://hangs3.example/h")));
      assertThat(busy.refusal()).contains("2 look-ups are still waiting");
    } finally {
      never.countDown();
    }
    WebhookUrls.Destination answered =
        assertTimeoutPreemptively(
            Duration.ofSeconds(3), () -> urls.destination(URI.create("https://fine.example/h")));
    assertThat(answered.refusal()).isNull();
    assertThat(answered.addresses())
        .extracting(InetAddress::getHostAddress)
        .containsExactly("93.184.216.34");
  }

  @Test
  void refusesLoopbackPrivateAndMetadataAddressesUnlessAllowed() {
    for (String url :
        new String[] {
          "https://127.0.0.1/h",
          "https://localhost:8443/h",
          "https://10.1.2.3/h",
          "https://192.168.0.10/h",
          "https://172.20.0.1/h",
          "https://169.254.169.254/latest/meta-data",
          "https://[::1]/h",
          "https://[fd00::1]/h",
          "https://0.0.0.0/h",
          "https://100.64.0.1/h"
        }) {
      assertThatThrownBy(() -> strict.validate(url)).as(url).isInstanceOf(ApiException.class);
      assertThat(local.validate(url)).as(url).isNotNull();
    }
  }

  @Test
  void plainHttpOnlyForAllowedPrivateAddresses() {
    assertThatThrownBy(() -> strict.validate("http://93.184.216.34/h"))
        .isInstanceOf(ApiException.class)
        .hasMessage("Field 'url' must be an https URL.");
    // Where plain http is allowed to private receivers, the message says so.
    assertThatThrownBy(() -> local.validate("http://93.184.216.34/h"))
        .isInstanceOf(ApiException.class)
        .hasMessage(
            "Field 'url' must be an https URL (http only for a loopback or private address).");
    assertThatThrownBy(() -> local.validate("ftp://127.0.0.1/h"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("http only for a loopback or private address");
    assertThat(local.validate("http://127.0.0.1:9000/h")).isNotNull();
    assertThat(strict.validate("https://93.184.216.34/h")).isNotNull();
  }

  @Test
  void deliveryTimeCheckRefusesANameThatNowResolvesToLoopback() {
    // "localhost" stands for a public name whose DNS answer was changed to a private address.
    assertThat(strict.refusalAtDelivery(URI.create("https://localhost/h")))
        .contains("loopback or private");
    assertThat(local.refusalAtDelivery(URI.create("https://localhost/h"))).isNull();
    assertThat(strict.refusalAtDelivery(URI.create("https://93.184.216.34/h"))).isNull();
  }

  @Test
  void refusesAnIpv6LiteralWithAZoneWhichNoReceiverOutsideThisMachineHas() {
    for (String url :
        new String[] {
          "https://[fe80::1%25eth0]/h", "https://[fe80::1%251]/h", "https://[2606:4700::1%25eth0]/h"
        }) {
      assertThatThrownBy(() -> strict.validate(url))
          .as(url)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> assertThat(e.details().get(0).reason()).isEqualTo("invalid_url"));
      assertThatThrownBy(() -> local.validate(url)).as(url).isInstanceOf(ApiException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2130706433", // 127.0.0.1 as one decimal number
        "0x7f000001", // … as one hex number
        "017700000001", // … as one octal number
        "0177.0.0.1", // octal parts: 127.0.0.1 to curl and browsers, 177.0.0.1 to Java
        "0x7f.0.0.1",
        "127.1", // short forms
        "127.0.1",
        "10.0.0.010",
        "a.0x7f", // a name whose last label is a number is no DNS name
        "hooks.example.123"
      })
  void refusesANumericHostThatIsNotAPlainDottedQuad(String host) {
    String url = "https://" + host + "/h";
    for (WebhookUrls urls : new WebhookUrls[] {strict, local}) {
      assertThatThrownBy(() -> urls.validate(url))
          .as(url)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.details().get(0).field()).isEqualTo("url");
                assertThat(e.details().get(0).reason()).isEqualTo("invalid_url");
              });
    }
    // The plain forms stay what they are.
    assertThat(strict.validate("https://93.184.216.34/h")).isNotNull();
    assertThat(strict.validate("https://hooks.example123.com/h")).isNotNull();
    assertThat(strict.validate("https://123.example.com/h")).isNotNull();
  }

  @Test
  void refusesPortsOutsideOneTo65535() {
    for (String url :
        new String[] {
          "https://example.com:99999/",
          "https://example.com:65536/h",
          "https://example.com:0/h",
          "https://example.com:99999999999/h"
        }) {
      assertThatThrownBy(() -> local.validate(url))
          .as(url)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.details()).hasSize(1);
                assertThat(e.details().get(0).field()).isEqualTo("url");
                assertThat(e.details().get(0).reason()).isEqualTo("invalid_url");
                assertThat(e.details().get(0).message()).contains("invalid port");
              });
    }
    assertThat(strict.validate("https://93.184.216.34:65535/h")).isNotNull();
    assertThat(strict.validate("https://93.184.216.34:1/h")).isNotNull();
  }

  @Test
  void refusesTheNat64FormOfPrivateAndMetadataAddresses() {
    for (String url :
        new String[] {
          "https://[64:ff9b::a9fe:a9fe]/latest/meta-data", // 169.254.169.254
          "https://[64:ff9b::7f00:1]/h", // 127.0.0.1
          "https://[64:ff9b::a01:203]/h", // 10.1.2.3
          "https://[64:ff9b::c0a8:a]/h" // 192.168.0.10
        }) {
      assertThatThrownBy(() -> strict.validate(url)).as(url).isInstanceOf(ApiException.class);
      assertThat(strict.refusalAtDelivery(URI.create(url))).as(url).contains("loopback or private");
    }
    // A public IPv4 address behind NAT64 (93.184.216.34) stays public.
    assertThat(strict.validate("https://[64:ff9b::5db8:d822]/h")).isNotNull();
  }

  @Test
  void refusesTheWholeLocalUseNat64Prefix() {
    for (String url :
        new String[] {
          "https://[64:ff9b:1::a9fe:a9fe]/latest/meta-data", // 169.254.169.254, /96 format
          "https://[64:ff9b:1:a9fe:a9:fe00::]/latest/meta-data", // the same, /48 format
          "https://[64:ff9b:1::7f00:1]/h", // 127.0.0.1
          "https://[64:ff9b:1:ffff:ffff:ffff:ffff:ffff]/h",
          "https://[64:ff9b:1::5db8:d822]/h" // 93.184.216.34: public, but the prefix is local-use
        }) {
      assertThatThrownBy(() -> strict.validate(url)).as(url).isInstanceOf(ApiException.class);
      assertThat(strict.refusalAtDelivery(URI.create(url))).as(url).contains("loopback or private");
      assertThat(local.validate(url)).as(url).isNotNull();
    }
    // Next to it, outside both prefixes: public.
    assertThat(strict.validate("https://[64:ff9b:2::5db8:d822]/h")).isNotNull();
  }

  @Test
  void anInternationalisedHostIsCheckedAndReturnedInItsAsciiForm() {
    assertThat(local.validate("https://b\u00fccher.example/hook").toString())
        .isEqualTo("https://xn--bcher-kva.example/hook");
    assertThat(local.validate("https://B\u00dcCHER\u3002example:8443/h?q=1").toString())
        .isEqualTo("https://xn--bcher-kva.example:8443/h?q=1");
    assertThat(local.validate("https://b\u00fccher.example/hook").getHost())
        .isEqualTo("xn--bcher-kva.example");
    // Fullwidth letters are "localhost" once converted: the private check sees that.
    assertThatThrownBy(
            () ->
                strict.validate("https://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/h"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("loopback or private");
    for (String url :
        new String[] {
          "https://b\u00fc_cher.example/h",
          "https://-b\u00fccher.example/h",
          "https://b\u00fccher-.example/h",
          "https://b\u00fc cher.example/h",
          "https://b\u00fccher..example/h",
          "https://" + "\u00fc".repeat(60) + ".example/h"
        }) {
      assertThatThrownBy(() -> local.validate(url))
          .as(url)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> assertThat(e.details().get(0).reason()).isEqualTo("invalid_url"));
    }
  }

  /**
   * The length limits hold for the stored form: a URL within 2,048 characters as sent whose host
   * grows past a domain name's 253 characters, or the URL past 2,048, once in ASCII form is refused
   * (it was stored and then refused by PATCH as echoed).
   */
  @Test
  void aUrlIsWithinItsLimitsOnceItsHostIsInAsciiForm() {
    String label = "\u00fc".repeat(20); // 26 characters in ASCII form
    String longHost = String.join(".", java.util.Collections.nCopies(40, label)) + ".example";
    String url = "https://" + longHost + "/";
    url = url + "p".repeat(WebhookUrls.MAX_LENGTH - url.length());
    assertThat(url).hasSize(WebhookUrls.MAX_LENGTH);
    String sent = url;
    assertThatThrownBy(() -> local.validate(sent))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.details().get(0).reason()).isEqualTo("invalid_url");
              assertThat(e.getMessage()).contains("253");
            });
    String nine = String.join(".", java.util.Collections.nCopies(9, label)) + ".example";
    String path = "https://" + nine + "/";
    String grown = path + "p".repeat(WebhookUrls.MAX_LENGTH - path.length());
    assertThat(local.validate("https://" + nine + "/h").getHost()).hasSizeLessThan(254);
    assertThatThrownBy(() -> local.validate(grown))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.getMessage()).contains("2048"));
  }

  @Test
  void theDispatcherReadsAStoredUrlWithItsAsciiHost() {
    assertThat(WebhookUrls.parse("https://xn--bcher-kva.example/h").getHost())
        .isEqualTo("xn--bcher-kva.example");
    // A row written some other way is converted the same, never read as "no host" (which
    // InetAddress would resolve to loopback).
    assertThat(WebhookUrls.parse("https://b\u00fccher.example/h").getHost())
        .isEqualTo("xn--bcher-kva.example");
    assertThatThrownBy(() -> WebhookUrls.parse("https:///h"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookUrls.parse("https://b\u00fc_cher.example/h"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "198.18.0.1", // benchmarking
        "198.19.255.254",
        "192.0.0.8", // IETF protocol assignments
        "192.0.2.10", // documentation
        "198.51.100.7",
        "203.0.113.200",
        "240.0.0.1", // reserved
        "255.255.255.255", // broadcast
        "[2002:a9fe:a9fe::1]", // 6to4 of 169.254.169.254
        "[2002:7f00:1::]", // 6to4 of 127.0.0.1
        "[2001:0:4136:e378:8000:63bf:3fff:fdd2]", // Teredo
        "[2001:db8::1]", // documentation
        "[3fff::1]",
        "[100::1]", // discard-only
        "[::a9fe:a9fe]", // IPv4-compatible form of 169.254.169.254
        "[::ffff:a9fe:a9fe]", // IPv4-mapped form of it
        "[5f00::1]"
      })
  void refusesEveryBlockThatIsNotGloballyReachable(String host) {
    String url = "https://" + host + "/h";
    assertThatThrownBy(() -> strict.validate(url)).as(url).isInstanceOf(ApiException.class);
    assertThat(strict.refusalAtDelivery(URI.create(url))).as(url).contains("loopback or private");
    assertThat(local.validate(url)).as(url).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "93.184.216.34",
        "198.17.255.1", // next to benchmarking
        "198.20.0.1",
        "[2002:5db8:d822::1]", // 6to4 of a public address
        "[2606:4700:4700::1111]",
        "[2001:4860:4860::8888]" // in 2000::/3, outside 2001::/23
      })
  void keepsPublicAddressesNextToThoseBlocks(String host) {
    assertThat(strict.validate("https://" + host + "/h")).isNotNull();
  }
}
