//! Money in the reader's language (`12,345円` / `¥12,345`); rules in `domain::common::money`.

use super::current_lang;
use crate::domain::common::Money;
use leptos::prelude::*;

/// An amount, with tabular digits so columns of prices line up.
#[component]
pub fn MoneyText(amount: Money) -> impl IntoView {
    view! {
        <span class="tabular-nums" data-currency=amount.currency().code()>
            {move || amount.format(current_lang())}
        </span>
    }
}
