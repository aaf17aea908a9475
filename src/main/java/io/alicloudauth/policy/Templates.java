package io.alicloudauth.policy;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.sys.SysResource;
import io.alicloudauth.token.Token;

/**
 * Vault's ACL templating (SPEC §8): {@code {{identity.entity.id}}}, {@code {{identity.entity.name}}},
 * {@code {{identity.entity.metadata.<key>}}}, {@code {{identity.entity.aliases.<accessor>.id|name}}} and
 * {@code {{identity.entity.aliases.<accessor>.metadata.<key>}}}, filled from the token's identity. A parameter that
 * cannot be filled for a token (another accessor, a missing key, no entity) makes its pattern match nothing, as in
 * Vault; so does a filled value that would act as a glob ({@code *}, {@code +}) or climb ({@code ..}).
 */
public final class Templates {

    private static final Pattern PARAMETER = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern VALID = Pattern.compile("\\s*identity\\.[A-Za-z0-9_.\\-]+\\s*");

    private Templates() {
    }

    /** What a token's identity gives templates: its entity, and its alias on one mount (by accessor). */
    public record Identity(String entityId, String entityName, String mountAccessor, String aliasName,
            Map<String, String> aliasMetadata) {

        /** No entity: what the root token has, and what a template is checked against at write. */
        public static final Identity NONE = new Identity("", "", "", "", Map.of());

        /** What templates see of a token: its entity, and its alias and login metadata on the alicloud mount. */
        public static Identity of(Token token) {
            Map<String, String> meta;
            try {
                meta = token.meta == null ? Map.of() : JSON.readValue(token.meta, new TypeReference<Map<String, String>>() {
                });
            } catch (java.io.IOException e) {
                meta = Map.of();
            }
            String entity = token.entityId == null ? "" : token.entityId;
            String alias = token.displayName != null && token.displayName.startsWith("alicloud-")
                    ? token.displayName.substring("alicloud-".length()) : "";
            return new Identity(entity, entity.isEmpty() ? "" : "entity_" + entity.substring(0, Math.min(8,
                    entity.length())), SysResource.ALICLOUD_ACCESSOR, alias, meta);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether {@code pattern} holds templates; a {@link PolicyException} when one is malformed. */
    static boolean check(String pattern, String where) {
        if (!pattern.contains("{{") && !pattern.contains("}}")) {
            return false;
        }
        Matcher m = PARAMETER.matcher(pattern);
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (m.find()) {
            if (!VALID.matcher(m.group(1)).matches()) {
                throw new PolicyException(where + "invalid template parameter \"" + PolicyParser.shorten(m.group(1))
                        + "\" (identity.entity.id, identity.entity.name, identity.entity.aliases.<accessor>.name, ...)");
            }
            rest.append(pattern, last, m.start());
            last = m.end();
        }
        rest.append(pattern.substring(last));
        if (rest.indexOf("{{") >= 0 || rest.indexOf("}}") >= 0) {
            throw new PolicyException(where + "unbalanced {{ }} in a template");
        }
        return true;
    }

    /** The pattern with every parameter filled; empty when one cannot be. */
    static Optional<String> fill(String pattern, Identity identity) {
        Matcher m = PARAMETER.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = value(m.group(1).trim(), identity);
            if (value == null || value.isEmpty() || value.contains("*") || value.contains("+")
                    || value.contains("{") || value.contains("}") || value.contains("..")) {
                return Optional.empty();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return Optional.of(out.toString());
    }

    private static String value(String parameter, Identity id) {
        if (id.entityId().isEmpty()) {
            return null;
        }
        switch (parameter) {
            case "identity.entity.id":
                return id.entityId();
            case "identity.entity.name":
                return id.entityName();
            default:
                break;
        }
        String aliases = "identity.entity.aliases." + id.mountAccessor() + ".";
        if (!id.mountAccessor().isEmpty() && parameter.startsWith(aliases)) {
            String field = parameter.substring(aliases.length());
            if (field.equals("name")) {
                return id.aliasName();
            }
            if (field.startsWith("metadata.")) {
                return id.aliasMetadata().get(field.substring("metadata.".length()));
            }
        }
        return null; // entity metadata (empty here), groups, other mounts: nothing to fill
    }
}
