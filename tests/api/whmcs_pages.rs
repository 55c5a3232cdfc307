//! The WHMCS simulator's client-area pages as a browser sees them: redeem a single sign-on
//! link (keeping the session cookie), then open and post its pages. Also where the simulator
//! lives, and the page policy that lets the portal's forms lead there.

use crate::browser::Answer;
use crate::helpers::TestApp;

/// A browser session on the simulator's client area.
pub struct WhmcsPages {
    client: reqwest::Client,
    base: String,
    cookie: String,
}

/// The simulator's base URL (the WHMCS API URL without `/includes/api.php`).
pub fn whmcs_base(app: &TestApp) -> String {
    let api = app.state.providers.whmcs.api_url();
    api.split("/includes").next().unwrap_or(api).to_owned()
}

/// The Content-Security-Policy of the portal page at `path`, as `cookie` sees it.
pub async fn page_policy(app: &TestApp, cookie: &str, path: &str) -> String {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .header("cookie", cookie)
        .send()
        .await
        .expect("page");
    response.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

impl WhmcsPages {
    /// Follows `sso` (a `…/oauth/singlesignon.php?access_token=…` link); returns the session
    /// and the path it landed on.
    pub async fn redeem(sso: &str) -> (WhmcsPages, String) {
        assert!(sso.contains("/oauth/singlesignon.php?"), "{sso}");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let landing = client.get(sso).send().await.expect("sso");
        assert_eq!(landing.status().as_u16(), 302);
        let cookie = landing
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("session cookie")
            .to_owned();
        let target = Answer::read(landing).await.location.expect("location");
        let base = sso
            .split("/oauth/")
            .next()
            .expect("simulator base")
            .to_owned();
        let path = target.strip_prefix(&base).unwrap_or(&target).to_owned();
        (
            WhmcsPages {
                client,
                base,
                cookie,
            },
            path,
        )
    }

    /// Opens `path`.
    pub async fn get(&self, path: &str) -> Answer {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("page");
        Answer::read(response).await
    }

    /// Posts `form` to `path`.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .form(form)
            .send()
            .await
            .expect("post");
        Answer::read(response).await
    }
}
