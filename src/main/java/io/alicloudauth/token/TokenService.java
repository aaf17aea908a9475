package io.alicloudauth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Cidrs;
import io.alicloudauth.api.GroupCommit;
import io.alicloudauth.api.Transactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Issues, authenticates, renews, looks up and revokes tokens. The only code that touches {@link Token}. */
@ApplicationScoped
public class TokenService {

    static final String LOGIN_PATH = "auth/alicloud/login";

    private final ObjectMapper json;
    private final RenewalCheck renewalCheck;
    private final RootToken root;
    private final WriteThroughTokens writeThrough;
    private final BatchTokens batch;

    private final MeterRegistry registry;
    private final Map<String, Counter> issuedCounters = new ConcurrentHashMap<>();
    private final Timer writes;

    /**
     * The token-write timer's buckets: a commit alone takes well under a millisecond; waits of tens of milliseconds
     * are stalls behind the store (H2's housekeeping holds its lock while it rewrites or moves chunks), and their
     * share is what a mean hides.
     */
    private static final Duration[] WRITE_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20),
            Duration.ofMillis(100)};

    /** Concurrent logins' tokens, committed together (at most 64 in one transaction). */
    private final GroupCommit<Token> inserts = new GroupCommit<>(TokenService::insertAll, TokenService::insertOne, 64);

    public TokenService(ObjectMapper json, RenewalCheck renewalCheck, RootToken root, WriteThroughTokens writeThrough,
            BatchTokens batch, MeterRegistry registry) {
        this.registry = registry;
        this.writes = Timer.builder("alicloud_auth_token_writes")
                .description("How long a login waited for its token to be stored: its commit, which concurrent"
                        + " logins' tokens share, and any wait for the one before it")
                .serviceLevelObjectives(WRITE_BUCKETS)
                .register(registry);
        this.json = json;
        this.renewalCheck = renewalCheck;
        this.root = root;
        this.writeThrough = writeThrough;
        this.batch = batch;
    }

    /** A token presented by a caller, after this use was counted. {@code remainingUses} is 0 when unlimited. */
    public record Session(Token token, String presented, int remainingUses, boolean root) {
    }

    /** Issues the login's token: locally, or in Vault when write-through is on. */
    public AuthView issue(IssueRequest request) {
        AuthView issued = writeThrough.enabled() ? writeThrough.issue(request) : issueHere(request);
        issuedCounters.computeIfAbsent(writeThrough.enabled() ? "write_through" : issued.tokenType(),
                type -> registry.counter("alicloud_auth_tokens_issued", "type", type)).increment();
        return issued;
    }

    private AuthView issueHere(IssueRequest request) {
        long now = Instant.now().getEpochSecond();
        Lifetime life = Lifetime.of(now, now, request.ttl(), request.maxTtl(), request.explicitMaxTtl(),
                request.period(), 0);
        List<String> policies = effectivePolicies(request.policies(), request.noDefaultPolicy());
        if (request.tokenType().equals("batch")) {
            // Nothing is written: the token carries its terms, sealed.
            BatchTokens.Claims claims = new BatchTokens.Claims(request.roleName(), policies, request.metadata(),
                    request.displayName(), request.entityId(), now, life.ttl(), life.expireTime(),
                    request.explicitMaxTtl(), request.boundCidrs());
            return new AuthView(batch.seal(claims), "", policies, policies, request.metadata(), life.ttl(), false,
                    request.entityId(), "batch", true, null, 0);
        }
        String clientToken = Secrets.newServiceToken();

        Token token = new Token();
        token.tokenHash = Secrets.key(clientToken);
        token.accessor = Secrets.newAccessor();
        token.roleName = request.roleName();
        token.policies = String.join(",", policies);
        token.meta = toJson(request.metadata());
        token.displayName = request.displayName();
        token.entityId = request.entityId();
        token.tokenType = "service";
        token.renewable = true;
        token.creationTime = now;
        token.creationTtl = life.ttl();
        token.expireTime = life.expireTime();
        token.maxExpireTime = life.maxExpireTime();
        token.explicitMaxTtl = request.explicitMaxTtl();
        token.period = request.period();
        token.numUses = request.numUses();
        token.boundCidrs = String.join(",", request.boundCidrs());
        long start = System.nanoTime();
        inserts.write(token);
        writes.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return authView(token, clientToken, life.ttl());
    }

    /** New tokens in one transaction: all or none. */
    static void insertAll(List<Token> tokens) {
        QuarkusTransaction.requiringNew().run(() -> Token.persist(tokens));
    }

    /** A new token in its own transaction, tried again on a conflict as every write is. */
    static void insertOne(Token token) {
        Transactions.write(() -> {
            token.persist();
            return token;
        });
    }

    /** Takes back a token this service just issued (locally or in Vault), when its login cannot complete. */
    public void revokeIssued(AuthView auth) {
        if (BatchTokens.isBatch(auth.clientToken())) {
            return; // never stored; it expires on its own (and the caller never received it)
        }
        if (!writeThrough.revoke(auth.accessor())) {
            QuarkusTransaction.requiringNew().run(() -> Token.deleteById(Secrets.key(auth.clientToken())));
        }
    }

    /**
     * Authenticates a presented token for one use: it must exist, be unexpired, be used from inside its bound
     * CIDRs, and have a use left (the last use deletes it). Anything else is a 403 {@code permission denied}.
     */
    public Session use(String presented, String clientAddress) {
        if (presented == null) {
            throw ApiException.permissionDenied();
        }
        if (root.matches(presented)) {
            return new Session(null, presented, 0, true);
        }
        if (BatchTokens.isBatch(presented)) {
            Token token = openBatch(presented).orElseThrow(ApiException::permissionDenied);
            if (!token.cidrList().isEmpty() && !Cidrs.contains(token.cidrList(), clientAddress)) {
                throw ApiException.permissionDenied();
            }
            return new Session(token, presented, 0, false);
        }
        String key = Secrets.key(presented);
        long now = Instant.now().getEpochSecond();
        return QuarkusTransaction.requiringNew().call(() -> {
            Token token = Token.findById(key);
            if (token == null) {
                throw ApiException.permissionDenied();
            }
            if (token.expireTime <= now) {
                Token.deleteById(key);
                throw ApiException.permissionDenied();
            }
            if (!token.cidrList().isEmpty() && !Cidrs.contains(token.cidrList(), clientAddress)) {
                throw ApiException.permissionDenied();
            }
            int remaining = 0;
            if (token.numUses > 0) {
                int updated = Token.update("numUses = numUses - 1 where tokenHash = ?1 and numUses > 1", key);
                if (updated == 1) {
                    remaining = token.numUses - 1;
                } else if (Token.delete("tokenHash = ?1 and numUses = 1", key) == 0) {
                    throw ApiException.permissionDenied();
                }
            }
            Token.getEntityManager().detach(token);
            return new Session(token, presented, remaining, false);
        });
    }

    /** Whether {@code presented} is the root token (compared in constant time). */
    public boolean isRoot(String presented) {
        return presented != null && root.matches(presented);
    }

    public Optional<Token> byToken(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        if (BatchTokens.isBatch(presented)) {
            return openBatch(presented);
        }
        return live(QuarkusTransaction.requiringNew().call(() -> Token.<Token>findByIdOptional(Secrets.key(presented))));
    }

    public Optional<Token> byAccessor(String accessor) {
        if (accessor == null || accessor.isEmpty()) {
            return Optional.empty();
        }
        return live(QuarkusTransaction.requiringNew().call(() -> Token.<Token>find("accessor", accessor).firstResultOptional()));
    }

    /** A live batch token this service sealed under the current key, as an unstored token; else empty. */
    private Optional<Token> openBatch(String presented) {
        return live(batch.open(presented).map(claims -> BatchTokens.asToken(claims, toJson(claims.meta()))));
    }

    public void revoke(Token token) {
        if (token.tokenType.equals("batch")) {
            throw ApiException.badRequest("batch tokens cannot be revoked");
        }
        QuarkusTransaction.requiringNew().run(() -> Token.deleteById(token.tokenHash));
    }

    /** Renews a token as Vault's {@code AuthRenew}: the role re-checked, its current terms applied. */
    public AuthView renew(Session session, long increment) {
        if (!session.root() && session.token().tokenType.equals("batch")) {
            throw ApiException.badRequest("batch tokens cannot be renewed");
        }
        if (session.root() || !session.token().renewable) {
            throw ApiException.badRequest("lease is not renewable");
        }
        Token seen = session.token();
        RenewalCheck.Terms terms = renewalCheck.check(seen.roleName, metadata(seen));
        long now = Instant.now().getEpochSecond();
        Lifetime life = Lifetime.of(now, seen.creationTime, terms.ttl(), terms.maxTtl(), seen.explicitMaxTtl,
                terms.period(), increment);
        Token renewed = Transactions.write(() -> {
            Token token = Token.findById(seen.tokenHash);
            if (token == null) {
                throw ApiException.permissionDenied();
            }
            token.expireTime = life.expireTime();
            token.maxExpireTime = life.maxExpireTime();
            token.period = terms.period();
            return token;
        });
        return authView(renewed, session.presented(), life.ttl());
    }

    /** Vault's token lookup data; {@code id} only when the caller looks itself up. */
    public Map<String, Object> lookup(Session session, boolean self) {
        if (session.root()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("accessor", "");
            data.put("creation_time", 0);
            data.put("creation_ttl", 0);
            data.put("display_name", "root");
            data.put("entity_id", "");
            data.put("expire_time", null);
            data.put("explicit_max_ttl", 0);
            data.put("id", session.presented());
            data.put("issue_time", null);
            data.put("meta", null);
            data.put("num_uses", 0);
            data.put("orphan", true);
            data.put("path", "auth/token/root");
            data.put("policies", List.of("root"));
            data.put("renewable", false);
            data.put("ttl", 0);
            data.put("type", "service");
            return data;
        }
        return lookup(session.token(), session.remainingUses(), self ? session.presented() : null);
    }

    public Map<String, Object> lookup(Token token) {
        return lookup(token, token.numUses, null);
    }

    private Map<String, Object> lookup(Token token, int remainingUses, String id) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("accessor", token.accessor);
        data.put("creation_time", token.creationTime);
        data.put("creation_ttl", token.creationTtl);
        data.put("display_name", token.displayName);
        data.put("entity_id", token.entityId);
        data.put("expire_time", Instant.ofEpochSecond(token.expireTime).toString());
        data.put("explicit_max_ttl", token.explicitMaxTtl);
        if (id != null) {
            data.put("id", id);
        }
        data.put("issue_time", Instant.ofEpochSecond(token.creationTime).toString());
        data.put("meta", metadata(token));
        data.put("num_uses", remainingUses);
        data.put("orphan", true);
        data.put("path", LOGIN_PATH);
        if (token.period > 0) {
            data.put("period", token.period);
        }
        data.put("policies", token.policyList());
        data.put("renewable", token.renewable);
        data.put("ttl", Math.max(0, token.expireTime - now));
        data.put("type", token.tokenType);
        if (!token.cidrList().isEmpty()) {
            data.put("bound_cidrs", token.cidrList());
        }
        return data;
    }

    private AuthView authView(Token token, String clientToken, long leaseDuration) {
        List<String> policies = token.policyList();
        return new AuthView(clientToken, token.accessor, policies, policies, metadata(token), leaseDuration,
                token.renewable, token.entityId, token.tokenType, true, null, token.numUses);
    }

    /** The role's policies, lowercased and sorted, plus {@code default} unless the role opts out. */
    static List<String> effectivePolicies(List<String> policies, boolean noDefault) {
        TreeSet<String> set = new TreeSet<>();
        policies.forEach(p -> set.add(p.toLowerCase(Locale.ROOT)));
        if (!noDefault) {
            set.add("default");
        }
        return new ArrayList<>(set);
    }

    private static Optional<Token> live(Optional<Token> token) {
        long now = Instant.now().getEpochSecond();
        return token.filter(t -> t.expireTime > now);
    }

    Map<String, String> metadata(Token token) {
        try {
            return json.readValue(token.meta, new TypeReference<LinkedHashMap<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored token metadata is not JSON", e);
        }
    }

    private String toJson(Map<String, String> metadata) {
        try {
            return json.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
