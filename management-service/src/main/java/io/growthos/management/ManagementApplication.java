package io.growthos.management;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** The Management API: scoped secret keys, contacts, events, settings. */
@SpringBootApplication
@EntityScan(basePackages = {"io.growthos.model", "io.growthos.management"})
@EnableJpaRepositories(basePackages = {"io.growthos.model", "io.growthos.management"})
public class ManagementApplication {

  public static void main(String[] args) {
    SpringApplication.run(ManagementApplication.class, args);
  }
}
