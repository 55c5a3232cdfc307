//! Sandbox-only server functions.

mod mailbox;

pub use mailbox::{MailView, SandboxMailbox, sandbox_mailbox};
