package io.alicloudauth.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request body: one JSON object, read field by field with Vault's conversions (comma strings or arrays for
 * lists, integer seconds or Go-style strings for durations, Go's ParseBool words for booleans). Every failure is a
 * 400 whose message names the field. A field sent as JSON {@code null} counts as not sent.
 */
public final class Body {

    /** Bodies larger than this are refused with 413 before they are parsed (the largest cap of {@link RequestGuards}). */
    public static final int MAX_BYTES = RequestGuards.ADMIN_CAP;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(MAX_BYTES).build());
    }

    private final ObjectNode node;

    private Body(ObjectNode node) {
        this.node = node;
    }

    /** An empty body is an empty object when {@code optional}; otherwise a 400. */
    public static Body parse(String raw, boolean optional) {
        if (raw == null || raw.isBlank()) {
            if (optional) {
                return new Body(MAPPER.createObjectNode());
            }
            throw ApiException.badRequest("missing request body: expected a JSON object");
        }
        if (raw.length() > MAX_BYTES) {
            throw new ApiException(413, "request body too large");
        }
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("failed to parse JSON input: " + whatIsWrong(e));
        }
        if (parsed == null || !parsed.isObject()) {
            throw ApiException.badRequest("failed to parse JSON input: expected a JSON object");
        }
        return new Body((ObjectNode) parsed);
    }

    /**
     * What is wrong with a body that is not JSON, in our words: the library's message names its classes and
     * features and quotes the body, and it would reach the caller and the audit log.
     */
    private static String whatIsWrong(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return "nested more than 32 levels deep, or a value longer than " + MAX_BYTES + " characters";
        }
        if (e instanceof MismatchedInputException && e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("Trailing token")) {
            return "unexpected text after the JSON value";
        }
        if (e.getProcessor() instanceof JsonParser parser && e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("Duplicate field")) {
            String name;
            try {
                name = parser.currentName();
            } catch (java.io.IOException | RuntimeException unknown) {
                name = null;
            }
            return "duplicate field" + (name == null ? "" : " \"" + Text.shorten(name) + "\"");
        }
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "not valid JSON"
                : "not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    public boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    public Iterator<String> fieldNames() {
        return node.fieldNames();
    }

    public JsonNode raw(String field) {
        return has(field) ? node.get(field) : null;
    }

    public Optional<String> string(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            return Optional.of(value.asText());
        }
        if (value.isNumber() || value.isBoolean()) {
            return Optional.of(value.asText());
        }
        throw invalid(field, "expected a string");
    }

    /** A comma-separated string or an array of strings; items trimmed, empty items dropped. */
    public Optional<List<String>> list(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return Optional.empty();
        }
        List<String> items = new ArrayList<>();
        if (value.isTextual()) {
            splitInto(value.asText(), items);
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                if (!(item.isTextual() || item.isNumber())) {
                    throw invalid(field, "expected a comma-separated string or an array of strings");
                }
                splitInto(item.asText(), items);
            }
        } else {
            throw invalid(field, "expected a comma-separated string or an array of strings");
        }
        return Optional.of(items);
    }

    public Optional<Long> duration(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return Optional.empty();
        }
        try {
            if (value.isIntegralNumber()) {
                if (!value.canConvertToLong()) {
                    throw new IllegalArgumentException("out of range");
                }
                return Optional.of(Durations.checkRange(value.asLong()));
            }
            if (value.isTextual()) {
                return Optional.of(Durations.parseSeconds(value.asText()));
            }
        } catch (IllegalArgumentException e) {
            throw invalid(field, e.getMessage());
        }
        throw invalid(field, "expected integer seconds or a duration string such as \"90s\" or \"1h30m\"");
    }

    public Optional<Integer> integer(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return Optional.of(value.asInt());
        }
        if (value.isTextual()) {
            try {
                return Optional.of(Integer.parseInt(value.asText().trim()));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw invalid(field, "expected an integer");
    }

    public Optional<Boolean> bool(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBoolean()) {
            return Optional.of(value.asBoolean());
        }
        if (value.isIntegralNumber() && (value.asLong() == 0 || value.asLong() == 1)) {
            return Optional.of(value.asLong() == 1);
        }
        if (value.isTextual()) {
            Boolean parsed = parseBool(value.asText());
            if (parsed != null) {
                return Optional.of(parsed);
            }
        }
        throw invalid(field, "expected a boolean");
    }

    /** Go's {@code strconv.ParseBool}: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False; else null. */
    public static Boolean parseBool(String text) {
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    public static ApiException invalid(String field, String why) {
        return ApiException.badRequest(field + ": " + why);
    }

    private static void splitInto(String text, List<String> items) {
        for (String part : text.split(",")) {
            String trimmed = part.trim();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
    }

    /** Lowercase, trimmed, deduplicated, in first-seen order. */
    public static List<String> lowerDistinct(List<String> items) {
        List<String> out = new ArrayList<>();
        for (String item : items) {
            String lower = item.toLowerCase(Locale.ROOT);
            if (!out.contains(lower)) {
                out.add(lower);
            }
        }
        return out;
    }
}
