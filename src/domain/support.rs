//! Support cases, pure: what a customer submits (a new case, a reply, an attachment — each
//! checked here before anything reaches the CRM) and what the CRM holds (a case with its public
//! conversation and files). Provider field names never appear here.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// Longest subject (Case.Subject holds 255; a subject longer than a line helps nobody).
pub const SUBJECT_MAX_CHARS: usize = 120;
/// Longest description or reply (CaseComment.CommentBody holds 4000).
pub const BODY_MAX_CHARS: usize = 4000;

/// What a case is about (the CRM's case type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseCategory {
    /// Invoices, payments.
    Billing,
    /// Something does not work.
    Technical,
    /// A service: change, move, question.
    Service,
    /// An order.
    Order,
    /// Anything else.
    Other,
}

impl CaseCategory {
    /// Every category, in form order.
    pub const ALL: [CaseCategory; 5] = [
        CaseCategory::Technical,
        CaseCategory::Service,
        CaseCategory::Billing,
        CaseCategory::Order,
        CaseCategory::Other,
    ];

    /// The form and URL key.
    pub fn key(self) -> &'static str {
        match self {
            CaseCategory::Billing => "billing",
            CaseCategory::Technical => "technical",
            CaseCategory::Service => "service",
            CaseCategory::Order => "order",
            CaseCategory::Other => "other",
        }
    }

    /// From a form key.
    pub fn from_key(key: &str) -> Option<CaseCategory> {
        Self::ALL.into_iter().find(|c| c.key() == key.trim())
    }
}

/// Where a case stands (the CRM's default case statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseStatus {
    /// Received, nobody on it yet.
    New,
    /// An agent is on it.
    Working,
    /// Handed to a specialist team.
    Escalated,
    /// Done.
    Closed,
}

impl CaseStatus {
    /// From the CRM's `Status` (an unknown open status reads as `Working`).
    pub fn parse(text: &str, is_closed: bool) -> CaseStatus {
        match text.trim().to_ascii_lowercase().as_str() {
            _ if is_closed => CaseStatus::Closed,
            "new" => CaseStatus::New,
            "escalated" => CaseStatus::Escalated,
            "closed" => CaseStatus::Closed,
            _ => CaseStatus::Working,
        }
    }

    /// A stable key (tests, `data-` attributes).
    pub fn key(self) -> &'static str {
        match self {
            CaseStatus::New => "new",
            CaseStatus::Working => "working",
            CaseStatus::Escalated => "escalated",
            CaseStatus::Closed => "closed",
        }
    }

    /// Whether the case is still open.
    pub fn is_open(self) -> bool {
        self != CaseStatus::Closed
    }
}

/// What a case is linked to: the service, SIM line or order it was opened from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseContext {
    /// The billing system's service id.
    pub service_id: Option<u32>,
    /// The service's name, as the customer saw it.
    pub service_name: Option<String>,
    /// The line's phone number, masked ([`mask_phone`]).
    pub phone_masked: Option<String>,
    /// The CRM order id.
    pub order_id: Option<String>,
    /// The order number the customer knows.
    pub order_number: Option<String>,
}

impl CaseContext {
    /// Whether the case is linked to anything.
    pub fn is_empty(&self) -> bool {
        self.service_id.is_none() && self.order_id.is_none()
    }
}

/// A phone number with all but its first three and last four digits hidden
/// (`090-1234-5678` → `090-****-5678`); separators are kept. Numbers with fewer than eight
/// digits are hidden whole.
pub fn mask_phone(phone: &str) -> String {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    phone
        .trim()
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if digits >= 8 && (seen <= 3 || seen > digits - 4) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Author {
    /// The customer (through the portal).
    Customer,
    /// Our support team.
    Agent,
}

/// One public message of a case's conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMessage {
    /// CRM id.
    pub id: String,
    /// Who wrote it.
    pub author: Author,
    /// The agent's display name (agents only).
    pub agent_name: Option<String>,
    /// The text.
    pub body: String,
    /// When.
    pub at: OffsetDateTime,
}

/// A file attached to a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFile {
    /// CRM document id.
    pub id: String,
    /// File name.
    pub title: String,
    /// Extension (`png`, `pdf`…).
    pub extension: String,
    /// Size in bytes.
    pub size: u64,
}

/// A case as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    /// CRM id.
    pub id: String,
    /// The number the customer quotes.
    pub number: String,
    /// Subject.
    pub subject: String,
    /// Status.
    pub status: CaseStatus,
    /// Category, when the CRM's type is one the portal knows.
    pub category: Option<CaseCategory>,
    /// Opened.
    pub created: OffsetDateTime,
    /// Last change (the case or its newest public message).
    pub updated: OffsetDateTime,
    /// Closed, when closed.
    pub closed: Option<OffsetDateTime>,
    /// What it is linked to.
    pub context: CaseContext,
    /// Whether the newest public message is an agent's (the customer has an answer to read).
    pub answered: bool,
}

/// A case with its conversation and files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    /// The case.
    pub summary: CaseSummary,
    /// What the customer wrote when opening it.
    pub description: String,
    /// Public messages, oldest first.
    pub messages: Vec<CaseMessage>,
    /// Attached files.
    pub files: Vec<CaseFile>,
    /// Whether it can still be reopened (closed, within the window).
    pub reopenable: bool,
}

impl CaseSummary {
    /// Whether a closed case closed at most `window` before `now` (reopen window).
    pub fn reopenable(&self, now: OffsetDateTime, window: Duration) -> bool {
        match (self.status, self.closed) {
            (CaseStatus::Closed, Some(closed)) => now - closed <= window,
            _ => false,
        }
    }
}

/// The newest of the case's own change and its messages.
pub fn last_update(
    case_modified: OffsetDateTime,
    messages: &[CaseMessage],
) -> (OffsetDateTime, bool) {
    let newest = messages.iter().max_by_key(|m| m.at);
    match newest {
        Some(m) if m.at >= case_modified => (m.at, m.author == Author::Agent),
        Some(m) => (case_modified, m.author == Author::Agent),
        None => (case_modified, false),
    }
}

fn text_field(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<String, crate::error::FieldError> {
    use crate::error::{FieldError, FieldProblem};
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError {
            field: field.into(),
            problem: FieldProblem::Required,
        });
    }
    if value.chars().count() > max {
        return Err(FieldError {
            field: field.into(),
            problem: FieldProblem::TooLong { max: max as u32 },
        });
    }
    // Control characters other than line breaks and tabs have no place in a message.
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FieldError {
            field: field.into(),
            problem: FieldProblem::Invalid,
        });
    }
    Ok(value.to_owned())
}

/// A new case as submitted, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// Category.
    pub category: CaseCategory,
    /// Subject.
    pub subject: String,
    /// Description.
    pub description: String,
}

impl NewCase {
    /// Checks the form's fields; every refused field is reported.
    pub fn parse(
        category: &str,
        subject: &str,
        description: &str,
    ) -> Result<NewCase, Vec<crate::error::FieldError>> {
        use crate::error::{FieldError, FieldProblem};
        let category = CaseCategory::from_key(category).ok_or(FieldError {
            field: "category".into(),
            problem: if category.trim().is_empty() {
                FieldProblem::Required
            } else {
                FieldProblem::Invalid
            },
        });
        let subject = text_field("subject", subject, SUBJECT_MAX_CHARS);
        let description = text_field("description", description, BODY_MAX_CHARS);
        match (category, subject, description) {
            (Ok(category), Ok(subject), Ok(description)) => Ok(NewCase {
                category,
                subject,
                description,
            }),
            (c, s, d) => Err([c.err(), s.err(), d.err()].into_iter().flatten().collect()),
        }
    }
}

/// A reply, checked (`body` field).
pub fn parse_reply(body: &str) -> Result<String, Vec<crate::error::FieldError>> {
    text_field("body", body, BODY_MAX_CHARS).map_err(|e| vec![e])
}

/// A file type the portal accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// PDF document.
    Pdf,
    /// Plain text (UTF-8).
    Text,
}

impl FileKind {
    /// Every kind.
    pub const ALL: [FileKind; 4] = [FileKind::Png, FileKind::Jpeg, FileKind::Pdf, FileKind::Text];

    /// The configuration key (`png`, `jpeg`, `pdf`, `txt`).
    pub fn key(self) -> &'static str {
        match self {
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Pdf => "pdf",
            FileKind::Text => "txt",
        }
    }

    /// From a configuration key.
    pub fn from_key(key: &str) -> Option<FileKind> {
        let key = key.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|k| k.key() == key || (key == "jpg" && *k == FileKind::Jpeg))
    }

    /// The file-name extensions of this kind.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Pdf => &["pdf"],
            FileKind::Text => &["txt"],
        }
    }

    /// Its MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Pdf => "application/pdf",
            FileKind::Text => "text/plain",
        }
    }

    /// Whether the content looks like this kind (magic bytes; text: UTF-8 without NUL).
    fn matches(self, bytes: &[u8]) -> bool {
        match self {
            FileKind::Png => bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
            FileKind::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            FileKind::Pdf => bytes.starts_with(b"%PDF-"),
            FileKind::Text => std::str::from_utf8(bytes).is_ok_and(|s| !s.contains('\0')),
        }
    }
}

/// Why a file is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileProblem {
    /// No content.
    Empty,
    /// Larger than the limit.
    TooLarge,
    /// Not an accepted type (by its name or its content).
    WrongType,
    /// No usable file name.
    BadName,
}

impl FileProblem {
    /// A stable key (redirect flags, messages).
    pub fn key(self) -> &'static str {
        match self {
            FileProblem::Empty => "file_empty",
            FileProblem::TooLarge => "file_too_large",
            FileProblem::WrongType => "file_type",
            FileProblem::BadName => "file_name",
        }
    }

    /// From a key.
    pub fn from_key(key: &str) -> Option<FileProblem> {
        [
            FileProblem::Empty,
            FileProblem::TooLarge,
            FileProblem::WrongType,
            FileProblem::BadName,
        ]
        .into_iter()
        .find(|p| p.key() == key)
    }
}

/// What the portal accepts as an attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRules {
    /// Largest file, in bytes.
    pub max_bytes: u64,
    /// Accepted kinds.
    pub kinds: Vec<FileKind>,
}

/// A checked attachment: a clean file name and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    /// The file name to store (path parts and odd characters removed).
    pub name: String,
    /// Its kind.
    pub kind: FileKind,
}

/// The last path part of a browser-sent file name, without control characters, at most 120
/// characters (Windows browsers used to send full paths).
fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.chars().count() <= 120 {
        return cleaned;
    }
    // Keep the extension when shortening.
    let ext = cleaned
        .rsplit_once('.')
        .map(|(_, e)| e.to_owned())
        .unwrap_or_default();
    let stem: String = cleaned.chars().take(110).collect();
    format!("{stem}.{ext}")
}

impl FileRules {
    /// Checks a file by its size, its name's extension and its content: both must say the same
    /// accepted kind.
    pub fn check(&self, name: &str, bytes: &[u8]) -> Result<CheckedFile, FileProblem> {
        if bytes.is_empty() {
            return Err(FileProblem::Empty);
        }
        if bytes.len() as u64 > self.max_bytes {
            return Err(FileProblem::TooLarge);
        }
        let name = clean_name(name);
        let Some((stem, ext)) = name.rsplit_once('.') else {
            return Err(if name.is_empty() {
                FileProblem::BadName
            } else {
                FileProblem::WrongType
            });
        };
        if stem.trim().is_empty() {
            return Err(FileProblem::BadName);
        }
        let ext = ext.to_ascii_lowercase();
        let kind = self
            .kinds
            .iter()
            .copied()
            .find(|k| k.extensions().contains(&ext.as_str()))
            .ok_or(FileProblem::WrongType)?;
        if !kind.matches(bytes) {
            return Err(FileProblem::WrongType);
        }
        Ok(CheckedFile { name, kind })
    }

    /// The `accept` attribute of a file input.
    pub fn accept(&self) -> String {
        self.kinds
            .iter()
            .flat_map(|k| k.extensions().iter().map(|e| format!(".{e}")))
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldProblem;
    use proptest::prelude::*;

    fn rules() -> FileRules {
        FileRules {
            max_bytes: 1024,
            kinds: FileKind::ALL.to_vec(),
        }
    }

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    #[test]
    fn phones_are_masked_keeping_the_ends() {
        assert_eq!(mask_phone("090-1234-5678"), "090-****-5678");
        assert_eq!(mask_phone("09012345678"), "090****5678");
        assert_eq!(mask_phone("+81 90 1234 5678"), "+81 9* **** 5678");
        assert_eq!(mask_phone("1234567"), "*******");
        assert_eq!(mask_phone(""), "");
    }

    #[test]
    fn new_cases_are_checked_field_by_field() {
        let ok = NewCase::parse("technical", "  No signal ", "Since Monday.").expect("valid");
        assert_eq!(ok.category, CaseCategory::Technical);
        assert_eq!(ok.subject, "No signal");
        let errs = NewCase::parse("", " ", &"x".repeat(BODY_MAX_CHARS + 1)).expect_err("refused");
        let fields: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.problem)).collect();
        assert_eq!(
            fields,
            vec![
                ("category", FieldProblem::Required),
                ("subject", FieldProblem::Required),
                (
                    "description",
                    FieldProblem::TooLong {
                        max: BODY_MAX_CHARS as u32
                    }
                ),
            ]
        );
        assert_eq!(
            NewCase::parse("nonsense", "a", "b").expect_err("refused")[0].problem,
            FieldProblem::Invalid
        );
        assert_eq!(
            parse_reply("a\u{7}b").expect_err("bell")[0].problem,
            FieldProblem::Invalid
        );
        assert_eq!(parse_reply(" 行1\n行2 ").as_deref(), Ok("行1\n行2"));
    }

    #[test]
    fn files_need_a_matching_name_and_content() {
        let r = rules();
        assert_eq!(
            r.check("C:\\Users\\me\\shot.PNG", PNG)
                .map(|f| (f.name, f.kind)),
            Ok(("shot.PNG".into(), FileKind::Png))
        );
        assert_eq!(r.check("a.png", &[]), Err(FileProblem::Empty));
        assert_eq!(r.check("a.png", &[0; 1025]), Err(FileProblem::TooLarge));
        // A renamed executable, a text file called .png, a PNG called .pdf.
        assert_eq!(r.check("a.png", b"MZ\x90\0"), Err(FileProblem::WrongType));
        assert_eq!(r.check("a.png", b"hello"), Err(FileProblem::WrongType));
        assert_eq!(r.check("a.pdf", PNG), Err(FileProblem::WrongType));
        assert_eq!(r.check("a.exe", PNG), Err(FileProblem::WrongType));
        assert_eq!(r.check("README", b"text"), Err(FileProblem::WrongType));
        assert_eq!(r.check(".png", PNG), Err(FileProblem::BadName));
        assert_eq!(
            r.check("log.txt", "ログ".as_bytes()).map(|f| f.kind),
            Ok(FileKind::Text)
        );
        assert_eq!(r.check("log.txt", b"a\0b"), Err(FileProblem::WrongType));
        assert_eq!(
            r.check("x.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]).map(|f| f.kind),
            Ok(FileKind::Jpeg)
        );
        assert_eq!(
            r.check("x.pdf", b"%PDF-1.7\n").map(|f| f.kind),
            Ok(FileKind::Pdf)
        );
        let png_only = FileRules {
            max_bytes: 1024,
            kinds: vec![FileKind::Png],
        };
        assert_eq!(
            png_only.check("x.pdf", b"%PDF-1.7"),
            Err(FileProblem::WrongType)
        );
        assert_eq!(png_only.accept(), ".png");
        assert_eq!(rules().accept(), ".png,.jpg,.jpeg,.pdf,.txt");
    }

    #[test]
    fn statuses_and_the_reopen_window() {
        assert_eq!(CaseStatus::parse("Working", false), CaseStatus::Working);
        assert_eq!(
            CaseStatus::parse("Waiting on Customer", false),
            CaseStatus::Working
        );
        assert_eq!(CaseStatus::parse("Resolved", true), CaseStatus::Closed);
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(100);
        let mut case = CaseSummary {
            id: "500".into(),
            number: "00001001".into(),
            subject: "s".into(),
            status: CaseStatus::Closed,
            category: None,
            created: now - Duration::days(30),
            updated: now - Duration::days(14),
            closed: Some(now - Duration::days(14)),
            context: CaseContext::default(),
            answered: false,
        };
        assert!(case.reopenable(now, Duration::days(14)));
        case.closed = Some(now - Duration::days(15));
        assert!(!case.reopenable(now, Duration::days(14)));
        case.status = CaseStatus::Working;
        assert!(!case.reopenable(now, Duration::days(14)));
    }

    #[test]
    fn the_last_update_is_the_newest_message_or_the_case() {
        let t0 = OffsetDateTime::UNIX_EPOCH;
        let msg = |author, secs| CaseMessage {
            id: "c".into(),
            author,
            agent_name: None,
            body: "b".into(),
            at: t0 + Duration::seconds(secs),
        };
        assert_eq!(last_update(t0, &[]), (t0, false));
        let messages = [msg(Author::Customer, 10), msg(Author::Agent, 20)];
        assert_eq!(
            last_update(t0, &messages),
            (t0 + Duration::seconds(20), true)
        );
        assert_eq!(
            last_update(t0 + Duration::seconds(30), &messages),
            (t0 + Duration::seconds(30), true)
        );
    }

    proptest! {
        #[test]
        fn checks_never_panic(name in "\\PC{0,200}", bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(file) = rules().check(&name, &bytes) {
                prop_assert!(file.name.chars().count() <= 121);
                prop_assert!(!file.name.contains('/'));
            }
            let _ = mask_phone(&name);
        }
    }
}
