package io.alicloudauth.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The manifests in deploy/ parse, and agree with each other and with the service: probe paths, ports, secret keys,
 * non-root users. (No Kubernetes schema validator is installable here; these are the checks that matter.)
 */
class DeployManifestsTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<JsonNode> documents(String path) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(Files.readString(Path.of(path)))) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.add(doc);
                }
            }
        }
        return out;
    }

    static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).findFirst().orElseThrow();
    }

    @Test
    void theAgentSidecarExampleRunsTheAgentIntoAVolumeTheAppOnlyReads() throws Exception {
        JsonNode pod = kind(documents("deploy/kubernetes/agent-sidecar.example.yaml"), "Deployment")
                .path("spec").path("template");
        JsonNode agent = null;
        JsonNode app = null;
        for (JsonNode container : pod.path("spec").path("containers")) {
            if (container.path("name").asText().equals("alicloud-auth-agent")) {
                agent = container;
            } else {
                app = container;
            }
        }
        assertNotNull(agent);
        assertNotNull(app);
        List<String> args = new ArrayList<>();
        agent.path("args").forEach(a -> args.add(a.asText()));
        assertEquals("agent", args.get(0));
        List<String> command = new ArrayList<>();
        agent.path("command").forEach(a -> command.add(a.asText()));
        // Out of heap, the agent exits and is restarted, never left half-alive, as the service's images do.
        assertEquals(List.of("./application", "-XX:+ExitOnOutOfMemoryError"), command);
        String sink = args.stream().filter(a -> a.startsWith("--sink-file=")).findFirst().orElseThrow()
                .substring("--sink-file=".length());
        // Every option is one the agent knows, with a valid value: its usage check passes (it then finds no server).
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        List<String> checked = new ArrayList<>(args.subList(1, args.size()));
        checked.replaceAll(a -> a.startsWith("--sink-file=") ? "--sink-file=/nonexistent-dir/token" : a);
        int code = io.alicloudauth.cli.AgentCommand.run(checked.toArray(String[]::new), Map.of(),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err));
        assertEquals(1, code, err.toString());
        assertTrue(err.toString().contains("the sink's directory /nonexistent-dir does not exist"), err.toString());
        String volume = null;
        for (JsonNode mount : agent.path("volumeMounts")) {
            if (sink.startsWith(mount.path("mountPath").asText() + "/")) {
                volume = mount.path("name").asText();
            }
        }
        assertNotNull(volume, "the sink is on a mounted volume");
        boolean readOnly = false;
        for (JsonNode mount : app.path("volumeMounts")) {
            readOnly |= mount.path("name").asText().equals(volume) && mount.path("readOnly").asBoolean();
        }
        assertTrue(readOnly, "the application mounts the token volume read-only");
        assertEquals("on", pod.path("metadata").path("labels").path("pod-identity.alibabacloud.com/injection").asText());
    }

    @Test
    void kubernetesDeploymentIsScrapedForMetricsOnTheManagementPort() throws Exception {
        JsonNode deployment = kind(documents("deploy/kubernetes/alicloud-auth.yaml"), "Deployment");
        JsonNode annotations = deployment.path("spec").path("template").path("metadata").path("annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText());
        assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText());
        String port = annotations.path("prometheus.io/port").asText();
        boolean served = false;
        for (JsonNode p : deployment.path("spec").path("template").path("spec").path("containers").get(0).path("ports")) {
            served |= p.path("containerPort").asText().equals(port) && p.path("name").asText().equals("management");
        }
        assertTrue(served, "the annotated port is the container's management port");
        // Metrics are on the management interface (application.properties), whose port the annotation names.
        java.util.Properties props = new java.util.Properties();
        props.load(Files.newBufferedReader(Path.of("src/main/resources/application.properties")));
        assertEquals("true", props.getProperty("quarkus.management.enabled"));
        assertEquals(port, props.getProperty("quarkus.management.port"));
        // The Service exposes only the public port: metrics are scraped from the pod, not through the Service.
        JsonNode service = kind(documents("deploy/kubernetes/alicloud-auth.yaml"), "Service");
        assertEquals(1, service.path("spec").path("ports").size());
    }

    @Test
    void kubernetesDeploymentProbesTheHealthEndpointsAndTakesSecretsFromTheSecret() throws Exception {
        List<JsonNode> docs = documents("deploy/kubernetes/alicloud-auth.yaml");
        JsonNode deployment = kind(docs, "Deployment");
        JsonNode service = kind(docs, "Service");
        JsonNode secret = kind(documents("deploy/kubernetes/secret.example.yaml"), "Secret");
        assertEquals("apps/v1", deployment.path("apiVersion").asText());

        JsonNode pod = deployment.path("spec").path("template");
        assertEquals(deployment.path("spec").path("selector").path("matchLabels"), pod.path("metadata").path("labels"));
        assertEquals(service.path("spec").path("selector"), pod.path("metadata").path("labels"));
        assertTrue(pod.path("spec").path("securityContext").path("runAsNonRoot").asBoolean());

        JsonNode container = pod.path("spec").path("containers").get(0);
        Map<String, Integer> ports = new HashMap<>();
        container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        assertEquals(8080, ports.get("http"));
        assertEquals("http", service.path("spec").path("ports").get(0).path("targetPort").asText());

        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertTrue(ports.containsKey(container.path(probe).path("httpGet").path("port").asText()), probe);
        }

        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        // A PostgreSQL build refuses to start without a seal key (SPEC §11): it comes from the Secret too.
        for (String name : List.of("ALICLOUD_AUTH_ROOT_TOKEN", "QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_DATASOURCE_USERNAME",
                "ALICLOUD_AUTH_SEAL_KEY")) {
            JsonNode ref = env.get(name).path("valueFrom").path("secretKeyRef");
            assertEquals(secret.path("metadata").path("name").asText(), ref.path("name").asText(), name);
            assertTrue(secret.path("stringData").has(ref.path("key").asText()), name + " names a key the Secret has");
            assertFalse(env.get(name).has("value"), name + " must not be inline");
        }
        assertTrue(env.get("QUARKUS_DATASOURCE_JDBC_URL").path("value").asText().startsWith("jdbc:postgresql://"));
        assertNotNull(container.path("resources").path("limits").path("memory").asText(null));
    }

    @Test
    void functionComputeFunctionListensWhereItsTriggerAndHealthCheckLook() throws Exception {
        JsonNode s = documents("deploy/function-compute/s.yaml").get(0);
        assertEquals("3.0.0", s.path("edition").asText());
        JsonNode props = s.path("resources").path("alicloud-auth").path("props");
        assertEquals("fc3", s.path("resources").path("alicloud-auth").path("component").asText());
        assertEquals("custom-container", props.path("runtime").asText());
        JsonNode container = props.path("customContainerConfig");
        assertEquals(9000, container.path("port").asInt());
        assertEquals("9000", props.path("environmentVariables").path("QUARKUS_HTTP_PORT").asText());
        assertEquals("/q/health/ready", container.path("healthCheckConfig").path("httpGetUrl").asText());
        assertTrue(props.path("environmentVariables").path("QUARKUS_DATASOURCE_JDBC_URL").asText()
                .startsWith("jdbc:postgresql://"));
        assertTrue(props.path("environmentVariables").path("ALICLOUD_AUTH_SEAL_KEY").asText().startsWith("${env("),
                "the seal key comes from the deployer's environment, never from the file");
        JsonNode trigger = props.path("triggers").get(0);
        assertEquals("http", trigger.path("triggerType").asText());
        List<String> methods = new ArrayList<>();
        trigger.path("triggerConfig").path("methods").forEach(m -> methods.add(m.asText()));
        assertTrue(methods.containsAll(List.of("GET", "POST", "PUT", "DELETE")), methods.toString());
    }

    @Test
    void dockerfilesRunAsNonRootAndCopyWhatTheBuildProduces() throws Exception {
        String jvm = Files.readString(Path.of("deploy/container/Dockerfile.jvm"));
        String nativeImage = Files.readString(Path.of("deploy/container/Dockerfile.native"));
        for (String dockerfile : List.of(jvm, nativeImage)) {
            // A JVM out of heap exits and is restarted, never left half-alive (issue #16).
            assertTrue(dockerfile.contains("\"-XX:+ExitOnOutOfMemoryError\""), dockerfile);
            Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(dockerfile);
            assertTrue(user.find());
            assertFalse(List.of("0", "root").contains(user.group(1)));
        }
        List<String> jvmSources = copySources(jvm);
        assertEquals(List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/",
                "target/quarkus-app/quarkus/", "target/quarkus-app/app.aot"), jvmSources);
        // The AOT cache only matches the class path it was trained with: run from the app directory, by -jar.
        assertTrue(jvm.contains("WORKDIR /deployments") && jvm.contains("\"-XX:AOTCache=app.aot\"")
                && jvm.contains("\"-jar\", \"quarkus-run.jar\""), jvm);
        // The native profile names the binary ${project.build.finalName}-runner (see pom.xml native.image.path).
        assertEquals(List.of("target/*-runner"), copySources(nativeImage));
        assertTrue(Files.readString(Path.of("pom.xml")).contains("${project.build.finalName}-runner"));
    }

    static List<String> copySources(String dockerfile) {
        List<String> sources = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+\\S+\\s*$").matcher(dockerfile);
        while (m.find()) {
            sources.add(m.group(1));
        }
        return sources;
    }
}
