package io.growthos.ingest.admission;

import io.growthos.ingest.config.IngestProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The service-wide in-flight budget, sized from {@code growthos.ingest.admission}. */
@Configuration(proxyBeanMethods = false)
class AdmissionConfiguration {

  private static final Logger log = LoggerFactory.getLogger(AdmissionConfiguration.class);

  /**
   * Refuses to start with a budget that the largest valid request could not fit in: such a request
   * would be refused forever, however idle the service.
   */
  @Bean
  InFlightBudget inFlightBudget(IngestProperties props) {
    IngestProperties.Limits limits = props.limits();
    long capacity = props.admission().maxInFlightBytes();
    long worstCase =
        RequestCosts.worstCase(
            limits.maxBodySize().toBytes(),
            limits.maxStoredSize().toBytes(),
            limits.maxEventSize().toBytes());
    if (capacity < worstCase) {
      throw new IllegalStateException(
          "growthos.ingest.admission.max-in-flight ("
              + capacity
              + " bytes) must hold at least one request of the largest valid size ("
              + worstCase
              + " bytes with the configured limits); raise it (or -Xmx) or lower"
              + " growthos.ingest.limits.max-stored-size.");
    }
    log.info(
        "In-flight budget: {} MB ({} MB for the largest valid request)",
        capacity >> 20,
        worstCase >> 20);
    return new InFlightBudget(capacity, props.admission().retryAfter());
  }
}
