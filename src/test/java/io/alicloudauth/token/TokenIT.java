package io.alicloudauth.token;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link TokenTest} over HTTP against the packaged artifact (jar here, native binary where one is built). */
@QuarkusIntegrationTest
public class TokenIT extends TokenTest {
}
