package io.alicloudauth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one {@link FakeSts} of this test JVM, on a dynamic loopback port, started on first use. Tests point the
 * mount's {@code sts_endpoint} at its URL through the API, as an operator would.
 *
 * <p>Not a {@code QuarkusTestResourceLifecycleManager}: a manager is loaded by another class loader than the test
 * classes, so the test could not reach the instance it started to switch its failure modes or read what it saw.
 */
public final class FakeStsResource {

    private static FakeSts sts;

    private FakeStsResource() {
    }

    public static synchronized FakeSts sts() {
        if (sts == null) {
            try {
                sts = new FakeSts().add(Callers.DEV).add(Callers.OTHER_ACCOUNT).add(Callers.OPS).add(Callers.USER)
                        .add(Callers.MISMATCHED).add(Callers.APP_WEB).add(Callers.FOREIGN_APP_WEB)
                        .add(Callers.CI_BUILD).add(Callers.CI_DEPLOY).add(Callers.RECREATED_DEV)
                        .add(Callers.DEPLOYER).add(Callers.ROOT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sts;
    }
}
