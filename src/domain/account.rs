//! The signed-in account as the UI sees it: who is signed in, their sessions, their security
//! events, and the password rules the sign-up and reset forms check in the browser and the
//! server alike.

use crate::error::FieldProblem;
use serde::{Deserialize, Serialize};

/// Shortest accepted password. Length beats composition rules (NIST SP 800-63B).
pub const PASSWORD_MIN: usize = 10;
/// Longest accepted password (argon2 would take anything; this bounds the work per request).
pub const PASSWORD_MAX: usize = 128;

/// Checks a new password: length only, plus refusing the email itself.
pub fn password_problem(password: &str, email: &str) -> Option<FieldProblem> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        Some(FieldProblem::TooShort {
            min: PASSWORD_MIN as u32,
        })
    } else if len > PASSWORD_MAX {
        Some(FieldProblem::TooLong {
            max: PASSWORD_MAX as u32,
        })
    } else if !email.is_empty() && password.trim().eq_ignore_ascii_case(email.trim()) {
        Some(FieldProblem::Invalid)
    } else {
        None
    }
}

/// The signed-in customer, as the header and account pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// Email.
    pub email: String,
    /// Plans and options in their cart (activation fees not counted), for the header.
    pub cart_units: u32,
}

/// One session in the session list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// Opaque id for revoke.
    pub id: String,
    /// Browser and system, summarised from the User-Agent.
    pub device: String,
    /// Address it was last seen from.
    pub ip: String,
    /// Sign-in time (Unix ms).
    pub created_at_ms: i64,
    /// Last activity (Unix ms).
    pub last_seen_at_ms: i64,
    /// This browser.
    pub current: bool,
}

/// Security events shown in the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// Account created.
    SignedUp,
    /// Successful sign-in.
    Login,
    /// Wrong password or code.
    LoginFailed,
    /// Signed out.
    Logout,
    /// Signed out of every device.
    LogoutEverywhere,
    /// Password changed from the account page.
    PasswordChanged,
    /// Password reset by emailed link.
    PasswordReset,
    /// 2FA switched on.
    TotpEnabled,
    /// 2FA switched off.
    TotpDisabled,
    /// A recovery code was used to sign in.
    RecoveryCodeUsed,
    /// A session was revoked from the session list.
    SessionRevoked,
    /// A refresh token was replayed; its session was revoked.
    RefreshReplay,
    /// Email address verified.
    EmailVerified,
    /// Email address changed.
    EmailChanged,
    /// Profile details changed.
    ProfileUpdated,
    /// A service's cancellation was requested.
    CancellationRequested,
    /// A change to a SIM line (plan, options, network, eSIM, cancellation, suspension).
    SimLineChanged,
}

impl AuditKind {
    /// Every kind, for parsing.
    pub const ALL: [AuditKind; 17] = [
        AuditKind::SignedUp,
        AuditKind::Login,
        AuditKind::LoginFailed,
        AuditKind::Logout,
        AuditKind::LogoutEverywhere,
        AuditKind::PasswordChanged,
        AuditKind::PasswordReset,
        AuditKind::TotpEnabled,
        AuditKind::TotpDisabled,
        AuditKind::RecoveryCodeUsed,
        AuditKind::SessionRevoked,
        AuditKind::RefreshReplay,
        AuditKind::EmailVerified,
        AuditKind::EmailChanged,
        AuditKind::ProfileUpdated,
        AuditKind::CancellationRequested,
        AuditKind::SimLineChanged,
    ];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::SignedUp => "signed_up",
            AuditKind::Login => "login",
            AuditKind::LoginFailed => "login_failed",
            AuditKind::Logout => "logout",
            AuditKind::LogoutEverywhere => "logout_everywhere",
            AuditKind::PasswordChanged => "password_changed",
            AuditKind::PasswordReset => "password_reset",
            AuditKind::TotpEnabled => "totp_enabled",
            AuditKind::TotpDisabled => "totp_disabled",
            AuditKind::RecoveryCodeUsed => "recovery_code_used",
            AuditKind::SessionRevoked => "session_revoked",
            AuditKind::RefreshReplay => "refresh_replay",
            AuditKind::EmailVerified => "email_verified",
            AuditKind::EmailChanged => "email_changed",
            AuditKind::ProfileUpdated => "profile_updated",
            AuditKind::CancellationRequested => "cancellation_requested",
            AuditKind::SimLineChanged => "sim_line_changed",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<AuditKind> {
        AuditKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the event is a warning sign the customer should look at.
    pub fn is_alert(self) -> bool {
        matches!(
            self,
            AuditKind::LoginFailed | AuditKind::RefreshReplay | AuditKind::TotpDisabled
        )
    }
}

/// One audit log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// What happened.
    pub kind: AuditKind,
    /// From where.
    pub ip: String,
    /// Browser and system.
    pub device: String,
    /// When (Unix ms).
    pub at_ms: i64,
}

/// The security page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityOverview {
    /// 2FA on.
    pub totp_enabled: bool,
    /// Unused recovery codes left.
    pub recovery_codes_left: i64,
    /// Live sessions, current first.
    pub sessions: Vec<SessionInfo>,
    /// Latest events.
    pub audit: Vec<AuditEntry>,
}

/// A 2FA enrolment in progress: the QR code and the secret for manual entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrolment {
    /// SVG of the `otpauth://` URL.
    pub qr_svg: String,
    /// Base32 secret, grouped for typing.
    pub secret: String,
}

/// Summarises a User-Agent as "Browser on System" without any library: good enough for a
/// session list, and never more than 60 characters.
pub fn device_label(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("OPR/") {
        "Opera"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("CriOS/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else if ua.is_empty() {
        "Unknown browser"
    } else {
        "Other browser"
    };
    let system = if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Android") {
        "Android"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    if system.is_empty() {
        browser.to_owned()
    } else {
        format!("{browser} · {system}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        assert_eq!(
            password_problem("short", ""),
            Some(FieldProblem::TooShort { min: 10 })
        );
        assert_eq!(password_problem("long enough pass", ""), None);
        assert_eq!(
            password_problem("abc@example.jp", "ABC@example.jp"),
            Some(FieldProblem::Invalid)
        );
        assert_eq!(
            password_problem(&"x".repeat(129), ""),
            Some(FieldProblem::TooLong { max: 128 })
        );
    }

    #[test]
    fn audit_kinds_round_trip() {
        for kind in AuditKind::ALL {
            assert_eq!(AuditKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(AuditKind::parse("nope"), None);
    }

    #[test]
    fn devices_are_summarised() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
        assert_eq!(device_label(chrome), "Chrome · Linux");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(device_label(iphone), "Safari · iOS");
        assert_eq!(device_label(""), "Unknown browser");
    }
}
