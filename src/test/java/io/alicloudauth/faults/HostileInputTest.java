package io.alicloudauth.faults;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.cli.LoginData;
import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.alicloudauth.testing.SignedLoginV3;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A seeded fuzzer over the login and role bodies (random and mutated JSON, base64, URLs, headers, unicode, huge and
 * nested values). Properties: never a 5xx; never a token for a request whose signed URL or role was changed; never
 * an outbound call for a request that fails validation; a refused role write changes nothing. The seed is fixed
 * for CI and printed; {@code -Dfuzz.seed=...} replays or explores, {@code -Dfuzz.cases=...} sets how many cases.
 */
@QuarkusTest
public class HostileInputTest {

    /** Fixed by default so that CI is repeatable; {@code -Dfuzz.seed=$RANDOM} explores. */
    static final long SEED = Long.getLong("fuzz.seed", 20261125L);
    static final int CASES = Integer.getInteger("fuzz.cases", 600);
    static final String[] HOSTS = {"sts.aliyuncs.com.evil.io", "evil.io", "127.0.0.1", "sts.cn-hangzhou.aliyuncs.com:444",
        "[::1]", "sts.aliyuncs.co", "xn--sts-9na.aliyuncs.com", "sts.aliyuncs.com%2F@evil.io", "169.254.169.254",
        "100.100.100.200", "sts.cn-hangzhou.aliyuncs.com/../../evil", "localhost"};
    static final String[] ODD = {"", " ", "null", "\u0000", "\u202e", "😀", "é", "\r\n", "%00", "../", "${jndi:x}",
        "'\"<>", "\\", "a".repeat(70_000), "=".repeat(10), "%", "%zz", "+", "&Action=AssumeRole"};

    /** What the JSON library says of itself in its messages: never in ours. */
    static final String[] LIBRARY_TEXT = {"jackson", "Jackson", "com.fasterxml", "Feature", "Source:", "JsonToken",
        "reference chain", "Unexpected character", "Unrecognized token"};

    final Random random = new Random(SEED);

    @BeforeEach
    void setUp() {
        System.out.println("HostileInputTest seed " + SEED + " (-Dfuzz.seed=" + SEED + " to replay)");
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeDevRole();
    }

    @Test
    void fuzzedLoginBodiesNeverCrashLeakOrCallOut() {
        int tokens = 0;
        int outbound = 0;
        for (int i = 0; i < CASES; i++) {
            SignedLogin signed = SignedLogin.as(Callers.DEV);
            String url = signed.url();
            String headers = signed.headersJson();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("role", "dev-role");
            body.put("identity_request_url", LoginData.base64(url));
            body.put("identity_request_headers", LoginData.base64(headers));
            int kind = random.nextInt(13);
            String acsAction = null;
            String raw = null;
            boolean signedHeaderChanged = false;
            String change = "";
            switch (kind) {
                case 0 -> raw = randomText(random.nextInt(400));
                case 1 -> body.put(pick("role", "identity_request_url", "identity_request_headers"), randomValue(0));
                case 2 -> body.put("identity_request_url", LoginData.base64(mutate(url)));
                case 3 -> body.put("identity_request_url", mutate(LoginData.base64(url)));
                case 4 -> body.put("identity_request_headers", random.nextBoolean() ? randomValue(0) : mutate(headers));
                case 5 -> body.put("role", pick(ODD) + randomText(random.nextInt(20)));
                case 6 -> body.put("identity_request_url", LoginData.base64(url.replace("sts.cn-hangzhou.aliyuncs.com",
                        pick(HOSTS))));
                case 7 -> raw = nested(random.nextInt(200) + 1);
                case 9 -> raw = SignedLogin.json(body) + pick(" 1", "{}", " \"x\"", "[]", " null", "\n{\"role\":\"x\"}");
                case 10 -> {
                    acsAction = pick("AssumeRole", "GetCallerIdentity", "getcalleridentity", "", "GetCallerIdentity ");
                    body.put("identity_request_headers", LoginData.base64(headers.substring(0, headers.length() - 1)
                            + ",\"x-acs-action\":\"" + acsAction + "\"}"));
                }
                case 11 -> { // a V3 login whose headers text is mutated
                    String v3 = SignedLogin.json(v3Lists(SignedLoginV3.as(Callers.DEV).headers()));
                    body.put("identity_request_url", LoginData.base64("https://sts.cn-hangzhou.aliyuncs.com/"));
                    body.put("identity_request_headers", random.nextBoolean() ? LoginData.base64(mutate(v3))
                            : mutate(LoginData.base64(v3)));
                }
                case 12 -> { // a V3 login with one header changed, removed or added after signing
                    Map<String, String> v3 = new java.util.TreeMap<>(SignedLoginV3.as(Callers.DEV).headers());
                    String signedNames = v3.get("authorization").replaceFirst(".*SignedHeaders=([^,]*),.*", "$1");
                    String name = pick(v3.keySet().toArray(String[]::new));
                    int how = random.nextInt(3);
                    switch (how) {
                        case 0 -> v3.put(name, pick(ODD) + randomText(random.nextInt(8)));
                        case 1 -> v3.remove(name);
                        default -> v3.put(random.nextBoolean() ? "x-acs-" + randomText(3) : name.toUpperCase(),
                                randomText(5));
                    }
                    // (host may be left out: the URL carries it, SPEC §10)
                    signedHeaderChanged = (List.of(signedNames.split(";")).contains(name) || name.equals("authorization"))
                            && !(how == 1 && name.equals("host"));
                    change = name + " -> " + v3.get(name);
                    body.put("identity_request_url", LoginData.base64("https://sts.cn-hangzhou.aliyuncs.com/"));
                    body.put("identity_request_headers", LoginData.base64(SignedLogin.json(v3Lists(v3))));
                }
                default -> body.put("extra-" + i, randomValue(0));
            }
            String sent = raw != null ? raw : SignedLogin.json(body);
            int before = FakeStsResource.sts().requestCount();
            Response response = anyone().body(sent.getBytes(StandardCharsets.UTF_8)).post("/v1/auth/alicloud/login");
            int status = response.statusCode();
            boolean called = FakeStsResource.sts().requestCount() > before;
            String context = "case " + i + " kind " + kind + " seed " + SEED + ": " + abbreviate(sent);
            assertTrue(status < 500, status + " " + response.asString() + " for " + context);
            if (status == 400 || status == 413) {
                assertTrue(!called, "a request that failed validation reached STS: " + context);
            }
            if (status >= 400) {
                String error = String.valueOf(response.jsonPath().getString("errors[0]"));
                for (String library : LIBRARY_TEXT) {
                    assertTrue(!error.contains(library), "library text in an error: " + error + " for " + context);
                }
            }
            if (kind == 9) {
                assertEquals(400, status, "trailing text after the body was accepted: " + context);
            }
            if (acsAction != null && !acsAction.equals("GetCallerIdentity")) {
                assertEquals(400, status, "an x-acs-action that contradicts the signed query was sent on: " + context);
            }
            if (signedHeaderChanged) {
                assertTrue(status != 200, "a token for a V3 request whose signed header was changed (" + change + "): "
                        + context);
            }
            if (status == 200 && kind >= 11) {
                tokens++;
            } else if (status == 200) {
                tokens++;
                // The signature covers the query only (SPEC §4): a token is right only for the signed query, unchanged,
                // and the role asked for. (A host changed within the allowlist is sent to sts_endpoint all the same.)
                assertTrue(raw == null && "dev-role".equals(body.get("role"))
                        && signedQuery(url).equals(signedQuery(decode(body.get("identity_request_url")))),
                        "a token for a changed request: " + context);
            }
            outbound += called ? 1 : 0;
        }
        System.out.println("login fuzz: " + CASES + " cases, " + tokens + " tokens (signed query and role unchanged), "
                + outbound + " reached STS");
    }

    @Test
    void fuzzedRoleBodiesNeverCrashAndRefusalsChangeNothing() {
        String before = admin().get("/v1/auth/alicloud/role/dev-role").then().statusCode(200).extract().asString();
        String[] fields = {"arn", "token_policies", "token_ttl", "token_max_ttl", "token_explicit_max_ttl",
            "token_period", "token_num_uses", "token_no_default_policy", "token_type", "token_bound_cidrs",
            "policies", "ttl", "max_ttl", "period", "bound_cidrs", "bound_arns", "bound_principal_ids"};
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            Map<String, Object> body = new LinkedHashMap<>();
            int n = random.nextInt(4) + 1;
            for (int f = 0; f < n; f++) {
                body.put(pick(fields), randomValue(0));
            }
            String sent = random.nextInt(10) == 0 ? randomText(random.nextInt(200)) : SignedLogin.json(body);
            Response response = admin().body(sent.getBytes(StandardCharsets.UTF_8)).post("/v1/auth/alicloud/role/dev-role");
            int status = response.statusCode();
            assertTrue(status < 500, status + " " + response.asString() + " for " + abbreviate(sent) + " seed " + SEED);
            String after = admin().get("/v1/auth/alicloud/role/dev-role").then().statusCode(200).extract().asString();
            if (status == 400) {
                refused++;
                assertEquals(withoutRequestId(before), withoutRequestId(after), "a refused write changed the role: "
                        + abbreviate(sent));
            }
            before = after;
        }
        System.out.println("role fuzz: " + CASES + " cases, " + refused + " refused");
    }

    private static String decode(Object base64) {
        try {
            return new String(Base64.getDecoder().decode(String.valueOf(base64)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String signedQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? "" : url.substring(q);
    }

    private static String withoutRequestId(String envelope) {
        return envelope.replaceAll("\"request_id\":\"[^\"]*\"", "");
    }

    private Object randomValue(int depth) {
        return switch (random.nextInt(depth > 3 ? 6 : 9)) {
            case 0 -> null;
            case 1 -> random.nextLong();
            case 2 -> random.nextBoolean();
            case 3 -> random.nextDouble() * 1e12 - 5e11;
            case 4 -> pick(ODD);
            case 5 -> randomText(random.nextInt(60));
            case 6 -> java.util.Arrays.asList(randomValue(depth + 1), randomValue(depth + 1));
            case 7 -> Map.of("k" + random.nextInt(9), String.valueOf(randomValue(depth + 1)));
            default -> pick("1h", "-1s", "90", "1.5h", "2d", "10.0.0.0/8", "acs:ram::1:role/x", "acs:ram::*:role/*",
                    "default", "batch", "root", "true", "0", "99999999999999999999");
        };
    }

    private String randomText(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                out.append((char) (32 + random.nextInt(95)));
            } else if (kind < 8) {
                out.appendCodePoint(0x80 + random.nextInt(0x2FFF));
            } else if (kind == 8) {
                out.append((char) random.nextInt(32));
            } else {
                out.appendCodePoint(0x1F600 + random.nextInt(50));
            }
        }
        return out.toString();
    }

    private static Map<String, List<String>> v3Lists(Map<String, String> headers) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        headers.forEach((k, v) -> out.put(k, List.of(v)));
        return out;
    }

    private String mutate(String text) {
        StringBuilder out = new StringBuilder(text);
        int edits = random.nextInt(3) + 1;
        for (int e = 0; e < edits && out.length() > 0; e++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(4)) {
                case 0 -> out.deleteCharAt(at);
                case 1 -> out.insert(at, pick(ODD).length() > 20 ? "x" : pick(ODD));
                case 2 -> out.setCharAt(at, (char) (32 + random.nextInt(95)));
                default -> out.insert(at, randomText(3));
            }
        }
        return out.toString();
    }

    private String nested(int depth) {
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return "{\"role\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";
    }

    @SafeVarargs
    private <T> T pick(T... items) {
        return items[random.nextInt(items.length)];
    }

    private static String abbreviate(String s) {
        String b64 = Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars, base64 " + b64.length() + ")";
    }
}
