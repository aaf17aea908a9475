package io.alicloudauth.testing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.cli.LoginData;
import io.alicloudauth.cli.RequestSigner;

/** Builds login bodies as {@code vault login -method=alicloud} does, with knobs to make them wrong. */
public final class SignedLogin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String role = "dev-role";
    private FakeSts.Identity caller = Callers.DEV;
    private String secret;
    private String host = "sts.cn-hangzhou.aliyuncs.com";
    private String urlPrefix;
    private Instant timestamp = Instant.now();
    private String nonce = UUID.randomUUID().toString();
    private Consumer<Map<String, String>> beforeSigning = q -> { };
    private Consumer<Map<String, String>> afterSigning = q -> { };
    private Map<String, List<String>> headers = LoginData.headers("AlibabaCloud (linux; amd64) Golang/go1.22 Core/1.63.22");

    public static SignedLogin as(FakeSts.Identity caller) {
        SignedLogin login = new SignedLogin();
        login.caller = caller;
        return login;
    }

    public SignedLogin role(String value) {
        role = value;
        return this;
    }

    public SignedLogin host(String value) {
        host = value;
        return this;
    }

    /** Replaces {@code https://<host>/} in the URL with anything at all. */
    public SignedLogin urlPrefix(String value) {
        urlPrefix = value;
        return this;
    }

    public SignedLogin secret(String value) {
        secret = value;
        return this;
    }

    public SignedLogin timestamp(Instant value) {
        timestamp = value;
        return this;
    }

    public SignedLogin nonce(String value) {
        nonce = value;
        return this;
    }

    /** Changes the query before it is signed (so the signature still matches). */
    public SignedLogin beforeSigning(Consumer<Map<String, String>> tweak) {
        beforeSigning = tweak;
        return this;
    }

    /** Changes the query after it is signed (so the signature no longer matches). */
    public SignedLogin afterSigning(Consumer<Map<String, String>> tweak) {
        afterSigning = tweak;
        return this;
    }

    public SignedLogin header(String name, String value) {
        headers.put(name, List.of(value));
        return this;
    }

    public Map<String, String> query() {
        Map<String, String> params = LoginData.signedQuery(caller.accessKeyId(), "unused", caller.securityToken(),
                "cn-hangzhou", timestamp, nonce);
        params.remove("Signature");
        Map<String, String> query = new TreeMap<>(params);
        beforeSigning.accept(query);
        query.put("Signature", RequestSigner.sign("POST", query, secret == null ? caller.secret() : secret));
        afterSigning.accept(query);
        return query;
    }

    public String url() {
        String url = LoginData.url(host, query());
        if (urlPrefix != null) {
            url = urlPrefix + url.substring(url.indexOf("?"));
        }
        return url;
    }

    public String headersJson() {
        try {
            return JSON.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON body, exactly as the Vault CLI sends it. */
    public String body() {
        return json(LoginData.body(role, url(), headersJson()));
    }

    /** The body with the URL encoded as given (for malformed-URL tests). */
    public String bodyWithRawUrl(String rawUrl) {
        return json(LoginData.body(role, rawUrl, headersJson()));
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> map(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }
}
