//! A minimal browser for server-function tests: keeps cookies from `Set-Cookie` (honouring
//! `Max-Age=0` deletions; `Secure` is ignored because tests talk plain HTTP to 127.0.0.1) and
//! posts forms the way a hydrated page calls server functions.

use std::collections::BTreeMap;

/// One visitor.
pub struct Browser {
    base: String,
    client: reqwest::Client,
    /// Current cookies.
    pub cookies: BTreeMap<String, String>,
}

/// A server function's answer.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Body text.
    pub body: String,
    /// `Location`, if any.
    pub location: Option<String>,
}

impl Answer {
    /// Reads a response (status, `Location`, body).
    pub async fn read(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Answer {
            status,
            body: response.text().await.unwrap_or_default(),
            location,
        }
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

impl Browser {
    /// A fresh visitor of `base`.
    pub fn new(base: &str) -> Self {
        Browser {
            base: base.to_owned(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .user_agent("Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36")
                .build()
                .expect("client"),
            cookies: BTreeMap::new(),
        }
    }

    /// The `Cookie` header this visitor sends.
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let Ok(text) = value.to_str() else { continue };
            let Some((pair, attrs)) = text.split_once(';').or(Some((text, ""))) else {
                continue;
            };
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            if attrs.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name.trim());
            } else {
                self.cookies
                    .insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
    }

    /// Posts a form to `path` with extra headers.
    pub async fn post_with(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(form);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = request.send().await.expect("request");
        self.keep_cookies(&response);
        Answer::read(response).await
    }

    /// Posts a form to `path`.
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        self.post_with(path, form, &[]).await
    }

    /// Gets a page.
    pub async fn get(&mut self, path: &str) -> Answer {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("request");
        self.keep_cookies(&response);
        Answer::read(response).await
    }

    /// Signs in with email and password (no 2FA); panics if it fails.
    pub async fn login(&mut self, email: &str, password: &str) {
        let answer = self
            .post(
                "/api/auth/login",
                &[("email", email), ("password", password)],
            )
            .await;
        assert!(
            answer.status < 400 && self.cookies.contains_key("portal_access"),
            "login failed: {} {}",
            answer.status,
            answer.body
        );
    }
}
