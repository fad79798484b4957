package io.ferry.server.schedule;

import io.ferry.server.shared.MetadataStoreConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.boot.quartz.autoconfigure.QuartzProperties;
import org.springframework.boot.quartz.autoconfigure.SchedulerFactoryBeanCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Quartz's JDBC delegate for the metadata database: PostgreSQL stores job data as bytea and needs
 * its own; H2 and MySQL/MariaDB take the standard one. The rest of Quartz's settings are in
 * application.properties.
 */
@Configuration(proxyBeanMethods = false)
public class SchedulingConfig {

  @Bean
  SchedulerFactoryBeanCustomizer quartzDelegate(DataSource dataSource, QuartzProperties quartz) {
    return factory -> {
      Properties properties = new Properties();
      properties.putAll(quartz.getProperties());
      try (Connection c = dataSource.getConnection()) {
        boolean postgres =
            MetadataStoreConfig.quartzVendor(c.getMetaData().getDatabaseProductName())
                .equals("postgresql");
        properties.put(
            "org.quartz.jobStore.driverDelegateClass",
            postgres
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate"
                : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
      } catch (SQLException e) {
        throw new IllegalStateException("cannot reach the metadata database: " + e.getMessage(), e);
      }
      factory.setQuartzProperties(properties);
    };
  }
}
