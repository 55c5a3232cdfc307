//! The preference forms without JavaScript: a plain POST sets the cookie and sends the visitor
//! back where they were; bad values are refused without setting anything.

use crate::helpers::spawn_app;

#[tokio::test]
async fn posting_the_language_form_sets_the_cookie_and_redirects_back() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/api/preferences/language", app.address))
        .header("accept", "text/html")
        .header("referer", format!("{}/status", app.address))
        .form(&[("lang", "ja")])
        .send()
        .await
        .expect("request");
    assert!(res.status().is_redirection(), "status {}", res.status());
    // Back to the referring page's path, on this site.
    assert_eq!(res.headers()["location"], "/status");
    let cookie = res.headers()["set-cookie"].to_str().expect("cookie");
    assert!(
        cookie.starts_with("i18n_pref_locale=ja;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

#[tokio::test]
async fn posting_the_theme_form_sets_the_cookie() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/api/preferences/theme", app.address))
        .header("accept", "text/html")
        .header("referer", format!("{}/", app.address))
        .form(&[("theme", "dark")])
        .send()
        .await
        .expect("request");
    assert!(res.status().is_redirection());
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .starts_with("theme=dark;")
    );
}

#[tokio::test]
async fn the_redirect_never_leaves_the_site() {
    let app = spawn_app().await;
    for (referer, expected) in [
        ("https://evil.example/phish", "/phish"),
        ("not a url", "/"),
        ("http://127.0.0.1/status?page=2", "/status?page=2"),
    ] {
        let res = app
            .client
            .post(format!("{}/api/preferences/theme", app.address))
            .header("accept", "text/html")
            .header("referer", referer)
            .form(&[("theme", "light")])
            .send()
            .await
            .expect("request");
        assert_eq!(res.headers()["location"], expected, "referer {referer}");
    }
}

#[tokio::test]
async fn invalid_preferences_are_refused_with_a_field_error() {
    let app = spawn_app().await;
    for (path, field, value) in [("language", "lang", "fr"), ("theme", "theme", "<script>")] {
        let res = app
            .client
            .post(format!("{}/api/preferences/{path}", app.address))
            .form(&[(field, value)])
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 422, "{path}");
        assert!(
            res.headers().get("set-cookie").is_none(),
            "{path}: nothing is remembered"
        );
        let body: serde_json::Value = res.json().await.expect("json error");
        assert_eq!(body["kind"], "validation");
        assert_eq!(body["fields"][0]["field"], field);
    }
}
