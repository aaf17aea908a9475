package io.alicloudauth.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;

/**
 * A 200 answer without Content-Length (chunked) that starts like JSON and goes on for {@code limit} bytes, or until
 * the client stops reading. {@code streamed} counts what the client took: a client that caps its reads stops it early.
 */
final class EndlessAnswer {

    private EndlessAnswer() {
    }

    static void send(HttpExchange exchange, String start, long limit, AtomicLong streamed) throws IOException {
        streamed.set(0);
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = (start + "x".repeat(64 * 1024)).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = exchange.getResponseBody()) {
            for (long sent = 0; sent < limit; sent += chunk.length) {
                out.write(chunk);
                out.flush();
                streamed.addAndGet(chunk.length);
            }
        } catch (IOException readerWentAway) {
            // the client stopped reading: what a capped client does
        }
    }
}
