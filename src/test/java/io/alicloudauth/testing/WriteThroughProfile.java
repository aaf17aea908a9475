package io.alicloudauth.testing;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Write-through on, against a {@link FakeVault}. */
public class WriteThroughProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeVaultResource.class));
    }
}
