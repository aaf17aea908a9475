package io.alicloudauth.identity;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * Key pairs and JWS, by jose4j (nothing here is hand-rolled): RSA 2048 for RS256/384/512, P-256/384/521 for
 * ES256/384/512, each with a random UUID {@code kid}, {@code alg} and {@code use: sig} (SPEC §9).
 */
final class KeyMaterial {

    /** Every algorithm a named key may use, as the discovery document lists them. */
    static final List<String> ALGORITHMS = List.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512");

    private static final Map<String, java.security.spec.ECParameterSpec> CURVES = Map.of(
            "ES256", EllipticCurves.P256, "ES384", EllipticCurves.P384, "ES512", EllipticCurves.P521);

    private KeyMaterial() {
    }

    /** A fresh key pair for {@code algorithm} (one of {@link #ALGORITHMS}). */
    static PublicJsonWebKey generate(String algorithm) {
        try {
            PublicJsonWebKey jwk = algorithm.startsWith("RS") ? RsaJwkGenerator.generateJwk(2048)
                    : EcJwkGenerator.generateJwk(CURVES.get(algorithm));
            jwk.setKeyId(UUID.randomUUID().toString());
            jwk.setAlgorithm(algorithm);
            jwk.setUse("sig");
            return jwk;
        } catch (JoseException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }

    static String publicJson(PublicJsonWebKey jwk) {
        return jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    static String privateJson(PublicJsonWebKey jwk) {
        return jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }

    static PublicJsonWebKey parse(String json) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(json);
        } catch (JoseException e) {
            throw new IllegalStateException("a stored key does not parse", e);
        }
    }

    /** The compact JWS of {@code payload}, signed by {@code key}, with {@code alg}, {@code kid} and {@code typ: JWT}. */
    static String sign(String payload, PublicJsonWebKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(key.getAlgorithm());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setHeader("typ", "JWT");
        jws.setPayload(payload);
        jws.setKey(key.getPrivateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign", e);
        }
    }

    /** A parsed compact JWS, signature not yet checked; a {@link JoseException} when it is not one. */
    static JsonWebSignature parseJws(String token) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                ALGORITHMS.toArray(String[]::new)));
        jws.setCompactSerialization(token);
        String alg = jws.getAlgorithmHeaderValue();
        if (!ALGORITHMS.contains(alg)) {
            throw new JoseException("unexpected signature algorithm \"" + alg + "\"; expected " + ALGORITHMS);
        }
        return jws;
    }

    /** Whether {@code jws} is signed by {@code key} with the key's own algorithm. */
    static boolean verifies(JsonWebSignature jws, PublicJsonWebKey key) {
        try {
            if (!key.getAlgorithm().equals(jws.getAlgorithmHeaderValue())) {
                return false;
            }
            jws.setKey(key.getPublicKey());
            return jws.verifySignature();
        } catch (JoseException e) {
            return false;
        }
    }
}
