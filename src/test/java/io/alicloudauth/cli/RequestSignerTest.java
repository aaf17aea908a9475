package io.alicloudauth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The SPEC §7 vectors, and the GetCallerIdentity-shaped ones of the reference (§6.4). */
class RequestSignerTest {

    @Test
    void alibabaDocumentedExampleSigns() {
        Map<String, String> params = new HashMap<>();
        params.put("AccessKeyId", "testid");
        params.put("Action", "DescribeRegions");
        params.put("Format", "XML");
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        params.put("SignatureVersion", "1.0");
        params.put("Timestamp", "2016-02-23T12:46:24Z");
        params.put("Version", "2014-05-26");
        assertEquals("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod"
                + "%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
                + "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
                RequestSigner.stringToSign("GET", params));
        assertEquals("OLeaidS1JvxuMvnyHOwuJ+uX5qY=", RequestSigner.sign("GET", params, "testsecret"));
    }

    @Test
    void goSdkVectorsSignWithAndWithoutSecurityToken() {
        Map<String, String> params = new HashMap<>();
        params.put("Version", "");
        params.put("Action", "");
        params.put("Format", "JSON");
        params.put("Timestamp", "mock date");
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureVersion", "1.0");
        params.put("SignatureType", "");
        params.put("SignatureNonce", "MOCK_UUID");
        params.put("AccessKeyId", "accessKeyId");
        params.put("RegionId", "regionId");
        assertEquals("GET&%2F&AccessKeyId%3DaccessKeyId%26Action%3D%26Format%3DJSON%26RegionId%3DregionId"
                + "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3DMOCK_UUID%26SignatureType%3D"
                + "%26SignatureVersion%3D1.0%26Timestamp%3Dmock%2520date%26Version%3D",
                RequestSigner.stringToSign("GET", params));
        assertEquals("7loPmFjvDnzOVnQeQNj85S6nFGY=", RequestSigner.sign("GET", params, "accessKeySecret"));
        params.put("SecurityToken", "accessKeyStsToken");
        assertEquals("5Nxdcler+ihqWqv0Hr2On4PsBf4=", RequestSigner.sign("GET", params, "accessKeySecret"));
    }

    @Test
    void getCallerIdentityRequestSignsAsTheReferenceComputed() {
        Map<String, String> query = LoginData.signedQuery("testid", "testsecret", null, "us-east-1",
                Instant.parse("2016-02-23T12:46:24Z"), "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        assertEquals("pxw3RhTK1vbWl397n1AK0xMV6yg=", query.get("Signature"));
        assertEquals("https://sts.us-east-1.aliyuncs.com/?AccessKeyId=testid&Action=GetCallerIdentity&Format=JSON"
                + "&RegionId=us-east-1&Signature=pxw3RhTK1vbWl397n1AK0xMV6yg%3D&SignatureMethod=HMAC-SHA1"
                + "&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureType=&SignatureVersion=1.0"
                + "&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2015-04-01",
                LoginData.url("sts.us-east-1.aliyuncs.com", query));
        Map<String, String> withToken = LoginData.signedQuery("testid", "testsecret", "CAIS+token/abc==",
                "us-east-1", Instant.parse("2016-02-23T12:46:24Z"), "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        assertEquals("/1uaw2gXGAkvddH9uAxC1wh6DaA=", withToken.get("Signature"));
    }

    @Test
    void percentEncodingKeepsOnlyUnreservedCharacters() {
        assertEquals("a%20b%2A~%2B%2F%3D-_.%C3%A9", RequestSigner.percentEncode("a b*~+/=-_.é"));
    }
}
