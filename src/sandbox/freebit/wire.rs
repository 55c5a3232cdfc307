//! The simulator's side of the protocol (reference §2.1, §2.3): reading the `json` form field
//! (form-urlencoded, or a `json` part of a multipart form), and answering with the envelope —
//! `resultCode` `"100"` and `status{message,statusCode}` plus the payload, or an error code.
//! Business errors are HTTP 200; maintenance is HTTP 503 with its envelope.

use axum::body::to_bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// Largest request body read.
const MAX_BODY: usize = 64 * 1024;

/// An error code: `resultCode`, `status.statusCode`, `status.message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code(pub &'static str, pub &'static str, pub &'static str);

/// 400-301.
pub const MISSING: Code = Code("400", "301", "必須パラメータがありません");
/// 400-302.
pub const BAD_FORMAT: Code = Code("400", "302", "パラメータの形式が不正です");
/// 400-303.
pub const OUT_OF_RANGE: Code = Code("400", "303", "パラメータが範囲外です");
/// 400-304.
pub const NOT_CONFIRMED: Code = Code("400", "304", "利用者確認または変更内容がありません");
/// 400-356.
pub const UNSUPPORTED: Code = Code("400", "356", "未対応のパターンです");
/// 401-201.
pub const AUTH_MISSING: Code = Code("401", "201", "authKeyが不正です");
/// 401-202.
pub const AUTH_EXPIRED: Code = Code("401", "202", "authKeyの有効期限が切れています");
/// 401-203.
pub const OEM_REFUSED: Code = Code("401", "203", "OEM認証に失敗しました");
/// 404-210.
pub const NOT_FOUND: Code = Code("404", "210", "アカウントが存在しません");
/// 409-330.
pub const NOT_ACTIVE: Code = Code("409", "330", "アカウントが利用中ではありません");
/// 409-331.
pub const LOCKED: Code = Code("409", "331", "処理中の依頼があるため受け付けできません");
/// 409-332.
pub const PLAN_RESERVED: Code = Code("409", "332", "プラン変更は予約済みです");
/// 409-333.
pub const CANCEL_SCHEDULED: Code = Code("409", "333", "解約は予約済みです");
/// 409-334.
pub const NO_CHANGE: Code = Code("409", "334", "変更内容が現在と同じです");
/// 409-335.
pub const DUPLICATE: Code = Code("409", "335", "quotaCodeは登録済みです");
/// 409-336.
pub const NO_PLAN: Code = Code("409", "336", "プランが設定されていません");
/// 409-337.
pub const SHARE_GROUP: Code = Code("409", "337", "シェアグループ内のSIMには実行できません");
/// 429-900.
pub const RATE_LIMITED: Code = Code("429", "900", "リクエスト数が上限を超えました");
/// 500-999.
pub const INTERNAL: Code = Code("500", "999", "内部エラーが発生しました");
/// 503-998.
pub const MAINTENANCE: Code = Code("503", "998", "メンテナンス中です");

/// An answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// HTTP status (200 except maintenance).
    pub http: StatusCode,
    /// The JSON body.
    pub body: Value,
}

fn envelope(result: &str, status: &str, message: &str) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("resultCode".into(), result.into());
    body.insert(
        "status".into(),
        json!({ "message": message, "statusCode": status }),
    );
    body
}

fn merged(mut body: Map<String, Value>, payload: Value) -> Value {
    if let Value::Object(fields) = payload {
        body.extend(fields);
    }
    Value::Object(body)
}

impl Reply {
    /// Success with `payload`'s fields.
    pub fn ok(payload: Value) -> Reply {
        Reply {
            http: StatusCode::OK,
            body: merged(envelope("100", "200", "OK"), payload),
        }
    }

    /// An error.
    pub fn error(code: Code) -> Reply {
        Reply::error_with(code, Value::Null)
    }

    /// An error carrying a payload (409-335 with the original answer).
    pub fn error_with(code: Code, payload: Value) -> Reply {
        let http = if code == MAINTENANCE {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::OK
        };
        Reply {
            http,
            body: merged(envelope(code.0, code.1, code.2), payload),
        }
    }

    /// `resultCode-statusCode`, for the request log.
    pub fn code(&self) -> String {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_owned();
        format!(
            "{}-{}",
            text(self.body.get("resultCode")),
            text(self.body.pointer("/status/statusCode"))
        )
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        (
            self.http,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            self.body.to_string(),
        )
            .into_response()
    }
}

/// The request's JSON object, from the `json` field of a form-urlencoded or multipart body.
/// Any other content type, a missing field or text that is not a JSON object is 400-301.
pub async fn read_json(req: Request) -> Result<Map<String, Value>, Reply> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let text = if content_type.starts_with("application/x-www-form-urlencoded") {
        let bytes = to_bytes(req.into_body(), MAX_BODY)
            .await
            .map_err(|_| Reply::error(MISSING))?;
        url::form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "json")
            .map(|(_, v)| v.into_owned())
    } else if content_type.starts_with("multipart/form-data") {
        let mut form = Multipart::from_request(req, &())
            .await
            .map_err(|_| Reply::error(MISSING))?;
        let mut found = None;
        while let Ok(Some(field)) = form.next_field().await {
            if field.name() == Some("json") {
                found = field.text().await.ok();
                break;
            }
        }
        found
    } else {
        None
    };
    match text.map(|t| serde_json::from_str::<Value>(&t)) {
        Some(Ok(Value::Object(map))) => Ok(map),
        _ => Err(Reply::error(MISSING)),
    }
}

/// A request field as text (strings, or numbers sent as numbers); `None` when absent/empty.
pub fn field<'a>(body: &'a Map<String, Value>, key: &str) -> Option<std::borrow::Cow<'a, str>> {
    match body.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(std::borrow::Cow::Borrowed(s.trim())),
        Value::Number(n) => Some(std::borrow::Cow::Owned(n.to_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes() {
        let ok = Reply::ok(json!({ "account": "09012345678" }));
        assert_eq!(ok.body["resultCode"], "100");
        assert_eq!(ok.body["status"]["statusCode"], "200");
        assert_eq!(ok.body["account"], "09012345678");
        let down = Reply::error(MAINTENANCE);
        assert_eq!(down.http, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(down.code(), "503-998");
        assert_eq!(Reply::error(LOCKED).http, StatusCode::OK);
    }
}
