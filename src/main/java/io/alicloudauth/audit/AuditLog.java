package io.alicloudauth.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.api.Transactions;
import io.alicloudauth.config.AuthSettings;
import io.alicloudauth.seal.Seal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The audit log: one JSON line per login attempt and per request to a protected path, appended to
 * {@code alicloud-auth.audit.file} (or stdout). Tokens, accessors and signatures appear only as
 * {@code hmac-sha256:<hex>} under a per-install key, as Vault's audit devices write them, so a line can be matched
 * to a token the reader holds without the log disclosing any.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    private final AuthSettings settings;
    private final ObjectMapper json;
    private volatile byte[] key;
    private OutputStream out;

    private final Counter failures;

    private final Seal seal;

    public AuditLog(AuthSettings settings, ObjectMapper json, MeterRegistry registry, Seal seal) {
        this.seal = seal;
        this.failures = Counter.builder("alicloud_auth_audit_failures")
                .description("Audit lines that could not be written (the request was refused)").register(registry);
        this.settings = settings;
        this.json = json;
    }

    public boolean enabled() {
        return settings.audit().file().filter(f -> !f.isBlank()).isPresent();
    }

    /** Fails with a 503 unless the sink can be written: called before a login does anything irreversible. */
    public void ensureWritable() {
        if (enabled()) {
            synchronized (this) {
                open();
            }
        }
    }

    /** Appends one line; a 503 if it cannot. {@code entry} values are already safe to write (see {@link #hmac}). */
    public void write(String type, Map<String, Object> entry) {
        if (!enabled()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("type", type);
        line.putAll(entry);
        byte[] bytes;
        try {
            bytes = (json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        synchronized (this) {
            try {
                open().write(bytes);
                out.flush();
            } catch (IOException e) {
                closeQuietly();
                LOG.errorf("audit log %s cannot be written: %s", settings.audit().file().orElse(""), e.getMessage());
                failures.increment();
                throw new AuditUnavailable();
            }
        }
    }

    /** {@code hmac-sha256:<hex>} of a secret under the install's key; null stays null. */
    public String hmac(String secret) {
        if (secret == null || secret.isEmpty()) {
            return secret;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return "hmac-sha256:" + HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            String hex = Transactions.write(() -> {
                AuditKey existing = AuditKey.findById(1);
                if (existing != null) {
                    return existing.hmacKey;
                }
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                AuditKey created = AuditKey.generate(seal.seal(HexFormat.of().formatHex(random), AuditKey.TABLE, 1,
                        AuditKey.COLUMN));
                created.persist();
                return created.hmacKey;
            });
            k = HexFormat.of().parseHex(seal.openText(hex, AuditKey.TABLE, 1, AuditKey.COLUMN));
            key = k;
        }
        return k;
    }

    private OutputStream open() {
        if (out != null) {
            return out;
        }
        String file = settings.audit().file().orElse("").trim();
        if (file.equals("stdout")) {
            out = System.out;
            return out;
        }
        try {
            out = ownerOnly(Path.of(file));
            return out;
        } catch (IOException | RuntimeException e) {
            LOG.errorf("audit log %s cannot be opened: %s", file, e.getClass().getSimpleName());
            failures.increment();
            throw new AuditUnavailable();
        }
    }

    /**
     * The audit file for appending, created 0600; one that others may read (an earlier version's) is made 0600 too.
     * Its lines carry no secret, but who logged in from where is the operator's business.
     */
    private static OutputStream ownerOnly(Path path) throws IOException {
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        OutputStream stream = Channels.newOutputStream(Files.newByteChannel(path, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(ownerOnly)));
        try {
            if (Files.isRegularFile(path) && !ownerOnly.containsAll(Files.getPosixFilePermissions(path))) {
                Files.setPosixFilePermissions(path, ownerOnly);
                LOG.infof("audit log %s made readable by its owner only (0600)", path);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("audit log %s: its permissions cannot be set to 0600", path);
        }
        return stream;
    }

    private void closeQuietly() {
        if (out != null && out != System.out) {
            try {
                out.close();
            } catch (IOException e) {
                // already failing
            }
        }
        out = null;
    }
}
