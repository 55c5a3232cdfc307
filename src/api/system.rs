//! The portal's own state, as customers may see it.

mod get_status;
mod sandbox_mode;

pub use get_status::{GetStatus, get_status};
pub use sandbox_mode::{SandboxMode, sandbox_mode};
