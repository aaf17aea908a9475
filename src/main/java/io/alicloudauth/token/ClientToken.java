package io.alicloudauth.token;

import java.util.function.UnaryOperator;

/** The token a request presents: {@code X-Vault-Token}, else {@code Authorization: Bearer <token>}. */
public final class ClientToken {

    private ClientToken() {
    }

    /** {@code header} looks a request header up by name. Null when the request carries no token. */
    public static String from(UnaryOperator<String> header) {
        String token = header.apply("X-Vault-Token");
        if (token != null && !token.isBlank()) {
            return token.trim();
        }
        String authorization = header.apply("Authorization");
        if (authorization != null && authorization.length() > 7
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String bearer = authorization.substring(7).trim();
            return bearer.isEmpty() ? null : bearer;
        }
        return null;
    }
}
