//! Signing up, in and out: one server function per form. Each delegates to
//! `server::accounts` and, on success, redirects (a plain form post follows the `Location`; a
//! hydrated form navigates).

mod current_viewer;
mod forgot_password;
mod link_account;
mod login;
mod logout;
mod reset_password;
mod second_factor;
mod signup;
mod verify_email;

pub use current_viewer::{CurrentViewer, current_viewer};
pub use forgot_password::{
    ForgotPassword, ResendVerification, forgot_password, resend_verification,
};
pub use link_account::{LinkAccount, link_account};
pub use login::{Login, login};
pub use logout::{Logout, logout};
pub use reset_password::{ResetPassword, reset_password};
pub use second_factor::{SecondFactor, second_factor};
pub use signup::{Signup, SignupForm, signup};
pub use verify_email::{VerifyEmail, verify_email};
