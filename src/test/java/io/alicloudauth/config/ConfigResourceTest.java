package io.alicloudauth.config;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
public class ConfigResourceTest {

    static final String PATH = "/v1/auth/alicloud/config";

    @AfterEach
    void reset() {
        admin().body("{\"sts_endpoint\":\"\",\"sts_timeout\":\"10s\"}").post(PATH).then().statusCode(204);
    }

    @Test
    void writesMergeAndReadsShowEffectiveValues() {
        admin().body("{\"sts_endpoint\":\"\",\"sts_timeout\":10}").post(PATH).then().statusCode(204);
        admin().get(PATH).then().statusCode(200).body("data.sts_endpoint", equalTo(""))
                .body("data.sts_timeout", equalTo(10));
        admin().body("{\"sts_endpoint\":\"https://sts-vpc.cn-hangzhou.aliyuncs.com\"}").put(PATH).then().statusCode(204);
        admin().body("{\"sts_timeout\":\"30s\"}").post(PATH).then().statusCode(204);
        admin().get(PATH).then().statusCode(200)
                .body("data.sts_endpoint", equalTo("https://sts-vpc.cn-hangzhou.aliyuncs.com"))
                .body("data.sts_timeout", equalTo(30));
    }

    @Test
    void plainHttpIsOnlyForLoopback() {
        admin().body("{\"sts_endpoint\":\"http://127.0.0.1:8443\"}").post(PATH).then().statusCode(204);
        admin().body("{\"sts_endpoint\":\"http://localhost:8443/\"}").post(PATH).then().statusCode(204);
        String[] bad = {"http://10.0.0.1:8443", "http://sts.aliyuncs.com", "ftp://127.0.0.1", "https://u:p@host",
            "https://host/path", "https://host/?q=1", "not a url", "https://"};
        for (String endpoint : bad) {
            admin().body("{\"sts_endpoint\":\"" + endpoint + "\"}").post(PATH).then().statusCode(400)
                    .body("errors[0]", containsString("sts_endpoint"));
        }
        admin().get(PATH).then().body("data.sts_endpoint", equalTo("http://localhost:8443/"));
    }

    @Test
    void badTimeoutChangesNothing() {
        admin().body("{\"sts_timeout\":\"20s\"}").post(PATH).then().statusCode(204);
        for (String timeout : new String[] {"0", "\"-1s\"", "\"1h\"", "\"soon\"", "true"}) {
            admin().body("{\"sts_endpoint\":\"https://sts.aliyuncs.com\",\"sts_timeout\":" + timeout + "}").post(PATH)
                    .then().statusCode(400).body("errors[0]", containsString("sts_timeout"));
        }
        admin().get(PATH).then().body("data.sts_timeout", equalTo(20)).body("data.sts_endpoint", equalTo(""));
    }

    @Test
    void configNeedsTheRootToken() {
        anyone().get(PATH).then().statusCode(403);
        anyone().body("{\"sts_timeout\":5}").post(PATH).then().statusCode(403);
    }
}
