package io.alicloudauth.identity;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Durations;
import io.alicloudauth.policy.Templates;

/**
 * A role's claim template in Vault's JSON templating mode (SPEC §9): {@code {{ ... }}} directives are replaced by JSON
 * values (a string comes out quoted, a map as an object), then the text must be a JSON object whose top-level keys
 * become claims. Directives: {@code identity.entity.id|name|metadata[.<k>]|groups.names|groups.ids},
 * {@code identity.entity.aliases.<accessor>.id|name|metadata[.<k>]|custom_metadata[.<k>]}, {@code time.now},
 * {@code time.now.plus.<duration>}, {@code time.now.minus.<duration>}. Errors carry Vault's texts.
 */
final class ClaimTemplate {

    /** Claims a template may not set (Vault's list). */
    static final List<String> RESERVED = List.of("iat", "aud", "exp", "iss", "sub", "namespace", "nonce",
            "auth_time", "at_hash", "c_hash");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOT_FOUND = "no value could be found for one of the template directives";
    private static final String UNBALANCED = "unbalanced templating characters";

    private ClaimTemplate() {
    }

    /** A template error, with Vault's text. */
    static final class TemplateException extends RuntimeException {
        TemplateException(String message) {
            super(message);
        }
    }

    /**
     * The template as it is stored: base64 of it decoded (as Vault), checked by rendering it for an entity with
     * nothing set; a 400 with Vault's text otherwise.
     */
    static String check(String written) {
        String template = decodedIfBase64(written);
        if (template.isEmpty()) {
            return template;
        }
        Map<String, JsonNode> claims;
        try {
            claims = claims(render(template, Templates.Identity.NONE, 0));
        } catch (TemplateException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        for (String key : claims.keySet()) {
            if (RESERVED.contains(key)) {
                throw ApiException.badRequest("top level key \"" + key + "\" not allowed. Restricted keys: "
                        + String.join(", ", RESERVED));
            }
        }
        return template;
    }

    /** The claims the template gives for {@code identity} at {@code now} (epoch seconds), reserved keys left out. */
    static Map<String, JsonNode> claimsFor(String template, Templates.Identity identity, long now) {
        if (template.isEmpty()) {
            return Map.of();
        }
        Map<String, JsonNode> claims = claims(render(template, identity, now));
        RESERVED.forEach(claims::remove);
        return claims;
    }

    private static Map<String, JsonNode> claims(String rendered) {
        JsonNode node;
        try {
            node = JSON.readTree(rendered);
        } catch (JsonProcessingException e) {
            throw new TemplateException("error parsing template JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new TemplateException("error parsing template JSON: the template must be a JSON object");
        }
        Map<String, JsonNode> claims = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            claims.put(e.getKey(), e.getValue());
        }
        return claims;
    }

    /** The template with every directive replaced (Vault's {@code PopulateString} in JSON mode). */
    static String render(String template, Templates.Identity identity, long now) {
        String[] pieces = template.split("\\{\\{", -1);
        if (pieces[0].contains("}}")) {
            throw new TemplateException("error parsing template: " + UNBALANCED);
        }
        StringBuilder out = new StringBuilder(pieces[0]);
        for (int i = 1; i < pieces.length; i++) {
            String[] parts = pieces[i].split("}}", -1);
            if (parts.length != 2) {
                throw new TemplateException("error parsing template: " + UNBALANCED);
            }
            try {
                out.append(value(parts[0].trim(), identity, now));
            } catch (TemplateException e) {
                throw new TemplateException("error parsing template: " + e.getMessage());
            }
            out.append(parts[1]);
        }
        return out.toString();
    }

    private static String value(String directive, Templates.Identity id, long now) {
        if (directive.startsWith("identity.entity.")) {
            return entity(directive.substring("identity.entity.".length()), id);
        }
        if (directive.startsWith("identity.groups.")) {
            throw new TemplateException("string contains groups template directives but no groups were provided");
        }
        if (directive.startsWith("time.")) {
            return time(directive.substring("time.".length()), now);
        }
        throw new TemplateException(NOT_FOUND);
    }

    private static String entity(String field, Templates.Identity id) {
        switch (field) {
            case "id":
                return json(id.entityId());
            case "name":
                return json(id.entityName());
            case "metadata":
                return "{}";
            case "groups.names":
            case "groups.ids":
                return "[]";
            default:
                break;
        }
        if (field.startsWith("metadata.")) {
            return json("");
        }
        if (field.startsWith("aliases.")) {
            String[] split = field.substring("aliases.".length()).split("\\.", 2);
            if (split.length != 2) {
                throw new TemplateException("invalid alias selector");
            }
            boolean ours = !id.mountAccessor().isEmpty() && split[0].equals(id.mountAccessor());
            return alias(split[1], ours ? id : Templates.Identity.NONE);
        }
        throw new TemplateException(NOT_FOUND);
    }

    private static String alias(String field, Templates.Identity id) {
        switch (field) {
            case "id":
                return json(aliasId(id));
            case "name":
                return json(id.aliasName());
            case "metadata":
                return json(id.aliasMetadata());
            case "custom_metadata":
                return "{}";
            default:
                break;
        }
        if (field.startsWith("metadata.")) {
            return json(id.aliasMetadata().getOrDefault(field.substring("metadata.".length()), ""));
        }
        if (field.startsWith("custom_metadata.")) {
            return json("");
        }
        throw new TemplateException(NOT_FOUND);
    }

    /** A stable id for the alias (Vault gives each alias a UUID): derived from its entity. */
    static String aliasId(Templates.Identity id) {
        return id.entityId().isEmpty() ? ""
                : UUID.nameUUIDFromBytes(("alicloud-alias:" + id.entityId()).getBytes(StandardCharsets.UTF_8))
                        .toString();
    }

    private static String time(String selector, long now) {
        String[] ops = selector.split("\\.", 3);
        if (!ops[0].equals("now")) {
            throw new TemplateException("invalid time selector \"" + ops[0] + "\"");
        }
        if (ops.length == 1) {
            return Long.toString(now);
        }
        if (ops.length == 2) {
            throw new TemplateException("missing time operand");
        }
        long seconds;
        try {
            seconds = Durations.parseSeconds(ops[2]);
        } catch (RuntimeException e) {
            throw new TemplateException("invalid duration: " + ops[2]);
        }
        return switch (ops[1]) {
            case "plus" -> Long.toString(now + seconds);
            case "minus" -> Long.toString(now - seconds);
            default -> throw new TemplateException("invalid time operator \"" + ops[1] + "\"");
        };
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Vault tries base64 first: padded standard base64 of UTF-8 text is decoded. */
    static String decodedIfBase64(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.length() % 4 != 0 || !trimmed.matches("[A-Za-z0-9+/]+={0,2}")) {
            return text;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(trimmed);
            String decoded = new String(raw, StandardCharsets.UTF_8);
            return java.util.Arrays.equals(decoded.getBytes(StandardCharsets.UTF_8), raw) ? decoded : text;
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
