package io.alicloudauth.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Raw HTTP/1.1 requests as an attacker sends them: heads without their bodies, bodies that stop half-way. */
public final class Sockets {

    private Sockets() {
    }

    /** A connection from a chosen loopback address, with {@code head} (and {@code bodyBytes} filler bytes) sent. */
    public static Socket open(String from, int port, String head, int bodyBytes) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(15000);
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[8192];
        java.util.Arrays.fill(chunk, (byte) 'a');
        try {
            for (int sent = 0; sent < bodyBytes; sent += chunk.length) {
                socket.getOutputStream().write(chunk, 0, Math.min(chunk.length, bodyBytes - sent));
            }
            socket.getOutputStream().flush();
        } catch (IOException e) {
            // the server refused and closed while the body was still being sent: what an attacker sees
        }
        return socket;
    }

    /** The head of a login request declaring {@code length} bytes of body. */
    public static String head(String method, String path, long length) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n";
    }

    /** Everything the server sends until it closes the connection (or {@code timeoutMillis} pass). */
    public static String answer(Socket socket, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return out.toString(StandardCharsets.UTF_8) + "[still open]";
        } catch (IOException e) {
            return out.toString(StandardCharsets.UTF_8) + "[reset]";
        }
        return out.toString(StandardCharsets.UTF_8) + "[closed]";
    }
}
