package io.alicloudauth.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;

/**
 * On the embedded H2 store, makes every commit durable before it is acknowledged ({@code SET WRITE_DELAY 0}, a
 * persistent database setting): H2 otherwise flushes up to half a second later, and a killed process would lose
 * roles or tokens it had already confirmed. Runs before anything writes, whatever JDBC URL the operator gives.
 */
@ApplicationScoped
public class H2Durability {

    private final AgroalDataSource dataSource;
    private final String jdbcUrl;

    public H2Durability(AgroalDataSource dataSource, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) throws SQLException {
        if (!jdbcUrl.startsWith("jdbc:h2:file:") && !jdbcUrl.startsWith("jdbc:h2:./") && !jdbcUrl.startsWith("jdbc:h2:~")) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
        }
    }
}
