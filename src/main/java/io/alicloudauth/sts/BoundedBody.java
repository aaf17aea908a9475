package io.alicloudauth.sts;

import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;

import org.jboss.resteasy.reactive.client.impl.ClientRequestContextImpl;

import io.vertx.core.http.HttpClientResponse;

/**
 * Gives {@link StsClient} a body it can abandon: the streamed entity, wrapped so that {@link #abort()} closes the
 * connection (reset) instead of reading the rest of an oversized or endless answer to its end. Only the first
 * {@link StsClient#MAX_RESPONSE_BYTES} (+1) bytes are ever read.
 */
final class BoundedBody extends InputStream {

    private final InputStream in;
    private final HttpClientResponse connection;

    private BoundedBody(InputStream in, HttpClientResponse connection) {
        this.in = in;
        this.connection = connection;
    }

    /** Registered on the STS client; wraps every answer's body. */
    static final class Filter implements ClientResponseFilter {
        @Override
        public void filter(ClientRequestContext request, ClientResponseContext response) {
            InputStream body = response.getEntityStream();
            if (body != null && request instanceof ClientRequestContextImpl impl) {
                response.setEntityStream(new BoundedBody(body,
                        impl.getRestClientRequestContext().getVertxClientResponse()));
            }
        }
    }

    /** Drops the connection: whatever is still to come is never read. Safe from any thread, more than once. */
    void abort() {
        try {
            connection.request().reset();
        } catch (RuntimeException alreadyClosed) {
            // nothing left to stop
        }
    }

    @Override
    public int read() throws IOException {
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return in.read(b, off, len);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
