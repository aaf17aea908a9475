package io.alicloudauth.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Vault's error body, {@code {"errors":["message"]}}; an empty list for a missing entry. */
@RegisterForReflection
public record ErrorBody(@JsonProperty("errors") List<String> errors) {

    public static ErrorBody of(String message) {
        return new ErrorBody(message == null ? List.of() : List.of(message));
    }

    /** The body as JSON text, for answers written below the REST layer. */
    public static String json(String message) {
        return "{\"errors\":[\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"]}";
    }
}
