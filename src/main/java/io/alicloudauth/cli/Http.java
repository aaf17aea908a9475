package io.alicloudauth.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every HTTP call the client makes (instance metadata, a credentials URI, STS, the server): one deadline for the
 * whole call, the body included (Java's own request timeout covers only the headers: a body dripped a byte a second
 * would take as long as the sender likes), and the answer read to at most {@link #MAX_ANSWER} bytes (the exchange is
 * cancelled beyond, whether or not the answer declared its length). The calling thread can be interrupted out of
 * it (the agent's SIGTERM).
 */
final class Http {

    static final int MAX_ANSWER = 64 * 1024;

    private Http() {
    }

    /** An answer: its status and its body, whole. */
    record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Thrown for an answer larger than {@link #MAX_ANSWER}; its message says so for {@code what}. */
    static final class TooLarge extends IOException {
        TooLarge(String what) {
            super(what + ": the answer is larger than 64 KiB");
        }
    }

    /** A client that never follows redirects and never uses a proxy, speaking HTTP/1.1. */
    static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Sends {@code request} and reads its answer, all within {@code deadline}. A timeout or a refused connection is
     * an {@link HttpTimeoutException} or {@link ConnectException}; an oversized answer {@link TooLarge}; an interrupt
     * an {@link InterruptedIOException} (with the thread's interrupt flag set again).
     */
    static Answer call(HttpClient client, HttpRequest request, Duration deadline, String what) throws IOException {
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, info -> new Capped(what));
        try {
            HttpResponse<byte[]> response = exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException(what + ": no complete answer within " + deadline.toSeconds() + " s");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(what + ": interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException timeout) {
                throw timeout;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(what + ": " + (cause == null ? "failed" : cause.getClass().getSimpleName()));
        }
    }

    /** Collects the body up to the cap; beyond it, cancels the exchange (the rest is never read). */
    private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final String what;
        private Flow.Subscription subscription;

        Capped(String what) {
            this.what = what;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + buffer.remaining() > MAX_ANSWER) {
                    subscription.cancel();
                    body.completeExceptionally(new TooLarge(what));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}
