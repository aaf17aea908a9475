package io.alicloudauth.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Vault's error body, {@code {"errors":["message"]}}; an empty list for a missing entry. */
@RegisterForReflection
public record ErrorBody(@JsonProperty("errors") List<String> errors) {

    public static ErrorBody of(String message) {
        return new ErrorBody(message == null ? List.of() : List.of(message));
    }
}
