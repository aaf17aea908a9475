package io.alicloudauth.login;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link LoginTest} over HTTP against the packaged artifact (jar here, native binary where one is built). */
@QuarkusIntegrationTest
public class LoginIT extends LoginTest {
}
