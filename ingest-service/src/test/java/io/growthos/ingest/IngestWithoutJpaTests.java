package io.growthos.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.ClassUtils;

/**
 * The ingest service reads and writes with JDBC only, so its build leaves JPA out (optional in
 * shared-model) and its start builds no persistence unit (docs/local-stack.md, "Ingest without
 * JPA").
 */
class IngestWithoutJpaTests extends IngestTestBase {

  @Autowired ApplicationContext context;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void neitherHibernateNorSpringDataJpaIsOnTheServicesClassPath() {
    ClassLoader loader = getClass().getClassLoader();
    assertThat(ClassUtils.isPresent("org.hibernate.SessionFactory", loader)).isFalse();
    assertThat(ClassUtils.isPresent("jakarta.persistence.EntityManagerFactory", loader)).isFalse();
    assertThat(
            ClassUtils.isPresent("org.springframework.data.jpa.repository.JpaRepository", loader))
        .isFalse();
  }

  @Test
  void theRunningServiceHasAPlainJdbcTransactionManagerAndNoPersistenceUnit() {
    assertThat(transactions).isInstanceOf(JdbcTransactionManager.class);
    assertThat(context.getBeanNamesForType(Object.class))
        .noneMatch(name -> name.toLowerCase().contains("entitymanager"));
  }
}
