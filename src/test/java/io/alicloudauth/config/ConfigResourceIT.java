package io.alicloudauth.config;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ConfigResourceTest} over HTTP against the packaged artifact (jar here, native binary where one is built). */
@QuarkusIntegrationTest
public class ConfigResourceIT extends ConfigResourceTest {
}
