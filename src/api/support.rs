//! Support cases' server functions: the customer's cases, one case, and the text-only changes
//! (reply, close, reopen). They redirect to the case page, so each works as a plain form post
//! without JavaScript. Forms that carry a file post to the multipart endpoints of
//! `server::support::upload` instead.

mod cases;
mod changes;

pub use cases::{FileRules, GetCase, ListCases, file_rules, get_case, list_cases};
pub use changes::{CloseCase, ReopenCase, ReplyToCase, close_case, reopen_case, reply_to_case};
