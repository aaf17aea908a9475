package io.alicloudauth.login;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link BindingsTest} over HTTP against the packaged artifact. */
@QuarkusIntegrationTest
public class BindingsIT extends BindingsTest {
}
