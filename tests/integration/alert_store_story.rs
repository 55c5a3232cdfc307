//! The usage-alert store on SQLite and PostgreSQL: thresholds set, changed and cleared per
//! user and line; a crossing recorded once per (line, month, threshold) even when many
//! refreshes race, with exactly one notice; the mail outbox handing each event to one sender
//! and taking a failed send back; notices listed newest first and dismissed only by their
//! owner. PostgreSQL as in `store_story` (`PORTAL_TEST_POSTGRES_URL`).

use crate::store_story::user;
use portal::server::store::{AlertEvent, NoticeRecord, PostgresStore, SqliteStore, Store};
use std::sync::Arc;

fn event(user_id: &str, month: &str, threshold_mb: u32) -> AlertEvent {
    AlertEvent {
        user_id: user_id.into(),
        msisdn: "09012345678".into(),
        month: month.into(),
        threshold_mb,
        used_bytes: 200 * 1024 * 1024,
    }
}

fn notice(id: &str, at: i64) -> NoticeRecord {
    NoticeRecord {
        id: id.into(),
        kind: "usage_alert".into(),
        subject: "09012345678".into(),
        payload: format!("{{\"n\":\"{id}\"}}"),
        created_at_ms: at,
    }
}

async fn alert_story(store: Arc<dyn Store>) {
    store
        .create_user(&user("al-1", "al1@example.jp"))
        .await
        .expect("user");
    store
        .create_user(&user("al-2", "al2@example.jp"))
        .await
        .expect("user");
    let line = "09012345678";

    // Thresholds: none, set, changed, per user, cleared.
    assert_eq!(store.usage_alert("al-1", line).await.expect("read"), None);
    store
        .set_usage_alert("al-1", line, Some(5120), 1)
        .await
        .expect("set");
    store
        .set_usage_alert("al-1", line, Some(102), 2)
        .await
        .expect("change");
    store
        .set_usage_alert("al-1", "08011112222", Some(1024), 2)
        .await
        .expect("other line");
    assert_eq!(
        store.usage_alert("al-1", line).await.expect("read"),
        Some(102)
    );
    assert_eq!(store.usage_alert("al-2", line).await.expect("read"), None);
    assert_eq!(
        store.usage_alerts_of("al-1").await.expect("all"),
        vec![("08011112222".to_owned(), 1024), (line.to_owned(), 102)]
    );
    store
        .set_usage_alert("al-1", "08011112222", None, 3)
        .await
        .expect("clear");
    assert_eq!(
        store
            .usage_alert("al-1", "08011112222")
            .await
            .expect("read"),
        None
    );

    // Eight refreshes race to record November's crossing: one wins, one notice exists.
    let racers = (0..8).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .record_alert_event(
                    &event("al-1", "2026-11", 102),
                    &notice(&format!("n-{i}"), 10),
                    10,
                )
                .await
                .expect("record")
        })
    });
    let won = futures::future::join_all(racers)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().expect("joined"))
        .count();
    assert_eq!(won, 1);
    assert_eq!(store.open_notices("al-1", 20).await.expect("list").len(), 1);
    // Another threshold, or the next month, is another alert.
    assert!(
        store
            .record_alert_event(&event("al-1", "2026-11", 5120), &notice("n-b", 20), 20)
            .await
            .expect("record")
    );
    assert!(
        store
            .record_alert_event(&event("al-1", "2026-12", 102), &notice("n-c", 30), 30)
            .await
            .expect("record")
    );

    // The outbox: one claimer gets all three, a second gets none while the claim lives.
    let claimed = store
        .claim_alert_mails("al-1", line, 100, 400)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 3);
    assert!(
        store
            .claim_alert_mails("al-1", line, 200, 500)
            .await
            .expect("claim")
            .is_empty()
    );
    // Two sent, one failed (given back): only the failed one is claimed again.
    let failed = claimed
        .iter()
        .find(|e| e.month == "2026-12")
        .expect("december")
        .clone();
    for e in claimed.iter().filter(|e| e.month == "2026-11") {
        store.finish_alert_mail(e, Some(150)).await.expect("sent");
    }
    store
        .finish_alert_mail(&failed, None)
        .await
        .expect("given back");
    let retry = store
        .claim_alert_mails("al-1", line, 160, 460)
        .await
        .expect("claim");
    assert_eq!(retry, vec![failed.clone()]);
    // A claim that expired (the sender died) is claimed again.
    let after_expiry = store
        .claim_alert_mails("al-1", line, 460, 760)
        .await
        .expect("claim");
    assert_eq!(after_expiry, vec![failed.clone()]);
    store
        .finish_alert_mail(&failed, Some(470))
        .await
        .expect("sent");
    assert!(
        store
            .claim_alert_mails("al-1", line, 10_000, 10_300)
            .await
            .expect("claim")
            .is_empty()
    );
    assert_eq!(failed.used_bytes, 200 * 1024 * 1024);

    // Notices newest first; dismissed only by their owner, once.
    let open = store.open_notices("al-1", 20).await.expect("list");
    let ids: Vec<&str> = open.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids[..2], ["n-c", "n-b"]);
    assert!(ids[2].starts_with("n-") && ids.len() == 3, "{ids:?}");
    assert_eq!(open[0].kind, "usage_alert");
    assert_eq!(open[0].payload, "{\"n\":\"n-c\"}");
    assert!(
        !store
            .dismiss_notice("al-2", "n-c", 50)
            .await
            .expect("not theirs")
    );
    assert!(
        store
            .dismiss_notice("al-1", "n-c", 50)
            .await
            .expect("dismiss")
    );
    assert!(
        !store
            .dismiss_notice("al-1", "n-c", 51)
            .await
            .expect("twice")
    );
    assert_eq!(
        store.open_notices("al-1", 1).await.expect("list")[0].id,
        "n-b"
    );
    assert!(
        store
            .open_notices("al-2", 20)
            .await
            .expect("list")
            .is_empty()
    );

    // A user's deletion takes their alerts and notices.
    store.delete_user("al-1").await.expect("delete");
    assert_eq!(store.usage_alert("al-1", line).await.expect("read"), None);
    assert!(
        store
            .open_notices("al-1", 20)
            .await
            .expect("list")
            .is_empty()
    );
}

#[tokio::test]
async fn alert_story_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/portal.db", dir.path().display());
    let store = SqliteStore::connect(&url, 4)
        .await
        .expect("sqlite opens and migrates");
    alert_story(Arc::new(store)).await;
}

#[tokio::test]
async fn alert_story_on_postgres() {
    let Some(url) = crate::services::fresh_postgres("alerts").await else {
        return;
    };
    let store = PostgresStore::connect(&url, 8)
        .await
        .expect("postgres connects and migrates");
    alert_story(Arc::new(store)).await;
}
