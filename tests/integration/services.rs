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
