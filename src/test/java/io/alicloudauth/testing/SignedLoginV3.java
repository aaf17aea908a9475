package io.alicloudauth.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

import io.alicloudauth.cli.LoginData;
import io.alicloudauth.cli.V3Signer;

/** Builds V3-signed login bodies (SPEC §10) as Alibaba's SDK signs them, with knobs to make them wrong. */
public final class SignedLoginV3 {

    private String role = "dev-role";
    private FakeSts.Identity caller = Callers.DEV;
    private String host = "sts.cn-hangzhou.aliyuncs.com";
    private String url;
    private Instant date = Instant.now();
    private String serverId;
    private Consumer<Map<String, String>> beforeSigning = h -> { };
    private Consumer<Map<String, String>> afterSigning = h -> { };

    public static SignedLoginV3 as(FakeSts.Identity caller) {
        SignedLoginV3 login = new SignedLoginV3();
        login.caller = caller;
        return login;
    }

    public SignedLoginV3 role(String value) {
        role = value;
        return this;
    }

    public SignedLoginV3 host(String value) {
        host = value;
        return this;
    }

    /** The identity_request_url as given (default {@code https://<host>/}). */
    public SignedLoginV3 url(String value) {
        url = value;
        return this;
    }

    public SignedLoginV3 date(Instant value) {
        date = value;
        return this;
    }

    public SignedLoginV3 serverId(String value) {
        serverId = value;
        return this;
    }

    /** Changes the headers that will be signed (so the signature covers the change). */
    public SignedLoginV3 beforeSigning(Consumer<Map<String, String>> tweak) {
        beforeSigning = tweak;
        return this;
    }

    /** Changes the headers after signing, Authorization included (so the signature no longer covers them). */
    public SignedLoginV3 afterSigning(Consumer<Map<String, String>> tweak) {
        afterSigning = tweak;
        return this;
    }

    /** Every header sent: the signed ones, Authorization, accept and user-agent. */
    public Map<String, String> headers() {
        Map<String, String> signed = new TreeMap<>();
        signed.put("host", host);
        signed.put("x-acs-action", "GetCallerIdentity");
        signed.put("x-acs-version", "2015-04-01");
        signed.put("x-acs-date", LoginData.TIMESTAMP.format(date));
        signed.put("x-acs-signature-nonce", UUID.randomUUID().toString().replace("-", ""));
        signed.put("x-acs-content-sha256", V3Signer.EMPTY_PAYLOAD);
        if (caller.securityToken() != null) {
            signed.put("x-acs-security-token", caller.securityToken());
        }
        if (serverId != null) {
            signed.put("x-acs-vault-server-id", serverId);
        }
        beforeSigning.accept(signed);
        Map<String, String> all = new TreeMap<>(signed);
        all.put("authorization", V3Signer.authorization("POST", "/", Map.of(), signed, V3Signer.EMPTY_PAYLOAD,
                caller.accessKeyId(), caller.secret()));
        all.put("accept", "application/json");
        all.put("user-agent", "AlibabaCloud (linux; x64) Node.js/v20 Core/1.0.8 TeaDSL/2");
        afterSigning.accept(all);
        return all;
    }

    /** The login body: headers as Vault's CLI encodes them (base64 of a JSON map of name to values). */
    public String body() {
        Map<String, List<String>> lists = new TreeMap<>();
        headers().forEach((name, value) -> lists.put(name, List.of(value)));
        return SignedLogin.json(LoginData.body(role, url == null ? "https://" + host + "/" : url,
                SignedLogin.json(lists)));
    }

    /** The body with the headers JSON given as is (for duplicate-header tests). */
    public String bodyWithHeaders(String headersJson) {
        return SignedLogin.json(LoginData.body(role, url == null ? "https://" + host + "/" : url, headersJson));
    }
}
