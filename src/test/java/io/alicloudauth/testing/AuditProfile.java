package io.alicloudauth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The audit log written to a fresh temporary file ({@link #FILE}). */
public class AuditProfile implements QuarkusTestProfile {

    public static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("alicloud-auth-audit-", ".log");
            // As an earlier version left it: readable by every local user. The service makes it 0600.
            Files.setPosixFilePermissions(FILE, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("alicloud-auth.audit.file", FILE.toString());
    }

    /** The audit log where nothing can be written: its "directory" is a regular file (this fails even for root). */
    public static class Unwritable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path notADirectory = Files.createTempFile("alicloud-auth-not-a-dir-", ".txt");
                return Map.of("alicloud-auth.audit.file", notADirectory.resolve("audit.log").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
