package io.alicloudauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The token store's two writes behind the group commit (GroupCommitTest has its protocol), against the database: a
 * batch is all or none, and after a batch is refused the same token objects are written one by one, so that only the
 * bad one fails.
 */
@QuarkusTest
public class TokenInsertsTest {

    private static Token token(String accessor) {
        Token t = PurgeTest.token(Secrets.key(Secrets.newServiceToken()), Instant.now().getEpochSecond() + 60);
        t.accessor = accessor;
        return t;
    }

    private static long stored(Token... tokens) {
        return QuarkusTransaction.requiringNew().call(() -> {
            long n = 0;
            for (Token t : tokens) {
                n += Token.count("tokenHash", t.tokenHash);
            }
            return n;
        });
    }

    @Test
    void aBatchIsAllOrNoneAndItsGoodTokensAreWrittenAfterwardsOneByOne() {
        Token existing = token(Secrets.newAccessor());
        TokenService.insertOne(existing);
        Token a = token(Secrets.newAccessor());
        Token clash = token(existing.accessor); // the accessor is unique
        Token b = token(Secrets.newAccessor());

        assertThrows(RuntimeException.class, () -> TokenService.insertAll(List.of(a, clash, b)));
        assertEquals(0, stored(a, clash, b), "nothing of a refused batch is written");

        TokenService.insertOne(a);
        assertThrows(RuntimeException.class, () -> TokenService.insertOne(clash));
        TokenService.insertOne(b);
        assertEquals(2, stored(a, clash, b));
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> Token.count("accessor", existing.accessor)));
    }

    @Test
    void aBatchIsWrittenInOneGo() {
        Token a = token(Secrets.newAccessor());
        Token b = token(Secrets.newAccessor());
        Token c = token(Secrets.newAccessor());
        TokenService.insertAll(List.of(a, b, c));
        assertEquals(3, stored(a, b, c));
    }
}
