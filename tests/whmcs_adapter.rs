//! The WHMCS adapter against the WHMCS simulator over real HTTP: every client/user action,
//! the error classes, and the retry policy (checked in the sandbox's call log).

use portal::domain::common::lang::Lang;
use portal::domain::customer::{Address, PersonName, Profile};
use portal::sandbox::{FaultKind, FaultRule, SandboxHandle, SeedData};
use portal::server::config::WhmcsSettings;
use portal::server::integrations::whmcs::{ClientStatus, Params, WhmcsClient, WhmcsError};
use secrecy::SecretString;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const DEMO_PASSWORD: &str = "sandbox-demo-2026";

/// A running sandbox, stopped when dropped.
struct Sandbox {
    handle: SandboxHandle,
    shutdown: CancellationToken,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

impl Sandbox {
    async fn start() -> Sandbox {
        let shutdown = CancellationToken::new();
        let handle = portal::sandbox::start(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            0,
            SeedData::built_in().expect("seed"),
            portal::sandbox::simulators(),
            shutdown.clone(),
        )
        .await
        .expect("sandbox starts");
        Sandbox { handle, shutdown }
    }

    fn api_url(&self) -> String {
        format!("{}/includes/api.php", self.handle.provider_urls["whmcs"])
    }

    fn client(&self) -> WhmcsClient {
        self.client_with(settings("sandbox-identifier", "sandbox-secret", 5_000, 2))
    }

    fn client_with(&self, settings: WhmcsSettings) -> WhmcsClient {
        WhmcsClient::from_settings(&settings, &self.api_url()).expect("client")
    }

    fn fault(&self, kind: FaultKind, times: Option<u32>) {
        self.handle.faults.add(FaultRule {
            provider: "whmcs".into(),
            path_prefix: Some("/includes/api.php".into()),
            kind,
            times,
            every: None,
        });
    }

    fn provider_fault(&self, code: &str) {
        self.fault(FaultKind::Provider { code: code.into() }, Some(1));
    }

    /// Calls the simulator has answered since the last `clear_calls`.
    fn calls(&self) -> usize {
        self.handle.calls.list(Some("whmcs")).len()
    }

    fn clear_calls(&self) {
        self.handle.calls.clear();
    }

    /// A raw form POST, for protocol-level checks.
    async fn post(&self, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
        let response = reqwest::Client::new()
            .post(self.api_url())
            .form(form)
            .send()
            .await
            .expect("reachable");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }
}

fn settings(identifier: &str, secret: &str, timeout_ms: u64, max_retries: u32) -> WhmcsSettings {
    WhmcsSettings {
        api_url: String::new(),
        identifier: SecretString::from(identifier),
        secret: SecretString::from(secret),
        access_key: SecretString::from(""),
        timeout_ms,
        max_retries,
    }
}

fn japanese_profile(email: &str) -> Profile {
    Profile {
        name: PersonName {
            family: "鈴木".into(),
            given: "一郎".into(),
            family_kana: Some("スズキ".into()),
            given_kana: Some("イチロウ".into()),
        },
        email: email.into(),
        phone: "090-5555-0101".into(),
        address: Address {
            postal_code: "100-0005".into(),
            prefecture: "東京都".into(),
            city: "千代田区".into(),
            street: "丸の内1-1-1".into(),
            building: "丸の内ビル12階".into(),
            country: "JP".into(),
        },
    }
}

#[tokio::test]
async fn add_client_round_trips_a_japanese_profile() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();
    let profile = japanese_profile("ichiro@example.jp");

    let id = whmcs
        .add_client(&profile, "random-portal-owned-password", Lang::Ja)
        .await
        .expect("AddClient");
    assert!(id > 1003, "new ids follow the seeded ones: {id}");

    let details = whmcs.client_details(id).await.expect("GetClientsDetails");
    assert_eq!(details.id, id);
    let expected = Profile {
        name: PersonName {
            family_kana: None,
            given_kana: None,
            ..profile.name.clone()
        },
        ..profile.clone()
    };
    assert_eq!(details.profile, expected, "kana has no WHMCS field");
    assert_eq!(details.status, ClientStatus::Active);
    assert_eq!(details.language, Some(Lang::Ja));
    assert_eq!(details.currency_code.as_deref(), Some("JPY"));
    let owner = details.owner_user_id.expect("an owning user was created");
    assert!(details.users.iter().any(|u| u.id == owner && u.is_owner));

    let by_email = whmcs
        .client_by_email("ICHIRO@example.jp")
        .await
        .expect("by email");
    assert_eq!(by_email.map(|d| d.id), Some(id));

    // The WHMCS user created with the client can log in and owns exactly it.
    let login = whmcs
        .validate_login("ichiro@example.jp", "random-portal-owned-password")
        .await
        .expect("ValidateLogin")
        .expect("valid");
    assert_eq!(login.user_id, owner);
    assert_eq!(
        whmcs
            .owned_client_ids(login.user_id, "ichiro@example.jp")
            .await
            .expect("GetUsers"),
        vec![id]
    );
}

#[tokio::test]
async fn update_client_and_search() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();
    let mut profile = whmcs.client_details(1001).await.expect("hanako").profile;
    assert_eq!(profile.name.family, "山田");
    assert_eq!(profile.name.given, "花子");
    assert_eq!(profile.address.building, "サンプルマンション405");
    profile.address.building = "新ビル101".into();
    profile.phone = "03-1234-5678".into();
    whmcs
        .update_client(1001, &profile)
        .await
        .expect("UpdateClient");
    let updated = whmcs.client_details(1001).await.expect("reread");
    assert_eq!(updated.profile.address.building, "新ビル101");
    assert_eq!(updated.profile.phone, "03-1234-5678");

    // GetClients is a prefix search: a longer email also matches, the adapter keeps exact hits.
    whmcs
        .add_client(
            &japanese_profile("hanako@example.jp.test"),
            "pw-123456",
            Lang::Ja,
        )
        .await
        .expect("AddClient");
    let hits = whmcs
        .search_clients("Hanako@example.jp")
        .await
        .expect("GetClients");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, 1001);
    assert_eq!(hits[0].name.family, "山田");
    assert_eq!(hits[0].created, None, "seeded clients carry 0000-00-00");
    assert!(
        whmcs
            .search_clients("nobody@example.jp")
            .await
            .expect("empty")
            .is_empty()
    );

    // Paging through the generic call.
    let page = whmcs
        .call(
            "GetClients",
            &Params::new().with("limitstart", 1).with("limitnum", 2),
        )
        .await
        .expect("page");
    assert_eq!(page["totalresults"], "4");
    assert_eq!(page["startnumber"], "1");
    assert_eq!(page["numreturned"], "2");
}

#[tokio::test]
async fn seeded_customer_proves_ownership() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();
    assert_eq!(
        whmcs
            .verify_owner("kenji@example.jp", DEMO_PASSWORD)
            .await
            .expect("verify"),
        Some(1003)
    );
    assert_eq!(
        whmcs
            .verify_owner("kenji@example.jp", "wrong-password")
            .await
            .expect("verify"),
        None
    );
    assert_eq!(
        whmcs
            .verify_owner("nobody@example.jp", DEMO_PASSWORD)
            .await
            .expect("verify"),
        None
    );
    let login = whmcs
        .validate_login("kenji@example.jp", DEMO_PASSWORD)
        .await
        .expect("ValidateLogin")
        .expect("valid");
    assert!(!login.two_factor);
    assert_ne!(
        login.user_id, 1003,
        "ValidateLogin returns a user id, not the client id"
    );
    assert_eq!(
        whmcs
            .validate_login("kenji@example.jp", "")
            .await
            .expect("ValidateLogin"),
        None
    );
    let users = whmcs
        .users_by_email("kenji@example.jp")
        .await
        .expect("GetUsers");
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].user_id, login.user_id);
}

#[tokio::test]
async fn answered_errors_are_typed_and_not_retried() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();

    sandbox.clear_calls();
    let err = whmcs
        .add_client(
            &japanese_profile("hanako@example.jp"),
            "pw-123456",
            Lang::Ja,
        )
        .await
        .expect_err("duplicate");
    assert!(matches!(err, WhmcsError::Validation { .. }), "{err:?}");
    assert_eq!(err.field(), Some("email"));
    assert_eq!(sandbox.calls(), 1, "an answered error is not retried");

    sandbox.clear_calls();
    let err = whmcs.client_details(999_999).await.expect_err("unknown");
    assert!(matches!(err, WhmcsError::NotFound { .. }), "{err:?}");
    assert_eq!(sandbox.calls(), 1, "an answered error is not retried");
    assert_eq!(
        whmcs
            .client_by_email("nobody@example.jp")
            .await
            .expect("ok"),
        None
    );
    let err = whmcs
        .update_client(999_999, &japanese_profile("x@example.jp"))
        .await
        .expect_err("unknown");
    assert!(matches!(err, WhmcsError::NotFound { .. }), "{err:?}");

    // A missing required field, as WHMCS words it.
    let mut incomplete = japanese_profile("new@example.jp");
    incomplete.name.given = String::new();
    let err = whmcs
        .add_client(&incomplete, "pw-123456", Lang::Ja)
        .await
        .expect_err("no first name");
    assert!(
        err.message_is("You did not enter your first name"),
        "{err:?}"
    );
    assert_eq!(err.field(), Some("given_name"));

    // Updating to another client's email.
    let mut profile = whmcs.client_details(1002).await.expect("alex").profile;
    profile.email = "hanako@example.jp".into();
    let err = whmcs
        .update_client(1002, &profile)
        .await
        .expect_err("taken");
    assert!(matches!(err, WhmcsError::Validation { .. }), "{err:?}");

    // An unknown action.
    let err = whmcs
        .call("GetNothing", &Params::new())
        .await
        .expect_err("unknown");
    assert!(matches!(err, WhmcsError::Api { .. }), "{err:?}");
}

#[tokio::test]
async fn wrong_credentials_are_an_authentication_error() {
    let sandbox = Sandbox::start().await;
    for (identifier, secret) in [
        ("sandbox-identifier", "wrong-secret"),
        ("wrong-identifier", "sandbox-secret"),
    ] {
        let whmcs = sandbox.client_with(settings(identifier, secret, 5_000, 2));
        sandbox.clear_calls();
        let err = whmcs.client_details(1001).await.expect_err("refused");
        assert!(matches!(err, WhmcsError::Authentication { .. }), "{err:?}");
        assert!(!err.is_transient());
        assert_eq!(sandbox.calls(), 1);
    }
}

#[tokio::test]
async fn a_proxy_503_is_retried() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();
    sandbox.clear_calls();
    sandbox.fault(FaultKind::Status { status: 503 }, Some(1));
    let details = whmcs.client_details(1001).await.expect("retried");
    assert_eq!(details.id, 1001);
    assert_eq!(sandbox.calls(), 2, "one 503, one success");

    // Writes too: a 503 without an envelope never reached WHMCS.
    sandbox.clear_calls();
    sandbox.fault(FaultKind::Status { status: 503 }, Some(1));
    whmcs
        .add_client(&japanese_profile("retry@example.jp"), "pw-123456", Lang::En)
        .await
        .expect("retried");
    assert_eq!(sandbox.calls(), 2);

    // A 504 on a write may hide an applied change: reported, not repeated.
    sandbox.clear_calls();
    sandbox.fault(FaultKind::Status { status: 504 }, Some(1));
    let err = whmcs
        .add_client(
            &japanese_profile("gateway@example.jp"),
            "pw-123456",
            Lang::En,
        )
        .await
        .expect_err("504");
    assert!(
        matches!(
            err,
            WhmcsError::Transport {
                status: Some(504),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(sandbox.calls(), 1);

    // Retries give up after max_retries.
    sandbox.clear_calls();
    sandbox.fault(FaultKind::Status { status: 502 }, None);
    let err = whmcs.client_details(1001).await.expect_err("still down");
    assert!(err.is_transient());
    assert_eq!(sandbox.calls(), 3, "1 + max_retries");
}

#[tokio::test]
async fn latency_beyond_the_time_limit_is_a_timeout() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client_with(settings("sandbox-identifier", "sandbox-secret", 300, 1));
    sandbox.fault(FaultKind::Latency { ms: 1_500 }, None);
    let started = std::time::Instant::now();
    let err = whmcs.client_details(1001).await.expect_err("too slow");
    assert_eq!(err, WhmcsError::Timeout);
    assert!(err.is_transient());
    assert!(
        started.elapsed() < Duration::from_millis(1_400),
        "gave up on time"
    );
}

#[tokio::test]
async fn provider_faults() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();

    sandbox.clear_calls();
    sandbox.provider_fault("rate_limit");
    let err = whmcs.client_details(1001).await.expect_err("throttled");
    assert_eq!(
        err,
        WhmcsError::RateLimited {
            retry_after: Some(Duration::from_secs(1))
        }
    );
    assert!(err.is_transient());
    assert_eq!(sandbox.calls(), 1, "a 429 is not retried by the client");

    sandbox.provider_fault("auth");
    let err = whmcs.client_details(1001).await.expect_err("auth");
    assert!(err.message_is("Authentication Failed"), "{err:?}");
    assert!(matches!(err, WhmcsError::Authentication { .. }));

    sandbox.provider_fault("invalid_ip");
    let err = whmcs.client_details(1001).await.expect_err("ip");
    assert!(
        matches!(err, WhmcsError::Authentication { ref message } if message.starts_with("Invalid IP")),
        "{err:?}"
    );

    sandbox.provider_fault("permission");
    let err = whmcs.client_details(1001).await.expect_err("role");
    assert!(
        matches!(err, WhmcsError::Authentication { ref message } if message.contains("\"getclientsdetails\"")),
        "{err:?}"
    );

    sandbox.provider_fault("php_fatal");
    let err = whmcs.client_details(1001).await.expect_err("fatal");
    assert!(
        matches!(
            err,
            WhmcsError::Transport {
                status: Some(500),
                ..
            }
        ),
        "{err:?}"
    );

    sandbox.provider_fault("not_json");
    let err = whmcs.client_details(1001).await.expect_err("html");
    assert!(matches!(err, WhmcsError::Decode(_)), "{err:?}");

    // Back to normal.
    assert_eq!(whmcs.client_details(1001).await.expect("ok").id, 1001);
}

#[tokio::test]
async fn the_simulator_speaks_the_wire_protocol() {
    let sandbox = Sandbox::start().await;
    let auth = [
        ("identifier", "sandbox-identifier"),
        ("secret", "sandbox-secret"),
        ("responsetype", "json"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut form = auth.to_vec();
        form.extend_from_slice(extra);
        form
    };

    // GetClientsDetails: `client` plus the deprecated top-level copy, 8.x typing.
    let (status, body) = sandbox
        .post(&with(&[
            ("action", "getclientsdetails"),
            ("clientid", "1001"),
        ]))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["result"], "success");
    assert_eq!(body["client"]["id"], 1001);
    assert_eq!(body["client"]["credit"], "0.00");
    assert_eq!(body["email"], "hanako@example.jp", "top-level copy");
    assert!(body["client"]["users"]["user"].is_array());

    // Business errors are HTTP 200; gate errors are 4xx.
    let (status, body) = sandbox
        .post(&with(&[("action", "GetClientsDetails")]))
        .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (200, Some("Either clientid Or email Is Required"))
    );
    let (status, body) = sandbox.post(&with(&[])).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (400, Some("Empty action request"))
    );
    let (status, body) = sandbox.post(&with(&[("action", "MergeTicket")])).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        r#"Invalid API Action: "mergeticket" is not a valid API action"#
    );
    let (status, body) = sandbox
        .post(&[
            ("action", "GetClients"),
            ("identifier", "sandbox-identifier"),
        ])
        .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (403, Some("Authentication Failed"))
    );

    // AddClient answers with a string id; ValidateLogin with string fields.
    let (_, body) = sandbox
        .post(&with(&[
            ("action", "AddClient"),
            ("firstname", "太郎"),
            ("lastname", "田中"),
            ("email", "taro@example.jp"),
            ("address1", "本町1-1"),
            ("city", "大阪市中央区"),
            ("state", "大阪府"),
            ("postcode", "541-0053"),
            ("country", "JP"),
            ("phonenumber", "06-1234-5678"),
            ("password2", "taro-pass"),
        ]))
        .await;
    assert!(body["clientid"].is_string(), "{body}");
    let (_, body) = sandbox
        .post(&with(&[
            ("action", "ValidateLogin"),
            ("email", "taro@example.jp"),
            ("password2", "taro-pass"),
        ]))
        .await;
    assert!(body["userid"].is_string());
    assert_eq!(body["twoFactorEnabled"], "false");
    assert_eq!(body["passwordhash"].as_str().map(str::len), Some(40));

    // A JSON body carries no parameters: PHP would not parse it.
    let response = reqwest::Client::new()
        .post(sandbox.api_url())
        .json(&serde_json::json!({ "action": "GetClients", "identifier": "sandbox-identifier", "secret": "sandbox-secret" }))
        .send()
        .await
        .expect("reachable");
    assert_eq!(response.status().as_u16(), 403);
}
