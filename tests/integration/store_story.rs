//! One behaviour story for the store, run against SQLite and PostgreSQL, so both backends (and
//! their two migration sets) are held to the same contract.
//!
//! PostgreSQL: `PORTAL_TEST_POSTGRES_URL` names a server the story may create databases on (the
//! test command starts a throwaway one). Without it the Postgres run is skipped with a notice,
//! unless `PORTAL_TEST_REQUIRE_SERVICES=1` (as in the test command), where it fails.

use portal::domain::cart::CartChoice;
use portal::server::store::{
    AuditRecord, CartRecord, CartWrite, EmailPurpose, PostgresStore, RefreshOutcome, STATUS_ACTIVE,
    STATUS_PROVISIONING, SessionRecord, SqliteStore, Store, StoreError, UserLink, UserRecord,
};
use std::time::Duration;

use time::OffsetDateTime;

async fn story(store: &dyn Store) {
    store.ping().await.expect("ping");
    let t0 = OffsetDateTime::now_utc();
    let ttl = Duration::from_secs(30);

    // A free lease can be taken; its holder can renew it; nobody else can take it while live.
    assert!(
        store
            .try_acquire_lease("subscriber", "a", ttl, t0)
            .await
            .expect("take")
    );
    assert!(
        store
            .try_acquire_lease("subscriber", "a", ttl, t0 + Duration::from_secs(10))
            .await
            .expect("renew")
    );
    assert!(
        !store
            .try_acquire_lease("subscriber", "b", ttl, t0 + Duration::from_secs(20))
            .await
            .expect("refused")
    );
    // Leases are independent by name.
    assert!(
        store
            .try_acquire_lease("housekeeping", "b", ttl, t0)
            .await
            .expect("other name")
    );
    // Once expired (renewed at +10 s for 30 s → until +40 s), another holder takes it.
    assert!(
        store
            .try_acquire_lease("subscriber", "b", ttl, t0 + Duration::from_secs(41))
            .await
            .expect("expired")
    );
    assert!(
        !store
            .try_acquire_lease("subscriber", "a", ttl, t0 + Duration::from_secs(42))
            .await
            .expect("lost")
    );
    // Releasing by a non-holder does nothing; by the holder frees it at once.
    store
        .release_lease("subscriber", "a")
        .await
        .expect("noop release");
    assert!(
        !store
            .try_acquire_lease("subscriber", "a", ttl, t0 + Duration::from_secs(43))
            .await
            .expect("still b")
    );
    store
        .release_lease("subscriber", "b")
        .await
        .expect("release");
    assert!(
        store
            .try_acquire_lease("subscriber", "a", ttl, t0 + Duration::from_secs(44))
            .await
            .expect("free again")
    );

    // Deliveries: first sight true, every repeat false, sources independent.
    assert!(
        store
            .record_delivery("whmcs", "evt-1", t0)
            .await
            .expect("first")
    );
    assert!(
        !store
            .record_delivery("whmcs", "evt-1", t0)
            .await
            .expect("repeat")
    );
    assert!(
        store
            .record_delivery("salesforce", "evt-1", t0)
            .await
            .expect("other source")
    );
    // A forgotten delivery (acting on it failed) is new again, so the retry is acted on.
    store
        .forget_delivery("salesforce", "evt-1")
        .await
        .expect("forget");
    assert!(
        store
            .record_delivery("salesforce", "evt-1", t0)
            .await
            .expect("after forget")
    );
    // Concurrent duplicates: exactly one wins.
    let results =
        futures::future::join_all((0..8).map(|_| store.record_delivery("whmcs", "evt-race", t0)))
            .await;
    let wins = results
        .into_iter()
        .map(|r| r.expect("race"))
        .filter(|w| *w)
        .count();
    assert_eq!(wins, 1, "one of the concurrent duplicates must win");

    // Pruning forgets old deliveries only; a pruned id counts as new again.
    let later = t0 + Duration::from_secs(3600);
    assert!(
        store
            .record_delivery("whmcs", "evt-2", later)
            .await
            .expect("newer")
    );
    let pruned = store
        .prune_deliveries(t0 + Duration::from_secs(1))
        .await
        .expect("prune");
    assert_eq!(
        pruned, 3,
        "evt-1 (both sources) and evt-race are older than the cut-off"
    );
    assert!(
        !store
            .record_delivery("whmcs", "evt-2", later)
            .await
            .expect("kept")
    );
    assert!(
        store
            .record_delivery("whmcs", "evt-1", later)
            .await
            .expect("forgotten")
    );

    // Housekeeping's single step uses the same operations.
    let round = portal::server::housekeeping::run_once(store, "worker-1", later)
        .await
        .expect("round");
    assert_eq!(round, Some(0));
    let other = portal::server::housekeeping::run_once(store, "worker-2", later)
        .await
        .expect("round");
    assert_eq!(
        other, None,
        "the lease keeps a second instance out of the same round"
    );
}

pub(crate) fn user(id: &str, email: &str) -> UserRecord {
    UserRecord {
        id: id.into(),
        email: email.into(),
        password_hash: "$argon2id$x".into(),
        status: STATUS_PROVISIONING.into(),
        locale: "ja".into(),
        email_verified_at_ms: None,
        totp_secret: None,
        totp_enabled_at_ms: None,
        totp_last_step: None,
        whmcs_client_id: None,
        sf_account_id: None,
        sf_contact_id: None,
        created_at_ms: 1_000,
    }
}

fn session(id: &str, user_id: &str, expires_at_ms: i64) -> SessionRecord {
    SessionRecord {
        id: id.into(),
        user_id: user_id.into(),
        user_agent: "Chrome".into(),
        ip: "192.0.2.1".into(),
        created_at_ms: 1_000,
        last_seen_at_ms: 1_000,
        expires_at_ms,
        revoked: None,
    }
}

/// Users, links, sessions with refresh rotation and replay, one-time links and codes, audit.
async fn accounts_story(store: &dyn Store) {
    store
        .create_user(&user("u1", "a@example.jp"))
        .await
        .expect("create");
    assert!(matches!(
        store.create_user(&user("u2", "a@example.jp")).await,
        Err(StoreError::Conflict(_))
    ));
    store
        .create_user(&user("u2", "b@example.jp"))
        .await
        .expect("create");
    // Links are recorded one by one (resumable sign-up); a WHMCS client has one user.
    store
        .set_user_link("u1", &UserLink::WhmcsClient(1001), 2_000)
        .await
        .expect("link");
    assert!(matches!(
        store
            .set_user_link("u2", &UserLink::WhmcsClient(1001), 2_000)
            .await,
        Err(StoreError::Conflict(_))
    ));
    store
        .set_user_link(
            "u1",
            &UserLink::SalesforceAccount("001J5000003HanAIAS".into()),
            2_000,
        )
        .await
        .expect("link");
    store
        .set_user_status("u1", STATUS_ACTIVE, 2_000)
        .await
        .expect("status");
    let u1 = store
        .user_by_whmcs_client(1001)
        .await
        .expect("find")
        .expect("u1");
    assert_eq!((u1.id.as_str(), u1.status.as_str()), ("u1", STATUS_ACTIVE));
    assert_eq!(u1.sf_account_id.as_deref(), Some("001J5000003HanAIAS"));
    assert!(matches!(
        store
            .set_user_link("nobody", &UserLink::WhmcsClient(7), 2_000)
            .await,
        Err(StoreError::NotFound)
    ));

    // Sessions: rotation, a parallel request inside the grace window, then a replay.
    store
        .create_session(&session("s1", "u1", 100_000), "r0")
        .await
        .expect("session");
    let rotated = store
        .rotate_refresh("r0", "r1", 100_000, 10_000, 5_000)
        .await
        .expect("rotate");
    assert!(matches!(rotated, RefreshOutcome::Rotated(ref s) if s.id == "s1"));
    let parallel = store
        .rotate_refresh("r0", "rX", 100_000, 12_000, 5_000)
        .await
        .expect("grace");
    assert!(matches!(parallel, RefreshOutcome::RecentlyRotated(_)));
    let replay = store
        .rotate_refresh("r0", "rY", 100_000, 20_000, 5_000)
        .await
        .expect("replay");
    assert!(
        matches!(replay, RefreshOutcome::Replayed { ref session_id, .. } if session_id == "s1")
    );
    // The whole family is dead, including the newest token.
    assert_eq!(
        store
            .rotate_refresh("r1", "r2", 100_000, 21_000, 5_000)
            .await
            .expect("dead"),
        RefreshOutcome::Invalid
    );
    assert_eq!(
        store
            .rotate_refresh("unknown", "r3", 100_000, 21_000, 5_000)
            .await
            .expect("unknown"),
        RefreshOutcome::Invalid
    );

    // Eight concurrent presentations of one token: exactly one rotation.
    store
        .create_session(&session("s2", "u1", 100_000), "c0")
        .await
        .expect("session");
    let tries = (0..8).map(|i| {
        let new = format!("c1-{i}");
        async move {
            store
                .rotate_refresh("c0", &new, 100_000, 30_000, 5_000)
                .await
        }
    });
    let outcomes = futures::future::join_all(tries).await;
    let rotations = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(RefreshOutcome::Rotated(_))))
        .count();
    assert_eq!(rotations, 1, "{outcomes:?}");

    // Session list, revoke by owner only, log out everywhere else.
    store
        .create_session(&session("s3", "u1", 100_000), "d0")
        .await
        .expect("session");
    store
        .create_session(&session("s4", "u2", 100_000), "e0")
        .await
        .expect("session");
    let live: Vec<String> = store
        .live_sessions("u1", 40_000)
        .await
        .expect("list")
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(live.len(), 2, "{live:?}");
    assert!(
        !store
            .revoke_session("u2", "s3", "x", 41_000)
            .await
            .expect("not theirs")
    );
    assert!(
        store
            .revoke_session("u1", "s3", "x", 41_000)
            .await
            .expect("mine")
    );
    assert_eq!(
        store
            .revoke_sessions("u1", Some("s2"), "all", 42_000)
            .await
            .expect("all"),
        0
    );
    assert_eq!(
        store.live_sessions("u1", 40_000).await.expect("list").len(),
        1
    );
    assert_eq!(
        store
            .live_sessions("u1", 200_000)
            .await
            .expect("expired")
            .len(),
        0
    );

    // Emailed links work once and only for their purpose, before expiry.
    store
        .create_email_token("t1", "u1", EmailPurpose::Reset, None, 50_000)
        .await
        .expect("token");
    assert_eq!(
        store
            .consume_email_token("t1", EmailPurpose::Verify, 45_000)
            .await
            .expect("wrong purpose"),
        None
    );
    assert_eq!(
        store
            .consume_email_token("t1", EmailPurpose::Reset, 45_000)
            .await
            .expect("use"),
        Some(("u1".into(), None))
    );
    assert_eq!(
        store
            .consume_email_token("t1", EmailPurpose::Reset, 46_000)
            .await
            .expect("again"),
        None
    );
    store
        .create_email_token(
            "t2",
            "u1",
            EmailPurpose::ChangeEmail,
            Some("new@example.jp"),
            50_000,
        )
        .await
        .expect("token");
    assert_eq!(
        store
            .consume_email_token("t2", EmailPurpose::ChangeEmail, 60_000)
            .await
            .expect("late"),
        None
    );

    // TOTP steps only move forward; recovery codes work once.
    store
        .set_totp("u1", Some("SECRET"), Some(5), 5)
        .await
        .expect("totp");
    assert!(store.advance_totp_step("u1", 10).await.expect("first"));
    assert!(!store.advance_totp_step("u1", 10).await.expect("replay"));
    assert!(!store.advance_totp_step("u1", 9).await.expect("older"));
    assert!(store.advance_totp_step("u1", 11).await.expect("next"));
    store
        .replace_recovery_codes("u1", &["h1".into(), "h2".into()])
        .await
        .expect("codes");
    assert!(store.use_recovery_code("u1", "h1", 1).await.expect("use"));
    assert!(!store.use_recovery_code("u1", "h1", 2).await.expect("once"));
    assert!(
        !store
            .use_recovery_code("u2", "h2", 2)
            .await
            .expect("not theirs")
    );
    assert_eq!(store.unused_recovery_codes("u1").await.expect("count"), 1);

    // Audit events, newest first; deleting a user takes their rows with them.
    for (i, kind) in ["login", "logout"].iter().enumerate() {
        store
            .add_audit(&AuditRecord {
                id: format!("a{i}"),
                user_id: "u1".into(),
                kind: (*kind).into(),
                ip: "192.0.2.1".into(),
                user_agent: "Chrome".into(),
                at_ms: 1_000 + i64::try_from(i).expect("small"),
            })
            .await
            .expect("audit");
    }
    let kinds: Vec<String> = store
        .audit_events("u1", 10)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["logout", "login"]);
    store.delete_user("u2").await.expect("delete");
    assert!(store.user_by_id("u2").await.expect("gone").is_none());
    assert_eq!(store.all_users().await.expect("all").len(), 1);
}

fn choice(id: &str, quantity: u32) -> CartChoice {
    CartChoice {
        product_id: id.into(),
        quantity,
    }
}

/// Carts: empty until written; each write is conditional on the revision it was computed from
/// (a stale one changes nothing); choices keep their order; a user's deletion takes the cart.
async fn cart_story(store: &dyn Store) {
    store
        .create_user(&user("cart-user", "cart@example.jp"))
        .await
        .expect("user");
    assert_eq!(
        store.cart("cart-user").await.expect("cart"),
        CartRecord::default()
    );
    let first = [choice("plan", 2), choice("router", 1)];
    assert_eq!(
        store
            .replace_cart("cart-user", "", &first, "r1", 1)
            .await
            .expect("write"),
        CartWrite::Written
    );
    // A second "first write" (another tab that also saw no cart) is stale.
    assert_eq!(
        store
            .replace_cart("cart-user", "", &[], "rX", 2)
            .await
            .expect("write"),
        CartWrite::Stale
    );
    let second = [choice("router", 3), choice("plan", 1), choice("ip", 1)];
    assert_eq!(
        store
            .replace_cart("cart-user", "r1", &second, "r2", 3)
            .await
            .expect("write"),
        CartWrite::Written
    );
    assert_eq!(
        store
            .replace_cart("cart-user", "r1", &first, "r3", 4)
            .await
            .expect("write"),
        CartWrite::Stale
    );
    assert_eq!(
        store.cart("cart-user").await.expect("cart"),
        CartRecord {
            revision: "r2".into(),
            choices: second.to_vec()
        }
    );
    assert_eq!(
        store
            .replace_cart("cart-user", "r2", &[], "r4", 5)
            .await
            .expect("clear"),
        CartWrite::Written
    );
    let emptied = store.cart("cart-user").await.expect("cart");
    assert_eq!(
        (emptied.revision.as_str(), emptied.choices.len()),
        ("r4", 0)
    );
    store.delete_user("cart-user").await.expect("delete");
    assert_eq!(
        store.cart("cart-user").await.expect("cart"),
        CartRecord::default()
    );
}

#[tokio::test]
async fn story_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/nested/portal.db", dir.path().display());
    let store = SqliteStore::connect(&url, 4)
        .await
        .expect("sqlite opens and migrates");
    story(&store).await;
    accounts_story(&store).await;
    cart_story(&store).await;
    // Reopening an existing database re-runs migrations idempotently.
    let again = SqliteStore::connect(&url, 4).await.expect("reopens");
    assert!(
        !again
            .record_delivery("whmcs", "evt-2", OffsetDateTime::now_utc())
            .await
            .expect("persisted")
    );
}

#[tokio::test]
async fn story_on_postgres() {
    let Some(url) = crate::services::fresh_postgres("story").await else {
        return;
    };
    let store = PostgresStore::connect(&url, 4)
        .await
        .expect("postgres connects and migrates");
    story(&store).await;
    accounts_story(&store).await;
    cart_story(&store).await;
    let again = PostgresStore::connect(&url, 2)
        .await
        .expect("migrations are idempotent");
    again.ping().await.expect("ping");
}

pub(crate) fn uuid_like() -> String {
    format!(
        "{:x}{:x}",
        std::process::id(),
        OffsetDateTime::now_utc().unix_timestamp_nanos()
    )
}

pub(crate) fn replace_db(url: &str, db: &str) -> String {
    let (base, _) = url.rsplit_once('/').unwrap_or((url, ""));
    format!("{base}/{db}")
}
