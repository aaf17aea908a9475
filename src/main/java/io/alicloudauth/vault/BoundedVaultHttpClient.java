package io.alicloudauth.vault;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import io.quarkus.vault.client.common.VaultRequest;
import io.quarkus.vault.client.common.VaultResponse;
import io.quarkus.vault.client.http.VaultHttpClient;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * The Quarkus Vault extension's Vert.x executor, with one change: an answer is read to at most
 * {@link #MAX_RESPONSE_BYTES}. The stock executor reads any answer whole, so a Vault (or anything posing as one)
 * that answers without end would grow memory without bound. Past the cap the body stream fails, the web client
 * resets the connection, and the call fails with {@link TooLarge}.
 */
final class BoundedVaultHttpClient extends VaultHttpClient {

    static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    private static final HttpMethod LIST = HttpMethod.valueOf("LIST");

    private final WebClient web;

    BoundedVaultHttpClient(WebClient web) {
        this.web = web;
    }

    @Override
    public <T> CompletionStage<VaultResponse<T>> execute(VaultRequest<T> request) {
        RequestOptions options = new RequestOptions().setAbsoluteURI(request.getUrl())
                .setTimeout(request.getTimeout().toMillis());
        request.getHTTPHeaders().forEach(options::addHeader);
        var http = web.request(method(request), options).as(capped(MAX_RESPONSE_BYTES));
        Future<HttpResponse<Buffer>> sent = request.getSerializedBody().map(Buffer::buffer).map(http::sendBuffer)
                .orElseGet(http::send);
        return sent.toCompletionStage()
                .thenCompose(res -> {
                    byte[] body = res.body() == null ? null : res.body().getBytes();
                    List<Map.Entry<String, String>> headers = res.headers().entries();
                    return buildResponse(request, res.statusCode(), headers, body);
                });
    }

    private static HttpMethod method(VaultRequest<?> request) {
        return switch (request.getMethod()) {
            case LIST -> LIST;
            case GET -> HttpMethod.GET;
            case PUT -> HttpMethod.PUT;
            case POST -> HttpMethod.POST;
            case PATCH -> HttpMethod.PATCH;
            case DELETE -> HttpMethod.DELETE;
            case HEAD -> HttpMethod.HEAD;
        };
    }

    @Override
    public void close() {
        web.close();
    }

    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("response too large", null, false, false);
        }

        /** Whether a failure was, somewhere down its causes, an answer cut at the cap. */
        static boolean in(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof TooLarge) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A body codec that keeps at most {@code max} bytes and fails the stream (and so the exchange) beyond. */
    static BodyCodec<Buffer> capped(int max) {
        return handler -> handler.handle(Future.succeededFuture(new BodyStream<Buffer>() {
            final Buffer buffer = Buffer.buffer();
            final Promise<Buffer> result = Promise.promise();
            Handler<Throwable> failed;

            @Override
            public Future<Buffer> result() {
                return result.future();
            }

            @Override
            public void handle(Throwable cause) {
                result.tryFail(cause);
            }

            @Override
            public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
                failed = handler;
                return this;
            }

            @Override
            public Future<Void> write(Buffer data) {
                if (result.future().isComplete()) {
                    return Future.failedFuture(new TooLarge());
                }
                if (buffer.length() + data.length() > max) {
                    TooLarge tooLarge = new TooLarge();
                    result.tryFail(tooLarge);
                    if (failed != null) {
                        failed.handle(tooLarge);
                    }
                    return Future.failedFuture(tooLarge);
                }
                buffer.appendBuffer(data);
                return Future.succeededFuture();
            }

            @Override
            public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
                Future<Void> written = write(data);
                if (handler != null) {
                    handler.handle(written);
                }
            }

            @Override
            public void end(Handler<AsyncResult<Void>> handler) {
                if (result.tryComplete(buffer)) {
                    if (handler != null) {
                        handler.handle(Future.succeededFuture());
                    }
                } else if (handler != null) {
                    handler.handle(Future.failedFuture(result.future().cause()));
                }
            }

            @Override
            public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
                return this;
            }

            @Override
            public boolean writeQueueFull() {
                return result.future().isComplete();
            }

            @Override
            public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
                return this;
            }
        }));
    }
}
