//! The Salesforce adapter against the sandbox simulator over real HTTP: JWT bearer login
//! (and every way an assertion is refused), queries with queryMore, the Account/Contact
//! service round trip with a Japanese profile, SOQL injection, and the reliability paths
//! (expired session → one re-mint, rate limit, 503 retried, single-flight token mint).

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use portal::domain::customer::{Address, PersonName, Profile};

use portal::server::config::SalesforceSettings;
use portal::server::integrations::salesforce::dto::AccountRaw;
use portal::server::integrations::salesforce::{
    Condition, Direction, SalesforceAccounts, SalesforceClient, SalesforceError, SalesforceId, Soql,
};
use serde_json::{Value, json};

/// A key that is not the one registered on the connected app (test only).
const FOREIGN_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC+fgNvyluaohPQ
H8senWDUBPvFpTlR21v7drku4nNc0xGPr7TmD3G2Nls8pC82lLEffRFjhcWDf6eP
fbT7MRFy9DPPfCt35bu5TCuj4coezvj+F/7OQAwahZZiHNe0VKw7wHdaLjW7UwvL
JcOnPIf70cuIVTAG7Fa+w0RHJ9NmLmogDnERs/mzoa4tcgnBMTHse1T04u9DWfrE
0xyoKIuNrowhOE4DuKhDeK/3pz1NGnZoOgODL+809d8pfXcOH4v+iQehPJy9b4a3
xN1eJyE4DxFH5TAmDBIaw1YghDUPH8saKKpczW6SsN0Kt+V5+vxr+kqZr9U5Ao60
UFrb0UbLAgMBAAECggEAFN4CrAiA+rz+Kk05TSa/TdUn7BxFMwQycicCHTKITFGr
eaUtTgsWEU2otp65Cfka4rtVdXoDdia8k8RDrZqlRzBHdqyq/wIxthgz1aAtKdfR
ayr0v4zrkSzeGZcAQsxdu66XRHqNv0dXIjoGUffDC7ZiiJI7EHRrrOUAweyzxIcT
pR9Camfq3L/IPiLDuQZnC1Kb2z3rW3b0PkdpYBPuJ7lpnAj1NkJUyebXeH3t+vTk
NWjntMMEFl2+pekD7aW3gSGtUJhijPNiTEN0USOEkRYrmI/TQ3Y6NrzdvuNL7dea
l9WRe2Eud4tGTo6CyHH0l+/AGREiDfj2+0cXiU8pnQKBgQDpsGFuPESRXx9xVOtS
p6yeduv6zZHd/NWR//n4+epX+wp+JMso8yYdRDcizSWkKg75q/OfETK3emlnJQrM
kaoaYOH2R8tkYb2L1Ub1RZ+hZ//BDwNESeKX10tvwZ3SNoX+7WTVX02RtgxtZBky
LLO2QZpPN2Zy7rcb+1zv7FC6DwKBgQDQrdsujSeqG8zdokuDz+Vc/Qivvu2CvV/g
Gr6cFrNFzQF+DSpsp18mrMFDBQbKXipqUaClfJ6RJCh1Gwy6tgZNUJBX2tWyAH6R
r6tMHYDuRJQCxmitDH3nv7382zqC+DweUSScQ9Ygbt7Eau2Bh6AcSccr0inkmGkR
/tVaJlaThQKBgGBrBcgV1bSlKrP39aAEzpQTPQoeBzEwQG4cz2aKtsXWLl4dkDU1
HWS14InbWsyBDey1pa7bybEqMJL+FZaSAz0e/BxBQwoHyc0IEl7gexx9bGibaR2j
3noHunhBynwRQvgLuq7Ow5J7KmV4B21MRFnOd3x3vy1skOBatd3IAwbBAoGAQN7a
9RSyUOJFhFyQZxB4t7h9O8z5npvqMwt9V56C6l75aMsE9jPtk2M+zOvCGaS+QMDR
VMBxtqLr5MOc6GnveZdi17zSk3wt3HIkqQu+6dLtxBMTtT/d3+4uTG2GOfKbFb2Z
yO4ZoYl1vM+Ut6CGuGSDAu9ZUJPEjfCPOHAUl9UCgYEA2rXMgu9qY5whrEXBTJUl
MWq2Gflp7fHj2+WntlULYBWGFG6ibz+8EnjW4uf778jxeFGCX9IFiHCPa8OtfA8M
zM/KSQ0t7UWLYuzGMlK521Ot2huF0B7YWjG5cYyWZCK3FvT/jhR5ADp96VavFW0+
d8OBEKLbG9bIV/A7GUGFIkY=
-----END PRIVATE KEY-----
";

use crate::sandbox::SalesforceEnv as Env;

impl Env {
    fn client_with(&self, settings: &SalesforceSettings) -> SalesforceClient {
        SalesforceClient::from_settings(settings, &self.base()).expect("client")
    }

    fn accounts(&self) -> SalesforceAccounts {
        SalesforceAccounts::new(self.client(), &self.settings()).expect("service")
    }

    /// The simulator's calls as `METHOD path status`.
    async fn calls(&self) -> Vec<String> {
        let calls: Vec<Value> = self
            .http
            .get(format!(
                "{}/calls?provider=salesforce",
                self.sandbox.handle.control_url
            ))
            .send()
            .await
            .expect("control")
            .json()
            .await
            .expect("json");
        calls
            .iter()
            .map(|c| {
                let path = c["path"].as_str().unwrap_or_default();
                // queryMore locators vary: keep the resource only.
                let path = match path.find("/query/") {
                    Some(i) => format!("{}/query/…", &path[..i]),
                    None => path.to_owned(),
                };
                format!(
                    "{} {} {}",
                    c["method"].as_str().unwrap_or_default(),
                    path,
                    c["status"]
                )
            })
            .collect()
    }

    async fn clear_calls(&self) {
        self.http
            .delete(format!("{}/calls", self.sandbox.handle.control_url))
            .send()
            .await
            .expect("control");
    }

    async fn fault(&self, rule: Value) {
        let status = self
            .http
            .post(format!("{}/faults", self.sandbox.handle.control_url))
            .json(&rule)
            .send()
            .await
            .expect("control")
            .status();
        assert_eq!(status, 201, "fault rule accepted");
    }

    async fn sim_settings(&self, body: Value) {
        let status = self
            .http
            .post(format!("{}/_sandbox/settings", self.base()))
            .json(&body)
            .send()
            .await
            .expect("simulator")
            .status();
        assert_eq!(status, 200);
    }

    /// Posts a JWT bearer grant; returns status and body.
    async fn token_request(&self, assertion: &str) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}/services/oauth2/token", self.base()))
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", assertion),
            ])
            .send()
            .await
            .expect("token endpoint");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

fn sandbox_key() -> EncodingKey {
    let pem = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sandbox/salesforce/jwt-private-key.pem"
    ))
    .expect("sandbox key");
    EncodingKey::from_rsa_pem(&pem).expect("rsa key")
}

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

fn assertion(key: &EncodingKey, claims: &Value) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), claims, key).expect("signed")
}

fn good_claims(aud: &str) -> Value {
    json!({"iss": "sandbox-connected-app", "sub": "integration@portal.sandbox", "aud": aud, "exp": now() + 120})
}

fn kenji() -> Profile {
    Profile {
        name: PersonName {
            family: "佐藤".into(),
            given: "健二".into(),
            family_kana: Some("サトウ".into()),
            given_kana: Some("ケンジ".into()),
        },
        email: "kenji@example.jp".into(),
        phone: "070-2222-3333".into(),
        address: Address {
            postal_code: "530-0001".into(),
            prefecture: "大阪府".into(),
            city: "大阪市北区".into(),
            street: "梅田1-1-1".into(),
            building: "梅田タワー2201".into(),
            country: "JP".into(),
        },
    }
}

#[tokio::test]
async fn the_client_mints_a_token_with_the_jwt_bearer_flow() {
    let env = Env::start().await;
    env.client().authenticate().await.expect("token minted");
    assert_eq!(env.calls().await, ["POST /services/oauth2/token 200"]);

    // What the endpoint answers, field by field.
    let (status, body) = env
        .token_request(&assertion(&sandbox_key(), &good_claims(&env.base())))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["instance_url"], env.base().as_str());
    assert!(body["access_token"].as_str().is_some_and(|t| t.len() > 20));
    assert!(body["id"].as_str().is_some_and(|id| id.contains("/id/00D")));
    let (status, _) = env
        .token_request(&assertion(
            &sandbox_key(),
            &good_claims("https://login.salesforce.com"),
        ))
        .await;
    assert_eq!(status, 200, "the production audience is accepted too");
}

#[tokio::test]
async fn bad_assertions_are_refused_with_salesforce_errors() {
    let env = Env::start().await;
    let key = sandbox_key();
    let base = env.base();
    let with = |field: &str, value: Value| {
        let mut claims = good_claims(&base);
        claims[field] = value;
        assertion(&key, &claims)
    };
    let foreign = EncodingKey::from_rsa_pem(FOREIGN_KEY.as_bytes()).expect("foreign key");
    let tampered = {
        let real = assertion(&key, &good_claims(&base));
        let forged = with("sub", json!("admin@portal.sandbox"));
        let mut parts: Vec<&str> = real.split('.').collect();
        parts[1] = forged.split('.').nth(1).expect("payload");
        parts.join(".")
    };
    for (case, jwt, error, description) in [
        (
            "foreign key",
            assertion(&foreign, &good_claims(&base)),
            "invalid_grant",
            "invalid assertion",
        ),
        (
            "tampered payload",
            tampered,
            "invalid_grant",
            "invalid assertion",
        ),
        (
            "wrong iss",
            with("iss", json!("someone-elses-app")),
            "invalid_client_id",
            "client identifier invalid",
        ),
        (
            "wrong sub",
            with("sub", json!("nobody@portal.sandbox")),
            "invalid_grant",
            "user hasn't approved this consumer",
        ),
        (
            "wrong aud",
            with("aud", json!("https://evil.example")),
            "invalid_grant",
            "audience is invalid",
        ),
        (
            "expired",
            with("exp", json!(now() - 10)),
            "invalid_grant",
            "expired authorization code",
        ),
        (
            "exp too far",
            with("exp", json!(now() + 3600)),
            "invalid_grant",
            "invalid assertion",
        ),
        (
            "not a JWT",
            "not-a-jwt".to_owned(),
            "invalid_grant",
            "invalid assertion",
        ),
    ] {
        let (status, body) = env.token_request(&jwt).await;
        assert_eq!(status, 400, "{case}: {body}");
        assert_eq!(body["error"], error, "{case}");
        assert_eq!(body["error_description"], description, "{case}");
    }

    // Through the client: the typed error.
    let dir = tempfile::tempdir().expect("tempdir");
    let key_file = dir.path().join("foreign.pem");
    std::fs::write(&key_file, FOREIGN_KEY).expect("write key");
    let mut settings = env.settings();
    settings.private_key_file = key_file;
    let err = env
        .client_with(&settings)
        .authenticate()
        .await
        .expect_err("foreign key");
    assert!(
        matches!(&err, SalesforceError::Auth { error, .. } if error == "invalid_grant"),
        "{err:?}"
    );
    let mut settings = env.settings();
    settings.client_id = "someone-elses-app".into();
    let err = env
        .client_with(&settings)
        .authenticate()
        .await
        .expect_err("wrong app");
    assert!(
        matches!(&err, SalesforceError::Auth { error, .. } if error == "invalid_client_id"),
        "{err:?}"
    );
    assert!(!err.is_transient());
}

#[tokio::test]
async fn seeded_accounts_are_queried_and_pages_followed() {
    let env = Env::start().await;
    let client = env.client();
    let soql = Soql::select(&["Id", "Name", "WHMCS_Client_Id__c"])
        .from("Account")
        .order_by("Name", Direction::Asc)
        .build()
        .expect("soql");
    let rows: Vec<AccountRaw> = client.query(&soql).await.expect("query");
    let names: Vec<_> = rows.iter().filter_map(|r| r.name.clone()).collect();
    assert_eq!(names, ["Alex Morgan", "山田 花子"]);
    assert_eq!(rows[1].id, "001J5000003HanAIAS");
    assert_eq!(rows[1].extra["WHMCS_Client_Id__c"], "1001");

    // One record a page: the client follows nextRecordsUrl until done.
    env.sim_settings(json!({"query_batch_size": 1})).await;
    env.clear_calls().await;
    let rows: Vec<AccountRaw> = client.query(&soql).await.expect("query");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].name.as_deref(), Some("山田 花子"));
    assert_eq!(
        env.calls().await,
        [
            "GET /services/data/v62.0/query 200",
            "GET /services/data/v62.0/query/… 200",
        ]
    );
}

#[tokio::test]
async fn a_japanese_profile_round_trips_through_account_and_contact() {
    let env = Env::start().await;
    let accounts = env.accounts();
    assert_eq!(
        accounts
            .find_account_by_whmcs_client(1003)
            .await
            .expect("find"),
        None
    );
    let account = accounts
        .create_account("佐藤 健二", 1003)
        .await
        .expect("account");
    assert_eq!(account.key_prefix(), "001");
    assert_eq!(
        accounts
            .find_account_by_whmcs_client(1003)
            .await
            .expect("find"),
        Some(account.clone())
    );
    assert_eq!(
        accounts
            .create_account("佐藤 健二", 1003)
            .await
            .expect("retried sign-up"),
        account,
        "a second create for the same WHMCS client returns the existing Account"
    );

    let contact = accounts
        .create_contact(&account, &kenji())
        .await
        .expect("contact");
    assert_eq!(contact.key_prefix(), "003");
    assert_eq!(
        accounts.contact_profile(&contact).await.expect("read"),
        kenji()
    );
    assert_eq!(
        accounts
            .find_contact(&account, "KENJI@example.jp")
            .await
            .expect("find"),
        Some(contact.clone())
    );
    assert_eq!(
        accounts
            .find_contact(&account, "other@example.jp")
            .await
            .expect("find"),
        None
    );

    let mut moved = kenji();
    moved.address = Address {
        postal_code: "060-0001".into(),
        prefecture: "北海道".into(),
        city: "札幌市中央区".into(),
        street: "北一条西2-1".into(),
        building: String::new(),
        country: "JP".into(),
    };
    moved.name.given_kana = None;
    moved.phone = "011-222-3333".into();
    accounts
        .update_contact(&contact, &moved)
        .await
        .expect("update");
    assert_eq!(
        accounts.contact_profile(&contact).await.expect("read"),
        moved
    );

    // What Salesforce stored, field by field.
    let stored: Value = accounts
        .client()
        .get(
            "Contact",
            &contact,
            &[
                "LastName",
                "FirstName",
                "MailingStreet",
                "MailingState",
                "Name",
                "AccountId",
            ],
        )
        .await
        .expect("get");
    assert_eq!(stored["attributes"]["type"], "Contact");
    assert_eq!(stored["LastName"], "佐藤");
    assert_eq!(stored["Name"], "健二 佐藤");
    assert_eq!(stored["MailingState"], "北海道");
    assert_eq!(stored["AccountId"], account.as_str());
}

#[tokio::test]
async fn seeded_customers_are_found_by_whmcs_client_id() {
    let env = Env::start().await;
    let accounts = env.accounts();
    let hanako = accounts
        .find_account_by_whmcs_client(1001)
        .await
        .expect("find");
    assert_eq!(
        hanako.as_ref().map(SalesforceId::as_str),
        Some("001J5000003HanAIAS")
    );
    let contact = SalesforceId::parse("003J5000004HanAIAS").expect("id");
    assert_eq!(
        accounts
            .find_contact(hanako.as_ref().expect("account"), "hanako@example.jp")
            .await
            .expect("find"),
        Some(contact.clone())
    );
    let profile = accounts.contact_profile(&contact).await.expect("profile");
    assert_eq!(profile.name.family, "山田");
    assert_eq!(profile.name.given_kana.as_deref(), Some("ハナコ"));
    assert_eq!(profile.address.building, "サンプルマンション405");
    assert_eq!(
        accounts
            .find_account_by_whmcs_client(4242)
            .await
            .expect("find"),
        None
    );

    let missing = SalesforceId::parse("003J5000000zzzz").expect("id");
    assert_eq!(
        accounts.contact_profile(&missing).await,
        Err(SalesforceError::NotFound)
    );
}

#[tokio::test]
async fn an_injection_attempt_returns_no_rows() {
    let env = Env::start().await;
    let accounts = env.accounts();
    let hanako = SalesforceId::parse("001J5000003HanAIAS").expect("id");
    for attack in [
        "x' OR Email != '",
        "x\\' OR Email != \\'",
        "%",
        "' OR Id != null OR Email = '",
    ] {
        assert_eq!(
            accounts
                .find_contact(&hanako, attack)
                .await
                .expect("query runs"),
            None,
            "{attack}"
        );
    }
    let soql = Soql::select(&["Id"])
        .from("Account")
        .filter(Condition::eq("Name", "x' OR Name != '"))
        .build()
        .expect("soql");
    let rows: Vec<Value> = env.client().query(&soql).await.expect("query runs");
    assert!(rows.is_empty(), "{rows:?}");

    // The same text pasted into the query unescaped would have matched every Account.
    let unsafe_soql = "SELECT Id FROM Account WHERE Name = 'x' OR Name != ''";
    let token = env
        .token_request(&assertion(&sandbox_key(), &good_claims(&env.base())))
        .await
        .1["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let body: Value = env
        .http
        .get(format!("{}/services/data/v62.0/query", env.base()))
        .query(&[("q", unsafe_soql)])
        .bearer_auth(token)
        .send()
        .await
        .expect("query")
        .json()
        .await
        .expect("json");
    assert_eq!(body["totalSize"], 2);
}

#[tokio::test]
async fn an_expired_session_is_reminted_and_retried_exactly_once() {
    let env = Env::start().await;
    let accounts = env.accounts();
    accounts.client().authenticate().await.expect("token");
    env.clear_calls().await;
    env.fault(json!({"provider": "salesforce", "path_prefix": "/services/data", "kind": {"type": "provider", "code": "expired_session"}, "times": 1})).await;
    let found = accounts
        .find_account_by_whmcs_client(1001)
        .await
        .expect("succeeds after re-mint");
    assert!(found.is_some());
    assert_eq!(
        env.calls().await,
        [
            "GET /services/data/v62.0/query 401",
            "POST /services/oauth2/token 200",
            "GET /services/data/v62.0/query 200",
        ]
    );

    // A session that stays refused: one re-mint, one retry, then a typed error.
    env.clear_calls().await;
    env.fault(json!({"provider": "salesforce", "path_prefix": "/services/data", "kind": {"type": "provider", "code": "expired_session"}, "times": 2})).await;
    let err = accounts
        .find_account_by_whmcs_client(1001)
        .await
        .expect_err("still refused");
    assert_eq!(err, SalesforceError::SessionExpired);
    assert_eq!(env.calls().await.len(), 3);

    // Tokens revoked on the server side (real expiry) are handled the same way.
    let status = env
        .http
        .post(format!("{}/_sandbox/revoke-tokens", env.base()))
        .send()
        .await
        .expect("simulator")
        .status();
    assert_eq!(status, 204);
    assert!(
        accounts
            .find_account_by_whmcs_client(1001)
            .await
            .expect("re-minted")
            .is_some()
    );
}

#[tokio::test]
async fn rate_limits_are_typed_and_not_retried() {
    let env = Env::start().await;
    let accounts = env.accounts();
    accounts.client().authenticate().await.expect("token");
    env.clear_calls().await;
    env.fault(json!({"provider": "salesforce", "path_prefix": "/services/data", "kind": {"type": "provider", "code": "rate_limit"}, "times": 1})).await;
    let err = accounts
        .find_account_by_whmcs_client(1001)
        .await
        .expect_err("limited");
    assert_eq!(err, SalesforceError::RateLimited);
    assert!(err.is_transient());
    assert_eq!(env.calls().await, ["GET /services/data/v62.0/query 403"]);

    // The daily quota runs out the same way.
    env.sim_settings(json!({"daily_api_limit": 0})).await;
    let err = accounts
        .find_account_by_whmcs_client(1001)
        .await
        .expect_err("quota");
    assert_eq!(err, SalesforceError::RateLimited);
}

#[tokio::test]
async fn a_503_is_retried_with_backoff() {
    let env = Env::start().await;
    let accounts = env.accounts();
    accounts.client().authenticate().await.expect("token");
    env.clear_calls().await;
    env.fault(json!({"provider": "salesforce", "path_prefix": "/services/data", "kind": {"type": "status", "status": 503}, "times": 2})).await;
    assert!(
        accounts
            .find_account_by_whmcs_client(1001)
            .await
            .expect("third try")
            .is_some()
    );
    assert_eq!(
        env.calls().await,
        [
            "GET /services/data/v62.0/query 503",
            "GET /services/data/v62.0/query 503",
            "GET /services/data/v62.0/query 200",
        ]
    );

    // Without retries left, the 503 surfaces as a transient API error; the same goes for a
    // create, which is retried on 503 because Salesforce did not process it.
    let mut settings = env.settings();
    settings.max_retries = 0;
    let client = env.client_with(&settings);
    env.fault(json!({"provider": "salesforce", "path_prefix": "/services/data", "kind": {"type": "status", "status": 503}, "times": 1})).await;
    let soql = Soql::select(&["Id"]).from("Account").build().expect("soql");
    let err = client.query::<Value>(&soql).await.expect_err("503");
    assert!(
        matches!(err, SalesforceError::Api { status: 503, .. }),
        "{err:?}"
    );
    assert!(err.is_transient());
    env.fault(json!({"provider": "salesforce", "path_prefix": "/services/data", "kind": {"type": "provider", "code": "unavailable"}, "times": 1})).await;
    let created = accounts
        .create_account("Retry KK", 5005)
        .await
        .expect("created after a retried 503");
    assert_eq!(
        accounts
            .find_account_by_whmcs_client(5005)
            .await
            .expect("find"),
        Some(created)
    );
}

#[tokio::test]
async fn record_errors_are_typed_validation_errors() {
    let env = Env::start().await;
    let accounts = env.accounts();
    let hanako = SalesforceId::parse("001J5000003HanAIAS").expect("id");
    let mut long_city = kenji();
    long_city.address.city = "あ".repeat(41);
    let err = accounts
        .create_contact(&hanako, &long_city)
        .await
        .expect_err("too long");
    match &err {
        SalesforceError::Validation { code, fields, .. } => {
            assert_eq!(code, "STRING_TOO_LONG");
            assert_eq!(fields, &["MailingCity".to_owned()]);
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(
        !err.to_string().contains("あああ"),
        "no record data in the error text"
    );

    let bad = accounts
        .client()
        .create("Contact", &json!({"FirstName": "x"}))
        .await
        .expect_err("required");
    assert_eq!(bad.code(), Some("REQUIRED_FIELD_MISSING"));
    let bad = accounts
        .client()
        .create("Nope__c", &json!({}))
        .await
        .expect_err("unknown object");
    assert_eq!(bad, SalesforceError::NotFound);
    let soql = Soql::select(&["Nope__c"])
        .from("Account")
        .build()
        .expect("soql");
    let bad = accounts
        .client()
        .query::<Value>(&soql)
        .await
        .expect_err("unknown field");
    assert_eq!(bad.code(), Some("INVALID_FIELD"));
}

#[tokio::test]
async fn concurrent_callers_share_one_token_mint() {
    let env = Env::start().await;
    let accounts = env.accounts();
    let calls = (0..8).map(|_| {
        let accounts = accounts.clone();
        tokio::spawn(async move { accounts.find_account_by_whmcs_client(1002).await })
    });
    for call in futures::future::join_all(calls).await {
        assert!(call.expect("task").expect("query").is_some());
    }
    let mints = env
        .calls()
        .await
        .iter()
        .filter(|c| c.starts_with("POST /services/oauth2/token"))
        .count();
    assert_eq!(mints, 1);
}
