//! The account pages' server functions: profile and security. Every one starts from
//! `require_customer`, so it only ever touches the signed-in customer's own records.

mod profile;
mod security;
mod totp;

pub use profile::{GetProfile, SaveProfile, get_profile, save_profile};
pub use security::{
    ChangePassword, GetSecurity, RevokeSession, change_password, get_security, revoke_session,
};
pub use totp::{BeginTotp, DisableTotp, EnableTotp, begin_totp, disable_totp, enable_totp};
