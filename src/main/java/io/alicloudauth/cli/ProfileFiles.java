package io.alicloudauth.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The two files Alibaba Cloud users keep credentials in (reference/alibaba-credentials.md §2–3): the {@code aliyun}
 * CLI's {@code config.json} and the SDKs' INI file. Reads them into named profiles of plain text fields; what a
 * profile's mode means is {@link CredentialChain}'s business.
 */
final class ProfileFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SIZE = 1024 * 1024;

    private ProfileFiles() {
    }

    /** One profile: where it came from, its name and its fields ({@code mode} or {@code type} among them). */
    record Profile(Path file, String name, Map<String, String> fields) {

        String get(String field) {
            String value = fields.get(field);
            return value == null || value.isBlank() ? null : value.trim();
        }
    }

    /** Thrown when a file exists but cannot be used: unreadable, too large or malformed. */
    static final class Unusable extends IOException {
        Unusable(String message) {
            super(message);
        }
    }

    /** The CLI file's profiles by name, and the name its {@code current} field gives (or null). */
    record CliFile(Map<String, Profile> profiles, String current) {
    }

    static CliFile readCli(Path file, List<String> warnings) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(read(file, warnings));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Unusable(file + " is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Unusable(file + " is not a JSON object");
        }
        Map<String, Profile> profiles = new LinkedHashMap<>();
        JsonNode list = root.get("profiles");
        if (list != null && list.isArray()) {
            for (JsonNode entry : list) {
                if (!entry.isObject() || StsCalls.text(entry, "name") == null) {
                    continue;
                }
                Map<String, String> fields = new LinkedHashMap<>();
                entry.properties().forEach(f -> {
                    if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                        fields.put(f.getKey(), f.getValue().asText());
                    }
                });
                profiles.put(fields.get("name"), new Profile(file, fields.get("name"), fields));
            }
        }
        return new CliFile(profiles, StsCalls.text(root, "current"));
    }

    /**
     * The INI file's sections. Lines {@code key = value}; {@code #} and {@code ;} start a comment at the start of
     * a line or after a space.
     */
    static Map<String, Profile> readIni(Path file, List<String> warnings) throws IOException {
        Map<String, Profile> sections = new LinkedHashMap<>();
        Map<String, String> fields = null;
        int number = 0;
        for (String raw : read(file, warnings).lines().toList()) {
            number++;
            String line = stripComment(raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new Unusable(file + " line " + number + ": a section header must look like [name]");
                }
                String name = line.substring(1, line.length() - 1).strip();
                fields = new LinkedHashMap<>();
                sections.put(name, new Profile(file, name, fields));
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || fields == null) {
                throw new Unusable(file + " line " + number + ": expected key = value inside a [section]");
            }
            fields.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return sections;
    }

    private static String stripComment(String line) {
        String trimmed = line.stripLeading();
        if (trimmed.startsWith("#") || trimmed.startsWith(";")) {
            return "";
        }
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c == '#' || c == ';') && Character.isWhitespace(line.charAt(i - 1))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** The file's text; a warning when others than its owner may read it (it holds secrets). */
    private static String read(Path file, List<String> warnings) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                warnings.add(file + " holds credentials and can be read by other users: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        try {
            return LocalFiles.read(file, MAX_SIZE, "the credentials file");
        } catch (IOException e) {
            throw new Unusable(e.getMessage());
        }
    }
}
