package io.rcsrouter.crm;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import io.rcsrouter.audit.AuditText;

/**
 * {@code crmOutcome} in routes/crm.camel.yaml: what the CRM forwarder writes to the audit row ({@code direct:audit-*},
 * routes/engine.camel.yaml), as the statement's parameters.
 */
public final class CrmOutcome {

    /** DELIVERED: the CRM answered 2xx. */
    public Map<String, Object> delivered(String dedupKey, Object status) {
        return Map.of("dedupKey", dedupKey, "detail", "CRM answered " + status);
    }

    /** DELIVERED: no CRM configured, written to the outbox file. */
    public Map<String, Object> written(String dedupKey) {
        return Map.of("dedupKey", dedupKey, "detail", "written to the CRM outbox file");
    }

    /** FAILED, with the reason. */
    public Map<String, Object> failed(String dedupKey, String failure) {
        Map<String, Object> row = new HashMap<>();
        row.put("dedupKey", dedupKey);
        row.put("detail", AuditText.detail(failure == null ? "CRM delivery failed" : failure));
        row.put("ingressId", null);
        row.put("payload", null);
        row.put("receivedAt", OffsetDateTime.now(ZoneOffset.UTC));
        return row;
    }
}
