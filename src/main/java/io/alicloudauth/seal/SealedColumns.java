package io.alicloudauth.seal;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Every column that holds a secret, and the start-time pass that keeps them sealed under the current key: values an
 * earlier version stored in clear are sealed in place (nothing is regenerated, so every batch token and audit HMAC
 * issued before stays valid), values under a previous key are sealed again, values under the current key are
 * checked to open. Everything is checked before anything is written; the writes are one transaction.
 */
@ApplicationScoped
public class SealedColumns {

    private static final Logger LOG = Logger.getLogger(SealedColumns.class);

    /** A column holding a secret, in a table whose rows are named by {@code key} (null values are skipped). */
    public record Column(String table, String key, String column) {
    }

    /** Every secret the database holds (SPEC §11): add a column here when a feature stores a new one. */
    public static final List<Column> ALL = List.of(
            new Column("batch_token_key", "id", "secret_key"),
            new Column("audit_key", "id", "hmac_key"),
            new Column("root_token", "id", "token_hash"),
            new Column("oidc_signing_key", "kid", "private_key"));

    /** One stored value: where it is and what is there. */
    record Value(Column column, Object row, String stored) {
    }

    private final EntityManager entities;

    public SealedColumns(EntityManager entities) {
        this.entities = entities;
    }

    List<Value> read() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Value> values = new ArrayList<>();
            for (Column c : ALL) {
                @SuppressWarnings("unchecked")
                List<Object[]> rows = entities.createNativeQuery("select " + c.key() + ", " + c.column() + " from "
                        + c.table() + " where " + c.column() + " is not null").getResultList();
                for (Object[] r : rows) {
                    values.add(new Value(c, r[0] instanceof Number n ? (Object) n.intValue() : r[0], (String) r[1]));
                }
            }
            return values;
        });
    }

    void sealInPlace(Seal seal, List<Value> values) {
        List<Value> changed = new ArrayList<>();
        List<String> replacements = new ArrayList<>();
        int clear = 0;
        for (Value v : values) {
            Column c = v.column();
            if (!Seal.isSealed(v.stored())) {
                clear++;
                changed.add(v);
                replacements.add(seal.seal(v.stored(), c.table(), v.row(), c.column()));
                continue;
            }
            byte[] plain = seal.open(v.stored(), c.table(), v.row(), c.column()); // throws: nothing written yet
            if (!seal.isCurrent(v.stored())) {
                changed.add(v);
                replacements.add(seal.seal(plain, c.table(), v.row(), c.column()));
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < changed.size(); i++) {
                Value v = changed.get(i);
                // Another instance starting at the same time may have sealed it first: then this update is a no-op.
                entities.createNativeQuery("update " + v.column().table() + " set " + v.column().column()
                        + " = ?1 where " + v.column().key() + " = ?2 and " + v.column().column() + " = ?3")
                        .setParameter(1, replacements.get(i)).setParameter(2, v.row()).setParameter(3, v.stored())
                        .executeUpdate();
            }
        });
        if (clear > 0) {
            LOG.infof("seal: %d secrets an earlier version stored in clear are now sealed under key id %s", clear,
                    seal.keyId());
        }
        if (changed.size() > clear) {
            LOG.infof("seal: %d secrets sealed under a previous key are now sealed under key id %s",
                    changed.size() - clear, seal.keyId());
        }
    }
}
