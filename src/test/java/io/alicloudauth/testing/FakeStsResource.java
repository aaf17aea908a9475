package io.alicloudauth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the {@link FakeSts} on a dynamic loopback port for the test JVM. Tests point the mount's
 * {@code sts_endpoint} at {@link #sts()}{@code .url()} through the API, as an operator would.
 */
public class FakeStsResource implements QuarkusTestResourceLifecycleManager {

    private static FakeSts sts;

    public static synchronized FakeSts sts() {
        if (sts == null) {
            try {
                sts = new FakeSts().add(Callers.DEV).add(Callers.OTHER_ACCOUNT).add(Callers.OPS).add(Callers.USER)
                        .add(Callers.MISMATCHED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sts;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("fake-sts.url", sts().url());
    }

    @Override
    public void stop() {
        // Shared by every test class in this JVM; its daemon threads end with it.
    }
}
