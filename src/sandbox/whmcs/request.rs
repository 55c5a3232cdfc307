//! One `api.php` request as PHP would see it: query and form body merged into `$_REQUEST`
//! (the body wins, later duplicates win), keys kept verbatim (bracket keys such as
//! `pid[0]` included), values read with PHP's truthiness.

use std::collections::HashMap;

/// The request's parameters.
#[derive(Debug, Default)]
pub struct ApiRequest {
    params: HashMap<String, String>,
}

impl ApiRequest {
    /// Merges a query string and a form body. A JSON body yields nonsense keys and so no
    /// credentials: PHP does not parse JSON into `$_POST` either.
    pub fn parse(query: Option<&str>, body: &[u8]) -> Self {
        let mut params = HashMap::new();
        let sources = [query.unwrap_or_default().as_bytes(), body];
        for source in sources {
            for (key, value) in url::form_urlencoded::parse(source) {
                params.insert(key.into_owned(), value.into_owned());
            }
        }
        ApiRequest { params }
    }

    /// A parameter, trimmed; `None` when absent or blank.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A parameter as given (untrimmed), for passwords.
    pub fn raw(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }

    /// True when the key was sent at all (even empty).
    pub fn has(&self, key: &str) -> bool {
        self.params.contains_key(key)
    }

    /// PHP truthiness: absent, `""` and `"0"` are false; anything else (even `"false"`) true.
    pub fn flag(&self, key: &str) -> bool {
        self.params
            .get(key)
            .is_some_and(|v| !v.is_empty() && v != "0")
    }

    /// A non-negative integer parameter (PHP `(int)`: leading digits, else 0), or `default`
    /// when absent.
    pub fn int(&self, key: &str, default: u32) -> u32 {
        match self.get(key) {
            None => default,
            Some(v) => {
                let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().unwrap_or(0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_wins_over_query_and_php_truthiness() {
        let req = ApiRequest::parse(
            Some("action=GetClients&limitnum=5"),
            b"action=AddClient&noemail=false&skip=0&empty=&pid%5B0%5D=1&limitnum=7abc",
        );
        assert_eq!(req.get("action"), Some("AddClient"));
        assert!(req.flag("noemail"), "the string false is true in PHP");
        assert!(!req.flag("skip"));
        assert!(!req.flag("empty"));
        assert!(req.has("empty"));
        assert_eq!(req.get("empty"), None);
        assert_eq!(req.get("pid[0]"), Some("1"));
        assert_eq!(req.int("limitnum", 25), 7);
        assert_eq!(req.int("limitstart", 0), 0);
    }

    #[test]
    fn a_json_body_has_no_parameters() {
        let req = ApiRequest::parse(None, br#"{"action":"GetClients","identifier":"x"}"#);
        assert_eq!(req.get("action"), None);
        assert_eq!(req.get("identifier"), None);
    }
}
