package io.alicloudauth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Signature V3 against Alibaba's documented vectors, the SDK's, and the GetCallerIdentity ones of the reference. */
class V3SignerTest {

    /** Vector A: the step-by-step example of Alibaba's V3 page (RunInstances, query and headers). */
    @Test
    void alibabasDocumentedExampleSigns() {
        Map<String, String> headers = new TreeMap<>(Map.of(
                "host", "ecs.cn-shanghai.aliyuncs.com",
                "x-acs-action", "RunInstances",
                "x-acs-content-sha256", V3Signer.EMPTY_PAYLOAD,
                "x-acs-date", "2023-10-26T10:22:32Z",
                "x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d",
                "x-acs-version", "2014-05-26"));
        Map<String, String> query = Map.of("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
                "RegionId", "cn-shanghai");
        String canonical = V3Signer.canonicalRequest("POST", "/", query, headers, V3Signer.EMPTY_PAYLOAD);
        assertEquals("7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259", V3Signer.sha256Hex(canonical));
        assertEquals("ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;"
                + "x-acs-date;x-acs-signature-nonce;x-acs-version,"
                + "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
                V3Signer.authorization("POST", "/", query, headers, V3Signer.EMPTY_PAYLOAD, "YourAccessKeyId",
                        "YourAccessKeySecret"));
    }

    /** Vector B: the same request with the header table's date and nonce. */
    @Test
    void alibabasHeaderTableExampleSigns() {
        Map<String, String> headers = new TreeMap<>(Map.of(
                "host", "ecs.cn-shanghai.aliyuncs.com",
                "x-acs-action", "RunInstances",
                "x-acs-content-sha256", V3Signer.EMPTY_PAYLOAD,
                "x-acs-date", "2023-10-26T09:01:01Z",
                "x-acs-signature-nonce", "d410180a5abf7fe235dd9b74aca91fc0",
                "x-acs-version", "2014-05-26"));
        Map<String, String> query = Map.of("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
                "RegionId", "cn-shanghai");
        assertEquals("e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804",
                V3Signer.authorization("POST", "/", query, headers, V3Signer.EMPTY_PAYLOAD, "k", "YourAccessKeySecret")
                        .replaceFirst(".*Signature=", ""));
    }

    /** Vector C: darabonba-openapi-util's getAuthorization test (GET, an empty query value, a given payload hash). */
    @Test
    void theSdksUnitVectorSigns() {
        assertEquals("ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,"
                + "Signature=02e81f9f3cc8839151b0c7278024cbc4bfc9fa786085a0b8305f825f17b5dae7",
                V3Signer.authorization("GET", "/", Map.of("test", "ok", "empty", ""), Map.of("x-acs-test", "http"),
                        "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23", "acesskey", "secret"));
    }

    /** The reference's GetCallerIdentity vectors, without and with the server id header (SPEC §10). */
    @Test
    void getCallerIdentityVectorsSign() {
        Map<String, String> headers = new TreeMap<>(Map.of(
                "host", "sts.cn-hangzhou.aliyuncs.com",
                "x-acs-action", "GetCallerIdentity",
                "x-acs-version", "2015-04-01",
                "x-acs-date", "2026-01-01T00:00:00Z",
                "x-acs-signature-nonce", "0123456789abcdef0123456789abcdef",
                "x-acs-content-sha256", V3Signer.EMPTY_PAYLOAD));
        assertEquals("5902aabfbca28ffa5a09cb356be9b48adb2bb592df0095cf6308734e2cffb01f",
                V3Signer.authorization("POST", "/", Map.of(), headers, V3Signer.EMPTY_PAYLOAD, "k", "testsecret")
                        .replaceFirst(".*Signature=", ""));
        headers.put("x-acs-vault-server-id", "vault.example.com");
        assertEquals("ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;"
                + "x-acs-signature-nonce;x-acs-vault-server-id;x-acs-version,"
                + "Signature=f13c5c28afd10007249094ecd03b7ff2b74f7eb64300f239c2f6b1a15926a8a5",
                V3Signer.authorization("POST", "/", Map.of(), headers, V3Signer.EMPTY_PAYLOAD, "k", "testsecret"));
    }

    /** What login-data prints for V3: the same vector through the client's own header builder. */
    @Test
    void theClientsHeadersAreTheVectorsHeaders() {
        Map<String, String> built = LoginData.v3Headers("k", "testsecret", null, "sts.cn-hangzhou.aliyuncs.com",
                "vault.example.com", java.time.Instant.parse("2026-01-01T00:00:00Z"),
                "0123456789abcdef0123456789abcdef", "ua");
        assertEquals("ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;"
                + "x-acs-signature-nonce;x-acs-vault-server-id;x-acs-version,"
                + "Signature=f13c5c28afd10007249094ecd03b7ff2b74f7eb64300f239c2f6b1a15926a8a5", built.get("authorization"));
        assertEquals("application/json", built.get("accept"));
    }
}
