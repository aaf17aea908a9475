package io.alicloudauth.seal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import io.alicloudauth.config.AuthSettings;
import io.alicloudauth.config.H2Store;

/**
 * Where the seal key comes from (SPEC §11), first found: {@code alicloud-auth.seal.key}; {@code .key-file}; with
 * the embedded H2 in a file, {@code seal.key} beside the database file, generated (mode 0600) at the first start;
 * with an in-memory H2 (tests), a key that lives as long as the process. A PostgreSQL store without a key refuses
 * to start: several instances must share one key, which only the operator can give them all.
 */
final class SealKeys {

    private static final Logger LOG = Logger.getLogger(SealKeys.class);
    static final String FILE_NAME = "seal.key";
    private static final String KEY = "alicloud-auth.seal.key (ALICLOUD_AUTH_SEAL_KEY)";
    private static final String KEY_FILE = "alicloud-auth.seal.key-file (ALICLOUD_AUTH_SEAL_KEY_FILE)";
    private static final String PREVIOUS = "alicloud-auth.seal.previous-keys (ALICLOUD_AUTH_SEAL_PREVIOUS_KEYS)";
    private static final int MAX_FILE = 4096;

    private SealKeys() {
    }

    record Found(SealKey current, List<SealKey> previous) {
    }

    static Found find(AuthSettings settings, String jdbcUrl, List<SealedColumns.Value> stored) {
        Optional<String> key = settings.seal().key().filter(k -> !k.isBlank());
        Optional<String> file = settings.seal().keyFile().filter(f -> !f.isBlank());
        if (key.isPresent() && file.isPresent()) {
            throw new SealException("set one of " + KEY + " and " + KEY_FILE + ", not both");
        }
        SealKey current;
        if (key.isPresent()) {
            current = SealKey.parse(key.get(), KEY);
        } else if (file.isPresent()) {
            current = readFile(Path.of(file.get().trim()), KEY_FILE);
        } else {
            current = implicit(jdbcUrl, stored);
        }
        List<SealKey> previous = new ArrayList<>();
        List<String> listed = settings.seal().previousKeys().orElse(List.of());
        for (int i = 0; i < listed.size(); i++) {
            if (!listed.get(i).isBlank()) {
                previous.add(SealKey.parse(listed.get(i), PREVIOUS + " item " + (i + 1)));
            }
        }
        return new Found(current, List.copyOf(previous));
    }

    private static SealKey implicit(String jdbcUrl, List<SealedColumns.Value> stored) {
        Optional<Path> database = H2Store.databaseFile(jdbcUrl);
        String sealedWith = stored.stream().map(v -> Seal.keyIdOf(v.stored())).filter(id -> id != null).findFirst()
                .orElse(null);
        if (database.isPresent()) {
            Path keyFile = database.get().resolveSibling(FILE_NAME);
            if (Files.exists(keyFile)) {
                return readFile(keyFile, "the seal key file");
            }
            if (sealedWith != null) {
                throw new SealException("the database was sealed with key id " + sealedWith + ", but " + keyFile
                        + " does not exist and neither " + KEY + " nor " + KEY_FILE + " is set: give the key it was"
                        + " sealed with");
            }
            return generate(keyFile);
        }
        if (jdbcUrl.startsWith("jdbc:h2:mem:")) {
            return InMemory.KEY; // the database ends with the process, and so does its key
        }
        throw new SealException("no seal key: set " + KEY + " to base64 of 32 random bytes (openssl rand -base64 32)"
                + " or " + KEY_FILE + " to a file holding it; every instance on this database needs the same key"
                + (sealedWith == null ? "" : " (what is stored was sealed with key id " + sealedWith + ")"));
    }

    /** A key file's base64 text; refused when it is not a regular file or when group or others may read it. */
    static SealKey readFile(Path file, String what) {
        try {
            Path real = file.toRealPath();
            if (!Files.isRegularFile(real)) {
                throw new SealException(what + " " + file + " is not a regular file");
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(real);
            if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)
                    || mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new SealException(what + " " + file + " can be read or written by other users ("
                        + PosixFilePermissions.toString(mode) + "): chmod 600 " + file
                        + " (on Kubernetes, defaultMode: 0400 on the secret volume)");
            }
            byte[] text;
            try (InputStream in = Files.newInputStream(real)) {
                text = in.readNBytes(MAX_FILE + 1);
            }
            if (text.length > MAX_FILE) {
                throw new SealException(what + " " + file + " is larger than 4 KiB: it should hold base64 of 32 bytes");
            }
            return SealKey.parse(new String(text, StandardCharsets.US_ASCII), what + " " + file);
        } catch (IOException e) {
            throw new SealException(what + " " + file + " cannot be read");
        } catch (UnsupportedOperationException e) {
            throw new SealException(what + " " + file + " is not on a POSIX file system: its permissions cannot be"
                    + " checked");
        }
    }

    /** A new key in {@code file}, created 0600 (never over an existing file); said once on standard output. */
    private static SealKey generate(Path file) {
        byte[] raw = random();
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        try (SeekableByteChannel out = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(ownerOnly))) {
            Files.setPosixFilePermissions(file, ownerOnly);
            Channels.newOutputStream(out).write((Base64.getEncoder().encodeToString(raw) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (FileAlreadyExistsException e) {
            return readFile(file, "the seal key file"); // another process made it first
        } catch (IOException e) {
            throw new SealException("cannot create the seal key file " + file + ": set " + KEY + " or " + KEY_FILE);
        }
        SealKey key = SealKey.of(raw);
        System.out.println("alicloud-auth: generated a seal key in " + file + " (key id " + key.id() + "): keep a copy"
                + " apart from the database's backups; without it the secrets in the database cannot be opened");
        System.out.flush();
        LOG.debugf("seal key %s generated", key.id());
        return key;
    }

    /** One key per process for in-memory databases, which outlive an application restart within the process. */
    private static final class InMemory {
        static final SealKey KEY = SealKey.of(random());
    }

    private static byte[] random() {
        byte[] raw = new byte[SealKey.BYTES];
        new SecureRandom().nextBytes(raw);
        return raw;
    }
}
