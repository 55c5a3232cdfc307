//! `signup`: a new customer's details and password.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The sign-up form, field by field as the HTML form names them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SignupForm {
    /// 姓.
    pub family_name: String,
    /// 名.
    pub given_name: String,
    /// セイ.
    #[serde(default)]
    pub family_kana: String,
    /// メイ.
    #[serde(default)]
    pub given_kana: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Postal code.
    pub postal_code: String,
    /// Prefecture.
    pub prefecture: String,
    /// City.
    pub city: String,
    /// Street.
    pub street: String,
    /// Building.
    #[serde(default)]
    pub building: String,
    /// Password (absent on the profile form).
    #[serde(default)]
    pub password: String,
}

impl SignupForm {
    /// The profile part.
    pub fn profile(&self) -> crate::domain::customer::Profile {
        use crate::domain::customer::{Address, PersonName, Profile};
        Profile {
            name: PersonName {
                family: self.family_name.clone(),
                given: self.given_name.clone(),
                family_kana: Some(self.family_kana.clone()),
                given_kana: Some(self.given_kana.clone()),
            },
            email: self.email.clone(),
            phone: self.phone.clone(),
            address: Address {
                postal_code: self.postal_code.clone(),
                prefecture: self.prefecture.clone(),
                city: self.city.clone(),
                street: self.street.clone(),
                building: self.building.clone(),
                country: "JP".into(),
            },
        }
    }
}

/// Creates an account and mails the verification link.
#[server(prefix = "/api", endpoint = "auth/signup")]
pub async fn signup(#[server(flatten)] form: SignupForm) -> Result<(), AppError> {
    let state = crate::server::context::state()?;
    let lang = crate::server::preferences::request_lang();
    crate::server::accounts::signup::sign_up(&state, form.profile(), &form.password, lang).await?;
    leptos_axum::redirect("/signup/done");
    Ok(())
}
