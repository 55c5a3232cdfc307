//! The throwaway services (PostgreSQL, Redis) the test command starts, found by URL.

/// The URL of a throwaway test service from `var`, or `None` (skip, with a notice) — failing
/// instead when `PORTAL_TEST_REQUIRE_SERVICES=1`, as the test command sets, so a missing service
/// can never turn into a silently green run.
pub fn service_url(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("PORTAL_TEST_REQUIRE_SERVICES").as_deref() == Ok("1") => {
            panic!("{var} is required (PORTAL_TEST_REQUIRE_SERVICES=1) but not set")
        }
        _ => {
            eprintln!("note: {var} not set; skipping this backend");
            None
        }
    }
}

/// A new, empty database on the test Postgres server (`PORTAL_TEST_POSTGRES_URL`), so a test
/// never sees another run's rows: its URL, or `None` when Postgres is not configured.
pub async fn fresh_postgres(prefix: &str) -> Option<String> {
    let admin_url = service_url("PORTAL_TEST_POSTGRES_URL")?;
    let name = format!("{prefix}_{}", crate::store_story::uuid_like());
    let admin = sqlx::PgPool::connect(&admin_url)
        .await
        .expect("admin connection");
    // `name` is a fixed prefix and hex digits only (uuid_like), so it is safe to splice in.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .expect("create database");
    admin.close().await;
    Some(crate::store_story::replace_db(&admin_url, &name))
}
