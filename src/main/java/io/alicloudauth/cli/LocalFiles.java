package io.alicloudauth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Local files the client reads (profiles, INI files, OIDC token files, key files): regular files only (a FIFO or a
 * device would never end, or end where its writer likes), read through a capped stream, never by size then whole.
 */
final class LocalFiles {

    private LocalFiles() {
    }

    /** The file's text, at most {@code max} bytes (an IOException beyond); {@code what} names it in messages. */
    static String read(Path file, int max, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(Files.exists(file) ? what + " " + file + " is not a regular file"
                    : "cannot read " + what + " " + file);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(max + 1);
        } catch (IOException e) {
            throw new IOException("cannot read " + what + " " + file);
        }
        if (bytes.length > max) {
            throw new IOException(what + " " + file + " is larger than " + max + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
