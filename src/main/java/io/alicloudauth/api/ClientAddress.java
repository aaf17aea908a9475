package io.alicloudauth.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** The caller's IP address as the connection shows it (behind a proxy: see {@code quarkus.http.proxy.*}). */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        SocketAddress remote = request == null ? null : request.remoteAddress();
        return remote == null ? null : remote.hostAddress();
    }
}
