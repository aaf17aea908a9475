package io.alicloudauth.policy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Vault's ACL policy language (SPEC §8): HCL ({@code path "<pattern>" { capabilities = [...] }}, {@code #},
 * {@code //} and {@code /* *}{@code /} comments, several blocks, Vault's older {@code policy = "read"} shorthand) or
 * its JSON form ({@code {"path": {"<pattern>": {"capabilities": [...]}}}}). Every error names the line. Keys this
 * service does not implement ({@code allowed_parameters}, {@code control_group}, ...) are refused: ignoring them
 * would grant more than the author meant.
 */
public final class PolicyParser {

    static final Set<String> UNSUPPORTED = Set.of("allowed_parameters", "denied_parameters", "required_parameters",
            "min_wrapping_ttl", "max_wrapping_ttl", "control_group", "mfa_methods", "expiration", "pagination_limit",
            "list_scan_response_keys_filter_path");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final int MAX_RULES = 4096;

    private PolicyParser() {
    }

    /** The path rules of a policy text; a {@link PolicyException} when it does not parse or is empty. */
    public static List<PathRule> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new PolicyException("the policy is empty");
        }
        List<PathRule> rules = text.stripLeading().startsWith("{") ? json(text) : hcl(text);
        if (rules.isEmpty()) {
            throw new PolicyException("the policy has no path blocks");
        }
        return rules;
    }

    // ---- HCL ---------------------------------------------------------------------------------------------------

    private static List<PathRule> hcl(String text) {
        Lexer lexer = new Lexer(text);
        List<PathRule> rules = new ArrayList<>();
        while (lexer.peek().kind != Kind.EOF) {
            Token key = lexer.next();
            if (key.kind != Kind.IDENT && key.kind != Kind.STRING) {
                throw error(key, "expected a key such as path, found " + key.describe());
            }
            switch (key.text) {
                case "name" -> {
                    expect(lexer, Kind.EQUALS, "= after name");
                    Token value = lexer.next();
                    if (value.kind != Kind.STRING) {
                        throw error(value, "name must be a string");
                    }
                }
                case "path" -> {
                    if (lexer.peek().kind == Kind.EQUALS) {
                        lexer.next(); // path = { "<pattern>" = { ... } ... }
                        expect(lexer, Kind.LBRACE, "{ after path =");
                        while (lexer.peek().kind != Kind.RBRACE) {
                            rules.add(patternBlock(lexer));
                            skipComma(lexer);
                        }
                        lexer.next();
                    } else {
                        rules.add(patternBlock(lexer)); // path "<pattern>" { ... }
                    }
                }
                default -> throw error(key, "invalid key \"" + shorten(key.text) + "\" (a policy has path blocks)");
            }
            if (rules.size() > MAX_RULES) {
                throw error(key, "more than " + MAX_RULES + " path blocks");
            }
            skipComma(lexer);
        }
        return rules;
    }

    /** {@code "<pattern>" [=] { ... }}: one path block. */
    private static PathRule patternBlock(Lexer lexer) {
        Token pattern = lexer.next();
        if (pattern.kind != Kind.STRING) {
            throw error(pattern, "expected a quoted path pattern after path, found " + pattern.describe());
        }
        if (lexer.peek().kind == Kind.EQUALS) {
            lexer.next();
        }
        return block(lexer, pattern);
    }

    /** {@code { capabilities = [...] ... }} after a path pattern. */
    private static PathRule block(Lexer lexer, Token pattern) {
        expect(lexer, Kind.LBRACE, "{ after path \"" + shorten(pattern.text) + "\"");
        List<String> capabilities = null;
        String shorthand = null;
        int capabilitiesLine = pattern.line;
        while (lexer.peek().kind != Kind.RBRACE) {
            Token key = lexer.next();
            if (key.kind != Kind.IDENT && key.kind != Kind.STRING) {
                throw error(key, "expected a key in path \"" + shorten(pattern.text) + "\", found " + key.describe());
            }
            if (UNSUPPORTED.contains(key.text)) {
                throw error(key, "path \"" + shorten(pattern.text) + "\": " + key.text + " is not supported by"
                        + " alicloud-auth (it would be ignored, granting more than the policy says)");
            }
            if (lexer.peek().kind == Kind.EQUALS) {
                lexer.next();
            }
            switch (key.text) {
                case "capabilities" -> {
                    capabilitiesLine = key.line;
                    capabilities = stringList(lexer, "capabilities");
                }
                case "policy" -> {
                    Token value = lexer.next();
                    if (value.kind != Kind.STRING) {
                        throw error(value, "policy must be a string");
                    }
                    shorthand = value.text;
                }
                case "comment" -> {
                    Token value = lexer.next();
                    if (value.kind != Kind.STRING) {
                        throw error(value, "comment must be a string");
                    }
                }
                default -> throw error(key, "path \"" + shorten(pattern.text) + "\": invalid key \"" + shorten(key.text)
                        + "\" (capabilities, policy or comment)");
            }
            skipComma(lexer);
        }
        lexer.next();
        return rule(pattern.text, capabilities, shorthand, capabilitiesLine);
    }

    private static List<String> stringList(Lexer lexer, String what) {
        Token open = lexer.next();
        if (open.kind != Kind.LBRACKET) {
            throw error(open, what + " must be a list such as [\"read\", \"list\"]");
        }
        List<String> items = new ArrayList<>();
        while (lexer.peek().kind != Kind.RBRACKET) {
            Token item = lexer.next();
            if (item.kind != Kind.STRING) {
                throw error(item, what + ": expected a quoted string, found " + item.describe());
            }
            items.add(item.text);
            if (lexer.peek().kind == Kind.COMMA) {
                lexer.next();
            } else if (lexer.peek().kind != Kind.RBRACKET) {
                throw error(lexer.peek(), what + ": expected , or ]");
            }
        }
        lexer.next();
        return items;
    }

    private static void skipComma(Lexer lexer) {
        if (lexer.peek().kind == Kind.COMMA) {
            lexer.next();
        }
    }

    private static void expect(Lexer lexer, Kind kind, String what) {
        Token t = lexer.next();
        if (t.kind != kind) {
            throw error(t, "expected " + what + ", found " + t.describe());
        }
    }

    private static PolicyException error(Token at, String message) {
        return new PolicyException("line " + at.line + ": " + message);
    }

    // ---- JSON --------------------------------------------------------------------------------------------------

    private static List<PathRule> json(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new PolicyException("line " + line + ": not valid JSON"
                    + (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                            ? " (a key appears twice)" : ""));
        }
        if (root == null || !root.isObject()) {
            throw new PolicyException("line 1: expected a JSON object");
        }
        List<PathRule> rules = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> top = it.next();
            if (top.getKey().equals("name")) {
                continue;
            }
            if (!top.getKey().equals("path")) {
                throw new PolicyException("invalid key \"" + shorten(top.getKey()) + "\" (a policy has path blocks)");
            }
            if (!top.getValue().isObject()) {
                throw new PolicyException("path must be an object of patterns");
            }
            for (Iterator<Map.Entry<String, JsonNode>> paths = top.getValue().fields(); paths.hasNext();) {
                Map.Entry<String, JsonNode> path = paths.next();
                rules.add(jsonRule(path.getKey(), path.getValue()));
            }
        }
        if (rules.size() > MAX_RULES) {
            throw new PolicyException("more than " + MAX_RULES + " path blocks");
        }
        return rules;
    }

    private static PathRule jsonRule(String pattern, JsonNode body) {
        String at = "path \"" + shorten(pattern) + "\": ";
        if (!body.isObject()) {
            throw new PolicyException(at + "expected an object with capabilities");
        }
        List<String> capabilities = null;
        String shorthand = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (UNSUPPORTED.contains(key)) {
                throw new PolicyException(at + key + " is not supported by alicloud-auth (it would be ignored,"
                        + " granting more than the policy says)");
            }
            switch (key) {
                case "capabilities" -> {
                    if (!field.getValue().isArray()) {
                        throw new PolicyException(at + "capabilities must be a list of strings");
                    }
                    capabilities = new ArrayList<>();
                    for (JsonNode c : field.getValue()) {
                        if (!c.isTextual()) {
                            throw new PolicyException(at + "capabilities must be a list of strings");
                        }
                        capabilities.add(c.asText());
                    }
                }
                case "policy" -> {
                    if (!field.getValue().isTextual()) {
                        throw new PolicyException(at + "policy must be a string");
                    }
                    shorthand = field.getValue().asText();
                }
                case "comment" -> {
                    // allowed, ignored
                }
                default -> throw new PolicyException(at + "invalid key \"" + shorten(key)
                        + "\" (capabilities, policy or comment)");
            }
        }
        return rule(pattern, capabilities, shorthand, 0);
    }

    // ---- one rule, as Vault reads it ---------------------------------------------------------------------------

    private static PathRule rule(String rawPattern, List<String> capabilities, String shorthand, int line) {
        String where = (line > 0 ? "line " + line + ": " : "") + "path \"" + shorten(rawPattern) + "\": ";
        String pattern = rawPattern.startsWith("/") ? rawPattern.substring(1) : rawPattern;
        if (pattern.contains("+*")) {
            throw new PolicyException(where + "invalid use of wildcards ('+*' is forbidden)");
        }
        if (pattern.length() > 1024 || pattern.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new PolicyException(where + "a pattern is at most 1,024 printable characters");
        }
        boolean templated = Templates.check(pattern, where);
        List<String> words = new ArrayList<>(capabilities == null ? List.of() : capabilities);
        if (shorthand != null) {
            switch (shorthand) {
                case "deny" -> words.add("deny");
                case "read" -> words.addAll(List.of("read", "list"));
                case "write" -> words.addAll(List.of("create", "read", "update", "delete", "list"));
                case "sudo" -> words.addAll(List.of("create", "read", "update", "delete", "list", "sudo"));
                default -> throw new PolicyException(where + "invalid policy \"" + shorten(shorthand) + "\"");
            }
        }
        int bits = 0;
        for (String word : words) {
            Capability c = Capability.of(word);
            if (c == null) {
                throw new PolicyException(where + "invalid capability \"" + shorten(word) + "\"");
            }
            if (c == Capability.DENY) {
                bits = Capability.DENY.bit();
                break;
            }
            bits |= c.bit();
        }
        return new PathRule(pattern, bits, templated);
    }

    static String shorten(String s) {
        return io.alicloudauth.api.Text.shorten(s);
    }

    // ---- the HCL lexer -----------------------------------------------------------------------------------------

    enum Kind { IDENT, STRING, NUMBER, EQUALS, LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA, EOF }

    record Token(Kind kind, String text, int line) {
        String describe() {
            return switch (kind) {
                case EOF -> "the end of the policy";
                case STRING -> "\"" + shorten(text) + "\"";
                default -> "'" + shorten(text) + "'";
            };
        }
    }

    private static final class Lexer {
        private final String s;
        private int i;
        private int line = 1;
        private Token peeked;

        Lexer(String s) {
            this.s = s;
        }

        Token peek() {
            if (peeked == null) {
                peeked = scan();
            }
            return peeked;
        }

        Token next() {
            Token t = peek();
            peeked = null;
            return t;
        }

        private Token scan() {
            skipSpaceAndComments();
            if (i >= s.length()) {
                return new Token(Kind.EOF, "", line);
            }
            char c = s.charAt(i);
            int at = line;
            switch (c) {
                case '=' -> { i++; return new Token(Kind.EQUALS, "=", at); }
                case '{' -> { i++; return new Token(Kind.LBRACE, "{", at); }
                case '}' -> { i++; return new Token(Kind.RBRACE, "}", at); }
                case '[' -> { i++; return new Token(Kind.LBRACKET, "[", at); }
                case ']' -> { i++; return new Token(Kind.RBRACKET, "]", at); }
                case ',' -> { i++; return new Token(Kind.COMMA, ",", at); }
                case '"' -> { return string(); }
                default -> { }
            }
            if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_-.".indexOf(s.charAt(i)) >= 0)) {
                    i++;
                }
                return new Token(Kind.IDENT, s.substring(start, i), at);
            }
            if (Character.isDigit(c) || c == '-') {
                int start = i++;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                return new Token(Kind.NUMBER, s.substring(start, i), at);
            }
            throw new PolicyException("line " + at + ": unexpected character '" + (c < 0x20 || c > 0x7e ? "?" : c) + "'");
        }

        private Token string() {
            int at = line;
            StringBuilder out = new StringBuilder();
            i++;
            while (true) {
                if (i >= s.length() || s.charAt(i) == '\n') {
                    throw new PolicyException("line " + at + ": a string is not closed");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return new Token(Kind.STRING, out.toString(), at);
                }
                if (c == '\\') {
                    if (i >= s.length()) {
                        throw new PolicyException("line " + at + ": a string is not closed");
                    }
                    char e = s.charAt(i++);
                    switch (e) {
                        case '"', '\\', '/' -> out.append(e);
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        default -> throw new PolicyException("line " + at + ": invalid escape \\" + e + " in a string");
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private void skipSpaceAndComments() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\n') {
                    line++;
                    i++;
                } else if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '#' || (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/')) {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                    int at = line;
                    int end = s.indexOf("*/", i + 2);
                    if (end < 0) {
                        throw new PolicyException("line " + at + ": a /* comment is not closed");
                    }
                    for (int k = i; k < end; k++) {
                        if (s.charAt(k) == '\n') {
                            line++;
                        }
                    }
                    i = end + 2;
                } else {
                    return;
                }
            }
        }
    }
}
