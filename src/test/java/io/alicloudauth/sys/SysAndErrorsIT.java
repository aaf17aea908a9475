package io.alicloudauth.sys;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SysAndErrorsTest} over HTTP against the packaged artifact (jar here, native binary where one is built). */
@QuarkusIntegrationTest
public class SysAndErrorsIT extends SysAndErrorsTest {
}
