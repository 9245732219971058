package io.growthos.ingest;

import io.growthos.ingest.config.IngestProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** The Ingest API: Segment-compatible event collection, durable before ACK. */
@SpringBootApplication
@EntityScan(basePackages = {"io.growthos.model", "io.growthos.ingest"})
@EnableJpaRepositories(basePackages = {"io.growthos.model", "io.growthos.ingest"})
@EnableConfigurationProperties(IngestProperties.class)
public class IngestApplication {

  public static void main(String[] args) {
    SpringApplication.run(IngestApplication.class, args);
  }
}
