package io.alicloudauth.bench;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;

/**
 * The least a login service does, for the benchmark (not a test): each request it is sent (an empty-body POST to a
 * signed STS path, as {@code wrk-lines.lua} sends in {@code sts} mode) is sent on to the stand-in as it came, and the
 * stand-in's answer is sent back. No parsing, no database, no token: what it costs on top of the stand-in called
 * directly is the ceiling for any service on this machine, with the load generator and the stand-in beside it.
 * It runs as Quarkus runs its HTTP server (Vert.x, twice the cores' event loops); with {@code worker} each call
 * also waits for the answer on a worker thread, as the service's login does, instead of on the event loop.
 */
final class Relay extends AbstractVerticle {

    private final URI target;
    private final boolean worker;
    private final int port;
    private HttpClient client;

    private Relay(URI target, boolean worker, int port) {
        this.target = target;
        this.worker = worker;
        this.port = port;
    }

    static void start(Path portFile, URI target, boolean worker) throws Exception {
        int loops = 2 * Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(200));
        int port;
        try (var probe = new ServerSocket(0)) { // a free port, then every instance on it (Vert.x shares it)
            port = probe.getLocalPort();
        }
        vertx.deployVerticle(() -> new Relay(target, worker, port), new DeploymentOptions().setInstances(loops))
                .toCompletionStage().toCompletableFuture().get();
        Files.writeString(portFile, Integer.toString(port), StandardCharsets.UTF_8);
    }

    @Override
    public void start(Promise<Void> started) {
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(target.getHost())
                .setDefaultPort(target.getPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(256));
        vertx.createHttpServer().requestHandler(this::relay).listen(port, "127.0.0.1")
                .onSuccess(s -> started.complete()).onFailure(started::fail);
    }

    private void relay(HttpServerRequest request) {
        String uri = request.uri();
        request.body().compose(ignored -> worker
                ? vertx.executeBlocking(() -> call(uri).toCompletionStage().toCompletableFuture().get(), false)
                : call(uri))
                .onSuccess(answer -> request.response().setStatusCode(answer.status).end(answer.body))
                .onFailure(e -> request.response().setStatusCode(502).end(String.valueOf(e.getMessage())));
    }

    private record Answer(int status, Buffer body) {
    }

    private Future<Answer> call(String uri) {
        return client.request(HttpMethod.POST, uri).compose(r -> r.putHeader("Content-Length", "0").send())
                .compose(r -> r.body().map(b -> new Answer(r.statusCode(), b)));
    }
}
