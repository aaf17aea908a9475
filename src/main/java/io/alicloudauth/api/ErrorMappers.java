package io.alicloudauth.api;

import java.sql.SQLException;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;


/**
 * Every error leaves as Vault's {@code {"errors":[...]}} body, the framework's own 404/405/415 included. No stack
 * trace, class name or exception message from a library reaches the caller.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response response = error(e.status(), e.getMessage());
        if (e.retryAfterSeconds() > 0) {
            response.getHeaders().putSingle("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return response;
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String message = switch (status) {
            case 404 -> "unsupported path";
            case 405 -> "unsupported operation";
            case 406 -> "not acceptable";
            case 413 -> "request body too large";
            case 415 -> "unsupported content type";
            default -> status < 500 ? "invalid request" : "internal error";
        };
        return error(status, message);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (isStorageFailure(e)) {
            LOG.warnf("storage unavailable: %s", rootMessage(e));
            return error(503, "storage unavailable, try again later");
        }
        if (isClientIo(e)) {
            // The caller went away or sent a body that cannot be read: its problem, not worth a stack trace.
            LOG.debugf("request body could not be read: %s", rootMessage(e));
            return error(400, "could not read the request body");
        }
        LOG.error("unexpected error", e);
        return error(500, "internal error");
    }

    public static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(message)).build();
    }

    static boolean isStorageFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException || t instanceof PersistenceException
                    || t instanceof org.hibernate.HibernateException
                    || t instanceof jakarta.transaction.SystemException
                    || t instanceof jakarta.transaction.RollbackException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean isClientIo(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

}
