//! Writing security events for the customer's audit log. A failure to write is logged and
//! never fails the action it describes (the action already happened).

use super::client_info::ClientInfo;
use crate::domain::account::AuditKind;
use crate::server::store::{AuditRecord, Store};

/// Records `kind` for `user_id` from `client`.
pub async fn record(store: &dyn Store, user_id: &str, kind: AuditKind, client: &ClientInfo) {
    let event = AuditRecord {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user_id.to_owned(),
        kind: kind.as_str().to_owned(),
        ip: client.ip.clone(),
        user_agent: client.user_agent.clone(),
        at_ms: crate::server::store::unix_ms(time::OffsetDateTime::now_utc()),
    };
    if let Err(err) = store.add_audit(&event).await {
        tracing::error!(error = %err, kind = kind.as_str(), "could not write an audit event");
    }
}
