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
    // leptos_axum sends a plain form post back to the referring page (it may append `?`).
    let location = res.headers()["location"].to_str().expect("location");
    assert!(
        location.starts_with(&format!("{}/status", app.address)),
        "{location}"
    );
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
