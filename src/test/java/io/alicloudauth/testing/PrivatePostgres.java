package io.alicloudauth.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of the test's own (Debian's postgresql-15, as {@code deploy/postgres/local.sh} installs it),
 * on a free loopback port with its data in a temporary directory, so a test can stop and start it under load
 * without touching the shared one. Needs root (to run as the postgres user), as CI is.
 */
public final class PrivatePostgres implements AutoCloseable {

    static final String BIN = "/usr/lib/postgresql/15/bin/";

    public final int port;
    private final Path data;

    private PrivatePostgres(int port, Path data) {
        this.port = port;
        this.data = data;
    }

    public static PrivatePostgres start() throws Exception {
        Path dir = Files.createTempDirectory("alicloud-auth-pg-");
        Path data = dir.resolve("data");
        run("chown", "postgres:postgres", dir.toString());
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        asPostgres(BIN + "initdb", "-D", data.toString(), "-U", "postgres", "--auth=trust");
        PrivatePostgres pg = new PrivatePostgres(port, data);
        pg.up();
        asPostgres("psql", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", "-qc",
                "create database alicloud_auth");
        return pg;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/alicloud_auth";
    }

    public void up() throws Exception {
        asPostgres(BIN + "pg_ctl", "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w", "-o",
                "-p " + port + " -k /tmp -c listen_addresses=127.0.0.1", "start");
    }

    /** Fast shutdown: open connections are cut, as when the database goes away. */
    public void down() throws Exception {
        asPostgres(BIN + "pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
    }

    @Override
    public void close() throws Exception {
        try {
            down();
        } catch (Exception e) {
            // already stopped
        }
        run("rm", "-rf", data.getParent().toString());
    }

    private static void asPostgres(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
