//! The WHMCS adapter against the WHMCS simulator over real HTTP: every client/user action,
//! the error classes, and the retry policy (checked in the sandbox's call log).

use portal::domain::common::lang::Lang;
use portal::domain::customer::{Address, PersonName, Profile};
use portal::sandbox::{FaultKind, FaultRule, SandboxHandle};
use portal::server::config::WhmcsSettings;
use portal::server::integrations::whmcs::{ClientStatus, Params, WhmcsClient, WhmcsError};
use secrecy::SecretString;
use std::time::Duration;

const DEMO_PASSWORD: &str = "sandbox-demo-2026";

use crate::sandbox::RunningSandbox;

/// The sandbox with WHMCS helpers.
struct Sandbox {
    running: RunningSandbox,
}

impl Sandbox {
    async fn start() -> Sandbox {
        Sandbox {
            running: RunningSandbox::start().await,
        }
    }

    fn handle(&self) -> &SandboxHandle {
        &self.running.handle
    }

    fn api_url(&self) -> String {
        format!("{}/includes/api.php", self.running.url("whmcs"))
    }

    fn client(&self) -> WhmcsClient {
        self.client_with(settings("sandbox-identifier", "sandbox-secret", 5_000, 2))
    }

    fn client_with(&self, settings: WhmcsSettings) -> WhmcsClient {
        WhmcsClient::from_settings(&settings, &self.api_url()).expect("client")
    }

    fn fault(&self, kind: FaultKind, times: Option<u32>) {
        self.handle().faults.add(FaultRule {
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
        self.handle().calls.list(Some("whmcs")).len()
    }

    fn clear_calls(&self) {
        self.handle().calls.clear();
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
        webhook_secrets: SecretString::from("unused"),
        webhook_tolerance_secs: 300,
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

// ---- Billing and services -------------------------------------------------------------

use portal::domain::billing::{InvoiceStatus, PayMethodKind};
use portal::domain::common::money::Money;
use portal::domain::services::{BillingCycle, CancellationType, ServiceStatus};
use portal::server::integrations::whmcs::{CancelOutcome, CurrencyContext, SsoDestination};

const HANAKO: u32 = 1001;
const ALEX: u32 = 1002;
const KENJI: u32 = 1003;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// What the simulator recorded (`GET /sandbox/events`).
async fn events(base: &str) -> serde_json::Value {
    reqwest::get(format!("{base}/sandbox/events"))
        .await
        .expect("reachable")
        .json()
        .await
        .expect("json")
}

/// Posts an empty form (as a browser's button-only form does) to a simulator page with a
/// session cookie.
async fn post_as(cookie: &str, url: String) -> reqwest::Response {
    no_redirects()
        .post(url)
        .header("cookie", cookie)
        .form(&[] as &[(&str, &str)])
        .send()
        .await
        .expect("post")
}

/// Redeems an SSO URL; returns (status, location, session cookie).
async fn redeem(url: &str) -> (u16, String, Option<String>) {
    let response = no_redirects().get(url).send().await.expect("reachable");
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    (response.status().as_u16(), location(&response), cookie)
}

#[tokio::test]
async fn currencies_give_the_yen_context() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();
    let currencies = whmcs.currencies().await.expect("GetCurrencies");
    assert_eq!(currencies.len(), 2);
    assert_eq!(currencies[0].code, "JPY");
    assert_eq!(currencies[0].prefix, "¥");
    let ctx = whmcs.currency_context().await.expect("context");
    assert_eq!(ctx, CurrencyContext::default());
}

#[tokio::test]
async fn invoices_filter_page_and_detail() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();
    let ctx = CurrencyContext::default();

    let all = whmcs
        .invoices(&ctx, HANAKO, None, 1, 25)
        .await
        .expect("GetInvoices");
    assert_eq!(all.total, 13);
    assert_eq!(all.items.len(), 13);
    assert!(
        all.items.windows(2).all(|w| w[0].date >= w[1].date),
        "newest first"
    );
    let count = |s: InvoiceStatus| all.items.iter().filter(|i| i.status == s).count();
    assert_eq!(count(InvoiceStatus::Overdue), 1);
    assert_eq!(count(InvoiceStatus::Unpaid), 1);
    assert_eq!(count(InvoiceStatus::Cancelled), 1);
    assert_eq!(count(InvoiceStatus::Refunded), 1);
    assert_eq!(count(InvoiceStatus::Paid), 9);
    assert!(
        all.items
            .iter()
            .all(|i| i.total.currency() == Money::yen(0).currency())
    );

    let overdue = whmcs
        .invoices(&ctx, HANAKO, Some(InvoiceStatus::Overdue), 1, 25)
        .await
        .expect("Overdue filter");
    assert_eq!(overdue.total, 1);
    assert_eq!(overdue.items[0].status, InvoiceStatus::Overdue);
    assert!(
        overdue.items[0].due_date < Some(portal::server::integrations::whmcs::billing::today())
    );
    let unpaid = whmcs
        .invoices(&ctx, HANAKO, Some(InvoiceStatus::Unpaid), 1, 25)
        .await
        .expect("Unpaid filter");
    assert_eq!(unpaid.total, 2, "WHMCS's Unpaid includes the overdue one");

    let page2 = whmcs
        .invoices(&ctx, HANAKO, None, 2, 2)
        .await
        .expect("page 2");
    assert_eq!((page2.total, page2.items.len(), page2.pages()), (13, 2, 7));
    assert_eq!(page2.items[0].id, all.items[2].id);
    let last = whmcs
        .invoices(&ctx, HANAKO, None, 7, 2)
        .await
        .expect("last");
    assert_eq!(last.items.len(), 1);

    // Empty list quirk: `"invoices": ""`.
    let (_, raw) = sandbox
        .post(&[
            ("identifier", "sandbox-identifier"),
            ("secret", "sandbox-secret"),
            ("action", "GetInvoices"),
            ("userid", "1003"),
            ("status", "Unpaid"),
        ])
        .await;
    assert_eq!(raw["invoices"], "");
    assert_eq!(raw["totalresults"], 0);
    let none = whmcs
        .invoices(&ctx, KENJI, Some(InvoiceStatus::Unpaid), 1, 10)
        .await
        .expect("empty");
    assert_eq!((none.total, none.items.len()), (0, 0));

    // Detail: lines, 10 % tax, payments; refunds net to zero.
    let paid = all
        .items
        .iter()
        .find(|i| i.status == InvoiceStatus::Paid)
        .expect("a paid one");
    let (owner, invoice) = whmcs.invoice(&ctx, paid.id).await.expect("GetInvoice");
    assert_eq!(owner, HANAKO);
    assert_eq!(invoice.tax_rate_bp, 1000);
    assert_eq!(invoice.tax.minor(), invoice.subtotal.minor() / 10);
    assert_eq!(invoice.summary.total, paid.total);
    assert!(invoice.items.iter().any(|l| l.service_id == Some(101)));
    assert_eq!(invoice.payments.len(), 1);
    assert_eq!(invoice.payments[0].amount, paid.total);
    let refunded = all
        .items
        .iter()
        .find(|i| i.status == InvoiceStatus::Refunded)
        .expect("refunded");
    let (_, refunded) = whmcs.invoice(&ctx, refunded.id).await.expect("refunded");
    let net: i64 = refunded.payments.iter().map(|p| p.amount.minor()).sum();
    assert_eq!((refunded.payments.len(), net), (2, 0));
    let overdue_id = overdue.items[0].id;
    let (_, open) = whmcs
        .invoice(&ctx, overdue_id)
        .await
        .expect("no transactions");
    assert!(open.payments.is_empty());
    assert_eq!(open.summary.balance, Some(open.summary.total));

    // Another customer's invoice names its owner, so the portal can answer "not found".
    let alex = whmcs.invoices(&ctx, ALEX, None, 1, 10).await.expect("alex");
    assert_eq!(alex.total, 4);
    let (owner, _) = whmcs.invoice(&ctx, alex.items[0].id).await.expect("found");
    assert_eq!(owner, ALEX);
    assert_ne!(owner, HANAKO);
    let missing = whmcs.invoice(&ctx, 999_999).await;
    assert!(
        matches!(missing, Err(WhmcsError::NotFound { .. })),
        "{missing:?}"
    );
}

#[tokio::test]
async fn pay_methods_and_services() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();
    let ctx = CurrencyContext::default();

    let methods = whmcs.pay_methods(HANAKO).await.expect("GetPayMethods");
    assert_eq!(methods.len(), 2);
    assert_eq!(methods[0].kind, PayMethodKind::Card);
    assert!(methods[0].is_default);
    assert_eq!(methods[0].last4.as_deref(), Some("4242"));
    assert_eq!(methods[1].kind, PayMethodKind::BankAccount);
    assert!(whmcs.pay_methods(KENJI).await.expect("none").is_empty());
    assert!(matches!(
        whmcs.pay_methods(424_242).await,
        Err(WhmcsError::NotFound { .. })
    ));

    let services = whmcs
        .services(&ctx, HANAKO)
        .await
        .expect("GetClientsProducts");
    assert_eq!(services.len(), 4);
    let fibre = &services[0];
    assert_eq!(fibre.recurring, Money::yen(5_280));
    assert_eq!(fibre.billing_cycle, Some(BillingCycle::Monthly));
    assert_eq!(fibre.status, ServiceStatus::Active);
    assert!(fibre.next_due.is_some());
    let sims: Vec<_> = services
        .iter()
        .filter_map(|s| s.custom_fields.get("Phone Number"))
        .collect();
    assert_eq!(sims.len(), 2);
    assert!(sims.iter().all(|p| p.starts_with("090-")));
    let one_time = services
        .iter()
        .find(|s| s.billing_cycle == Some(BillingCycle::OneTime))
        .expect("one-time");
    assert_eq!(
        (one_time.status, one_time.next_due),
        (ServiceStatus::Completed, None)
    );
    let kenji = whmcs.services(&ctx, KENJI).await.expect("kenji");
    assert_eq!(kenji[0].billing_cycle, Some(BillingCycle::Annually));

    let (owner, one) = whmcs.service(&ctx, 201).await.expect("by id");
    assert_eq!((owner, one.id), (ALEX, 201));
    assert!(matches!(
        whmcs.service(&ctx, 9_999).await,
        Err(WhmcsError::NotFound { .. })
    ));

    // Cancellation: stored, status kept, a second one refused.
    let first = whmcs
        .add_cancel_request(102, CancellationType::EndOfBillingPeriod, "引っ越しのため")
        .await
        .expect("AddCancelRequest");
    assert_eq!(first, CancelOutcome::Requested);
    let again = whmcs
        .add_cancel_request(102, CancellationType::Immediate, "again")
        .await
        .expect("duplicate answered");
    assert_eq!(again, CancelOutcome::AlreadyRequested);
    assert!(matches!(
        whmcs
            .add_cancel_request(9_999, CancellationType::Immediate, "")
            .await,
        Err(WhmcsError::NotFound { .. })
    ));
    let stored: serde_json::Value = reqwest::get(format!(
        "{}/sandbox/cancel_requests",
        sandbox.handle().provider_urls["whmcs"]
    ))
    .await
    .expect("reachable")
    .json()
    .await
    .expect("json");
    assert_eq!(stored.as_array().map(Vec::len), Some(1));
    assert_eq!(stored[0]["kind"], "End of Billing Period");
    assert_eq!(stored[0]["reason"], "引っ越しのため");
    let (_, sim) = whmcs.service(&ctx, 102).await.expect("still there");
    assert_eq!(sim.status, ServiceStatus::Active, "WHMCS keeps the status");
}

#[tokio::test]
async fn sso_pay_an_invoice_once_and_record_the_event() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();
    let ctx = CurrencyContext::default();
    let base = sandbox.handle().provider_urls["whmcs"].clone();
    let overdue = whmcs
        .invoices(&ctx, HANAKO, Some(InvoiceStatus::Overdue), 1, 10)
        .await
        .expect("overdue")
        .items[0]
        .id;

    let url = whmcs
        .create_sso_token(
            HANAKO,
            SsoDestination::InvoicePay(overdue),
            Some("http://portal.test/invoices/return"),
        )
        .await
        .expect("CreateSsoToken");
    assert!(url.starts_with(&format!("{base}/oauth/singlesignon.php?access_token=")));
    let token = url.rsplit('=').next().unwrap_or_default();
    assert_eq!(token.len(), 40);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));

    let (status, to, cookie) = redeem(&url).await;
    assert_eq!(
        (status, to.as_str()),
        (302, &*format!("/viewinvoice.php?id={overdue}"))
    );
    let cookie = cookie.expect("session cookie");
    let (again, _, _) = redeem(&url).await;
    assert_eq!(again, 403, "one-time token");

    let page = no_redirects()
        .get(format!("{base}{to}"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("Pay now") && html.contains("Overdue"),
        "{html}"
    );

    // Another customer's invoice is not shown with this session.
    let alex_invoice = whmcs
        .invoices(&ctx, ALEX, None, 1, 1)
        .await
        .expect("alex")
        .items[0]
        .id;
    let other = no_redirects()
        .get(format!("{base}/viewinvoice.php?id={alex_invoice}"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("page");
    assert_eq!(other.status().as_u16(), 403);

    let paid = no_redirects()
        .post(format!("{base}/viewinvoice.php?id={overdue}"))
        .header("cookie", &cookie)
        .form(&[("pay", "1")])
        .send()
        .await
        .expect("pay");
    assert_eq!(paid.status().as_u16(), 303);
    assert_eq!(location(&paid), "http://portal.test/invoices/return");

    let (_, invoice) = whmcs.invoice(&ctx, overdue).await.expect("GetInvoice");
    assert_eq!(invoice.summary.status, InvoiceStatus::Paid);
    assert_eq!(invoice.payments.len(), 1);
    assert_eq!(invoice.payments[0].amount, invoice.summary.total);
    let events = events(&base).await;
    assert_eq!(events[0]["event"], "InvoicePaid");
    assert_eq!(events[0]["invoice_id"], overdue);
    assert_eq!(events[0]["client_id"], HANAKO);
    let overdue_now = whmcs
        .invoices(&ctx, HANAKO, Some(InvoiceStatus::Overdue), 1, 10)
        .await
        .expect("overdue");
    assert_eq!(overdue_now.total, 0);
}

#[tokio::test]
async fn sso_tokens_expire_and_cards_can_be_added() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();
    let base = sandbox.handle().provider_urls["whmcs"].clone();
    let url = whmcs
        .create_sso_token(
            ALEX,
            SsoDestination::AddPayMethod,
            Some("http://portal.test/pm"),
        )
        .await
        .expect("token");
    let advanced = reqwest::Client::new()
        .post(format!("{base}/sandbox/clock?advance=61"))
        .send()
        .await
        .expect("clock");
    assert_eq!(advanced.status().as_u16(), 204);
    let (status, _, _) = redeem(&url).await;
    assert_eq!(status, 403, "expired after 60 s");

    let url = whmcs
        .create_sso_token(
            ALEX,
            SsoDestination::AddPayMethod,
            Some("http://portal.test/pm"),
        )
        .await
        .expect("token");
    let (status, to, cookie) = redeem(&url).await;
    assert_eq!(status, 302);
    assert_eq!(to, "/index.php?rp=/account/paymentmethods/add");
    let cookie = cookie.expect("cookie");
    let bad = no_redirects()
        .post(format!("{base}{to}"))
        .header("cookie", &cookie)
        .form(&[("card_number", "4111"), ("expiry", "12/30")])
        .send()
        .await
        .expect("post");
    assert_eq!(bad.status().as_u16(), 422);
    let added = no_redirects()
        .post(format!("{base}{to}"))
        .header("cookie", &cookie)
        .form(&[
            ("card_number", "4111 1111 1111 1111"),
            ("expiry", "12/30"),
            ("set_default", "1"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(added.status().as_u16(), 303);
    assert_eq!(location(&added), "http://portal.test/pm");
    let methods = whmcs.pay_methods(ALEX).await.expect("methods");
    assert_eq!(methods.len(), 2);
    assert_eq!(methods[0].last4.as_deref(), Some("1111"));
    assert!(methods[0].is_default);
    let events = events(&base).await;
    assert_eq!(events[0]["event"], "PayMethodAdded");
    assert_eq!(events[0]["client_id"], ALEX);

    let closed = whmcs
        .create_sso_token(424_242, SsoDestination::PayMethods, None)
        .await;
    assert!(closed.is_err());
}

#[tokio::test]
async fn sso_pay_methods_can_be_removed_and_the_next_becomes_default() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();
    let base = sandbox.handle().provider_urls["whmcs"].clone();
    let before = whmcs.pay_methods(HANAKO).await.expect("methods");
    assert_eq!(before.len(), 2);
    let default = before[0].id;
    let url = whmcs
        .create_sso_token(
            HANAKO,
            SsoDestination::PayMethods,
            Some("http://portal.test/pm"),
        )
        .await
        .expect("token");
    let (status, to, cookie) = redeem(&url).await;
    assert_eq!(
        (status, to.as_str()),
        (302, "/index.php?rp=/account/paymentmethods")
    );
    let cookie = cookie.expect("cookie");
    let page = no_redirects()
        .get(format!("{base}{to}"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let remove = format!("/index.php?rp=/account/paymentmethods/{default}/delete");
    assert!(page.contains(&remove) && page.contains("Remove"), "{page}");

    // Another client's method cannot be removed with this session.
    let alex_card = whmcs.pay_methods(ALEX).await.expect("alex")[0].id;
    let theirs = post_as(
        &cookie,
        format!("{base}/index.php?rp=/account/paymentmethods/{alex_card}/delete"),
    )
    .await;
    assert_eq!(theirs.status().as_u16(), 404);
    assert_eq!(whmcs.pay_methods(ALEX).await.expect("alex").len(), 1);

    let removed = post_as(&cookie, format!("{base}{remove}")).await;
    assert_eq!(removed.status().as_u16(), 303);
    assert_eq!(location(&removed), "http://portal.test/pm");
    let after = whmcs.pay_methods(HANAKO).await.expect("methods");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].kind, PayMethodKind::BankAccount);
    assert!(after[0].is_default, "the next one is the default now");
    let events = events(&base).await;
    assert_eq!(events[0]["event"], "PayMethodRemoved");
    assert_eq!(events[0]["client_id"], HANAKO);
    assert_eq!(events[0]["pay_method_id"], default);
    // Removing it again finds nothing.
    let again = post_as(&cookie, format!("{base}{remove}")).await;
    assert_eq!(again.status().as_u16(), 404);
}

#[tokio::test]
async fn billing_reads_are_retried_after_a_503() {
    let sandbox = Sandbox::start().await;
    let whmcs = sandbox.client();
    let ctx = CurrencyContext::default();
    sandbox.clear_calls();
    sandbox.fault(FaultKind::Status { status: 503 }, Some(1));
    let page = whmcs
        .invoices(&ctx, HANAKO, None, 1, 5)
        .await
        .expect("retried");
    assert_eq!(page.items.len(), 5);
    assert_eq!(sandbox.calls(), 2);
    sandbox.clear_calls();
    sandbox.fault(FaultKind::Status { status: 503 }, Some(1));
    assert_eq!(whmcs.services(&ctx, ALEX).await.expect("retried").len(), 1);
    assert_eq!(sandbox.calls(), 2);
    // A 504 on a write may hide an applied change: reported, not repeated.
    sandbox.clear_calls();
    sandbox.fault(FaultKind::Status { status: 504 }, Some(1));
    let write = whmcs
        .add_cancel_request(201, CancellationType::Immediate, "x")
        .await;
    assert!(
        matches!(write, Err(WhmcsError::Transport { .. })),
        "{write:?}"
    );
    assert_eq!(sandbox.calls(), 1);
}
