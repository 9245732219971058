package io.growthos.ingest;

import io.growthos.ingest.config.IngestProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The Ingest API: Segment-compatible event collection, durable before ACK. It reads and writes with
 * JDBC only; JPA is not in its build (optional in shared-model), so its start builds no persistence
 * unit.
 */
@SpringBootApplication
@EnableConfigurationProperties(IngestProperties.class)
public class IngestApplication {

  public static void main(String[] args) {
    SpringApplication.run(IngestApplication.class, args);
  }
}
