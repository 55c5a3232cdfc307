//! Freebit's wire shapes (reference §2.2; the response bodies are our design [D], the request
//! field names Freebit's). Every scalar is read with [`Text`], which takes a string, a number
//! or a boolean: the spec tables say "Numeric" where third-party code sees strings, so both
//! are accepted. Unknown fields are ignored; missing ones are `None` and the mappers decide.

use serde::{Deserialize, Deserializer};

/// A scalar read as text whatever its JSON type (`"100"`, `100`, `true`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub String);

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde_json::Value;
        Ok(Text(match Value::deserialize(deserializer)? {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => String::new(),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "expected a scalar, got {other}"
                )));
            }
        }))
    }
}

/// The text of an optional scalar, `None` when missing or empty.
pub fn text(field: &Option<Text>) -> Option<&str> {
    field.as_ref().map(|t| t.0.trim()).filter(|t| !t.is_empty())
}

/// `status` of every answer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Status {
    /// Result message (vendor text).
    pub message: Option<Text>,
    /// Detail result code.
    #[serde(rename = "statusCode")]
    pub status_code: Option<Text>,
}

/// The envelope every answer starts with.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Envelope {
    /// `"100"` on success.
    #[serde(rename = "resultCode")]
    pub result_code: Option<Text>,
    /// Detail.
    pub status: Option<Status>,
}

/// `authOem/`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AuthResponse {
    /// The key.
    pub auth_key: Option<Text>,
    /// `YYYYMMDDhhmmss` (JST), the simulator's extension.
    pub expire_at: Option<Text>,
}

/// Account detail: `responseDatas`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DetailResponse {
    /// One item per requested account (one is requested).
    pub response_datas: Vec<SimDetail>,
}

/// One line in an account detail answer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SimDetail {
    pub account: Option<Text>,
    pub iccid: Option<Text>,
    pub product_number: Option<Text>,
    pub eid: Option<Text>,
    pub sim_form: Option<Text>,
    pub sim_kind: Option<Text>,
    pub contract_line: Option<Text>,
    pub plan_code: Option<Text>,
    pub state: Option<Text>,
    pub state_reason: Option<Text>,
    pub start_date: Option<Text>,
    pub speed_mode: Option<Text>,
    pub throttle_kbps: Option<Text>,
    pub quota: Option<Quota>,
    pub talk_option: Option<TalkOption>,
    pub reserved_plan_change: Option<ReservedPlanChange>,
    pub reserved_cancel: Option<ReservedCancel>,
    pub pending_orders: Vec<PendingOrder>,
}

/// `quota`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Quota {
    pub total_remaining_mb: Option<Text>,
    pub buckets: Vec<Bucket>,
}

/// One quota bucket.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Bucket {
    #[serde(rename = "type")]
    pub kind: Option<Text>,
    pub quota_code: Option<Text>,
    pub quota_mb: Option<Text>,
    pub remaining_mb: Option<Text>,
    pub expire: Option<Text>,
}

/// `talkOption`: each `"10"`/`"20"`; in a change request, only the options to change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TalkOption {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_mail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_waiting: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_transfer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intl_call: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intl_roaming: Option<String>,
}

/// `reservedPlanChange`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ReservedPlanChange {
    pub plan_code: Option<Text>,
    pub run_time: Option<Text>,
}

/// `reservedCancel`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ReservedCancel {
    pub run_date: Option<Text>,
}

/// One of `pendingOrders`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PendingOrder {
    pub order_id: Option<Text>,
    #[serde(rename = "type")]
    pub kind: Option<Text>,
    pub target: Option<Text>,
    pub scheduled_at: Option<Text>,
}

/// `mvno/getTrafficInfo/`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrafficResponse {
    pub account: Option<Text>,
    pub plan_code: Option<Text>,
    pub as_of: Option<Text>,
    pub traffic_info: Option<TrafficInfo>,
}

/// `trafficInfo`, all KB.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrafficInfo {
    pub today_kb: Option<Text>,
    pub this_month_kb: Option<Text>,
    pub last_month_kb: Option<Text>,
    pub throttled: Option<Text>,
    pub daily: Vec<TrafficDay>,
}

/// One day of `trafficInfo.daily`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrafficDay {
    pub date: Option<Text>,
    pub high_speed_kb: Option<Text>,
    pub low_speed_kb: Option<Text>,
    #[serde(rename = "final")]
    pub is_final: Option<Text>,
}

/// Quota history.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct QuotaHistoryResponse {
    pub quota_history: Vec<QuotaHistoryItem>,
}

/// One quota history entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct QuotaHistoryItem {
    pub quota_code: Option<Text>,
    #[serde(rename = "type")]
    pub kind: Option<Text>,
    pub quota_mb: Option<Text>,
    pub added_at: Option<Text>,
    pub expire: Option<Text>,
    pub remaining_mb: Option<Text>,
}

/// Quota addition.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AddQuotaResponse {
    pub quota_code: Option<Text>,
    pub added_mb: Option<Text>,
    pub expire: Option<Text>,
    pub remaining_mb: Option<Text>,
}

/// Plan change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PlanChangeResponse {
    pub plan_code: Option<Text>,
    pub run_time: Option<Text>,
}

/// Cancellation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CancelResponse {
    pub run_date: Option<Text>,
}

/// An accepted asynchronous order.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OrderResponse {
    pub order_id: Option<Text>,
    pub scheduled_at: Option<Text>,
}

/// Speed mode change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SpeedResponse {
    pub speed_mode: Option<Text>,
}

/// eSIM profile.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ProfileResponse {
    pub profile_state: Option<Text>,
    pub activation_code: Option<Text>,
    pub confirmation_code_required: Option<Text>,
    pub expires_at: Option<Text>,
}

/// MNP-out reservation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MnpResponse {
    pub reserve_number: Option<Text>,
    pub reserve_expire_date: Option<Text>,
}
