package io.rcsrouter.engine;

import java.util.List;
import java.util.Map;

/**
 * {@code auditClaims} in routes/engine.camel.yaml: hands the claim query's rows (dedup_key, ingress_id) to the
 * batch, which marks each event NEW, REDELIVERY or REPEAT ({@link DispatchBatch#applyClaims}).
 */
public final class AuditClaims {

    public void apply(DispatchBatch batch, List<Map<String, Object>> rows) {
        batch.applyClaims(rows == null ? List.of() : rows);
    }
}
