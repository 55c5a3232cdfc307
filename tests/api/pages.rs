//! Server-rendered pages: what a browser without JavaScript receives.

use crate::helpers::spawn_app;

async fn page(
    app: &crate::helpers::TestApp,
    path: &str,
    lang_cookie: Option<&str>,
) -> (u16, String) {
    let mut req = app.client.get(format!("{}{path}", app.address));
    if let Some(lang) = lang_cookie {
        req = req.header("cookie", format!("i18n_pref_locale={lang}"));
    }
    let res = req.send().await.expect("request");
    (res.status().as_u16(), res.text().await.expect("body"))
}

#[tokio::test]
async fn the_start_page_renders_the_shell_in_english_by_default() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/", None).await;
    assert_eq!(status, 200);
    assert!(html.contains("Customer Portal"), "brand");
    assert!(html.contains("Skip to main content"));
    assert!(html.contains(r#"lang="en""#));
    assert!(
        html.contains(r#"data-theme="system""#),
        "theme follows the system by default"
    );
    assert!(
        html.contains("Sandbox"),
        "embedded mode shows the sandbox badge"
    );
}

#[tokio::test]
async fn language_follows_cookie_then_accept_language() {
    let app = spawn_app().await;
    let (_, html) = page(&app, "/", Some("ja")).await;
    assert!(html.contains("お客様ポータル") && html.contains(r#"lang="ja""#));
    assert!(
        html.contains("<title>ようこそ · お客様ポータル</title>"),
        "the tab title is translated too"
    );

    let res = app
        .client
        .get(format!("{}/", app.address))
        .header("accept-language", "ja-JP,ja;q=0.9,en;q=0.5")
        .send()
        .await
        .expect("request");
    let html = res.text().await.expect("body");
    assert!(
        html.contains("お客様ポータル"),
        "Accept-Language picks Japanese"
    );
}

#[tokio::test]
async fn theme_cookie_is_rendered_on_the_server() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(format!("{}/status", app.address))
        .header("cookie", "theme=dark")
        .send()
        .await
        .expect("request");
    let html = res.text().await.expect("body");
    assert!(
        html.contains(r#"data-theme="dark""#),
        "no flash: the first paint is already dark"
    );
}

#[tokio::test]
async fn the_status_page_lists_components() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/status", None).await;
    assert_eq!(status, 200);
    assert!(html.contains("All systems operational"), "{html}");
    assert!(html.contains("Portal database") && html.contains("sqlite"));
    assert!(html.contains("Provider simulators"));
}

#[tokio::test]
async fn unknown_pages_answer_404_with_the_error_page() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/no/such/page", None).await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
    let (status, html) = page(&app, "/no/such/page", Some("ja")).await;
    assert_eq!(status, 404);
    assert!(html.contains("ページが見つかりません"));
}
