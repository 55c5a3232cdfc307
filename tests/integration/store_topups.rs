//! The top-up rows (`TopUpStore`) on SQLite and on PostgreSQL (when `TEST_DATABASE_URL` is
//! set): one row per idempotency key, steps only by compare-and-set on the state read and only
//! along the life cycle, and a line's history newest first and per customer.

use portal::domain::sim::topup::TopUpState;
use portal::server::store::{
    PostgresStore, SqliteStore, Store, StoreError, TopUpInsert, TopUpRecord, TopUpStep,
};

fn record(id: &str, user: &str, msisdn: &str, at_ms: i64) -> TopUpRecord {
    TopUpRecord {
        id: id.into(),
        user_id: user.into(),
        client_id: 1001,
        service_id: 102,
        msisdn: msisdn.into(),
        gb: 3,
        amount_jpy: 1650,
        invoice_id: None,
        state: TopUpState::Requested,
        failure: None,
        remaining_mb: None,
        created_at_ms: at_ms,
        updated_at_ms: at_ms,
    }
}

fn step(from: TopUpState, to: TopUpState) -> TopUpStep<'static> {
    TopUpStep {
        from,
        to,
        invoice_id: None,
        failure: None,
        remaining_mb: None,
    }
}

async fn topup_story(store: &dyn Store) {
    let first = record("key-0000000000000001", "u1", "09012345678", 1_000);
    assert_eq!(
        store.insert_topup(&first).await.expect("insert"),
        TopUpInsert::Created
    );
    // The same key again (a double submit) finds the stored row, untouched.
    let mut repeat = first.clone();
    repeat.gb = 50;
    match store.insert_topup(&repeat).await.expect("insert") {
        TopUpInsert::Existing(found) => assert_eq!(found, first),
        TopUpInsert::Created => panic!("a key is stored once"),
    }

    // requested → invoiced records the invoice id; a second racer with the old state loses.
    let invoiced = TopUpStep {
        invoice_id: Some(2051),
        ..step(TopUpState::Requested, TopUpState::Invoiced)
    };
    assert!(
        store
            .advance_topup(&first.id, &invoiced, 2_000)
            .await
            .expect("step")
    );
    assert!(
        !store
            .advance_topup(&first.id, &invoiced, 2_001)
            .await
            .expect("step")
    );
    // Paid is never given up.
    assert!(matches!(
        store
            .advance_topup(
                &first.id,
                &step(TopUpState::Paid, TopUpState::Failed),
                2_002
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(
        store
            .advance_topup(
                &first.id,
                &step(TopUpState::Invoiced, TopUpState::Paid),
                3_000
            )
            .await
            .expect("step")
    );
    let applied = TopUpStep {
        remaining_mb: Some(4096),
        ..step(TopUpState::Paid, TopUpState::Applied)
    };
    assert!(
        store
            .advance_topup(&first.id, &applied, 4_000)
            .await
            .expect("step")
    );
    let stored = store.topup(&first.id).await.expect("read").expect("row");
    assert_eq!(stored.state, TopUpState::Applied);
    assert_eq!(stored.invoice_id, Some(2051), "kept from the invoiced step");
    assert_eq!(stored.remaining_mb, Some(4096));
    assert_eq!(stored.updated_at_ms, 4_000);
    assert_eq!(stored.created_at_ms, 1_000);

    // A failure keeps its reason.
    let second = record("key-0000000000000002", "u1", "09012345678", 5_000);
    store.insert_topup(&second).await.expect("insert");
    let failed = TopUpStep {
        failure: Some("invoice_failed"),
        ..step(TopUpState::Requested, TopUpState::Failed)
    };
    assert!(
        store
            .advance_topup(&second.id, &failed, 5_500)
            .await
            .expect("step")
    );
    let stored = store.topup(&second.id).await.expect("read").expect("row");
    assert_eq!(stored.failure.as_deref(), Some("invoice_failed"));

    // History: this user's line only, newest first, limited.
    store
        .insert_topup(&record("key-0000000000000003", "u2", "09012345678", 6_000))
        .await
        .expect("insert");
    store
        .insert_topup(&record("key-0000000000000004", "u1", "09087654321", 7_000))
        .await
        .expect("insert");
    let history = store
        .line_topups("u1", "09012345678", 10)
        .await
        .expect("history");
    let ids: Vec<&str> = history.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, vec!["key-0000000000000002", "key-0000000000000001"]);
    assert_eq!(
        store
            .line_topups("u1", "09012345678", 1)
            .await
            .expect("history")
            .len(),
        1
    );
    assert_eq!(store.topup("nope").await.expect("read"), None);
}

#[tokio::test]
async fn topups_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/portal.db", dir.path().display());
    let store = SqliteStore::connect(&url, 4).await.expect("sqlite");
    topup_story(&store).await;
}

#[tokio::test]
async fn topups_on_postgres() {
    let Some(url) = crate::services::fresh_postgres("topups").await else {
        return;
    };
    let store = PostgresStore::connect(&url, 4).await.expect("postgres");
    topup_story(&store).await;
}
