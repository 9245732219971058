package io.growthos.ingest.referrals;

import io.growthos.core.campaigns.ReferralAttribution;
import io.growthos.core.campaigns.ReferralWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Runs referral attribution in every copy of the service: drains the inbox every {@code
 * poll-interval} (copies share rows through {@code SKIP LOCKED}), and reloads the qualifying event
 * names the write path filters on every {@code watch-refresh}. Each runs on the scheduler thread,
 * never on a request or writer thread.
 */
class ReferralWorker {

  private static final Logger log = LoggerFactory.getLogger(ReferralWorker.class);

  private final ReferralAttribution attribution;
  private final ReferralWatch watch;
  private final ReferralProperties props;

  ReferralWorker(ReferralAttribution attribution, ReferralWatch watch, ReferralProperties props) {
    this.attribution = attribution;
    this.watch = watch;
    this.props = props;
  }

  @Scheduled(fixedDelayString = "${growthos.ingest.referrals.poll-interval:250ms}")
  void drain() {
    if (!props.enabled()) {
      return;
    }
    try {
      attribution.drain(props.batchSize());
    } catch (RuntimeException e) {
      log.warn("Referral attribution failed; will retry: {}", e.toString());
    }
  }

  @Scheduled(fixedDelayString = "${growthos.ingest.referrals.watch-refresh:5s}", initialDelay = 0)
  void refreshWatch() {
    try {
      watch.refresh();
    } catch (RuntimeException e) {
      log.warn("Reloading qualifying event names failed; will retry: {}", e.toString());
    }
  }
}
