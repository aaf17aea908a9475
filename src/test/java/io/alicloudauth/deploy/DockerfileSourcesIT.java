package io.alicloudauth.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** After packaging: the files Dockerfile.jvm copies are really there. */
class DockerfileSourcesIT {

    @Test
    void jvmDockerfileSourcesExistAfterPackage() throws Exception {
        String dockerfile = Files.readString(Path.of("deploy/container/Dockerfile.jvm"));
        for (String source : DeployManifestsTest.copySources(dockerfile)) {
            if (source.endsWith("app.aot")) {
                continue; // only a -Daot build makes it (JDK 25 training run)
            }
            if (source.endsWith("*.jar")) {
                try (var jars = Files.newDirectoryStream(Path.of(source.substring(0, source.lastIndexOf('/'))), "*.jar")) {
                    assertTrue(jars.iterator().hasNext(), source);
                }
            } else {
                assertTrue(Files.isDirectory(Path.of(source)), source);
            }
        }
        assertTrue(Files.isRegularFile(Path.of("target/quarkus-app/quarkus-run.jar")));
    }
}
