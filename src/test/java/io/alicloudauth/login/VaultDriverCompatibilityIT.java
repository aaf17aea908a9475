package io.alicloudauth.login;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link VaultDriverCompatibilityTest} over HTTP against the packaged artifact (jar here, native binary where one is built). */
@QuarkusIntegrationTest
public class VaultDriverCompatibilityIT extends VaultDriverCompatibilityTest {
}
