package io.alicloudauth.role;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link RoleResourceTest} over HTTP against the packaged artifact (jar here, native binary where one is built). */
@QuarkusIntegrationTest
public class RoleResourceIT extends RoleResourceTest {
}
