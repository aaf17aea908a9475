package io.alicloudauth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One HTTP/1.1 request from a chosen loopback source address (127.0.0.2, ...), to test address binding. */
public final class RawHttp {

    private RawHttp() {
    }

    /** Answers the status line's code and the body, as "CODE BODY". */
    public static String send(String from, int port, String method, String path, String token, String body)
            throws IOException {
        return send(from, port, method, path, token, body, "");
    }

    /** The same, with extra header lines ({@code "Name: value\r\n"} each). */
    public static String send(String from, int port, String method, String path, String token, String body,
            String extraHeaders) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10000);
            byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (token == null ? "" : "X-Vault-Token: " + token + "\r\n")
                    + extraHeaders
                    + "Content-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String status = response.substring(9, 12);
            int split = response.indexOf("\r\n\r\n");
            return status + " " + (split < 0 ? "" : response.substring(split + 4));
        }
    }
}
