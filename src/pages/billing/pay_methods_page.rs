//! `/billing/payment-methods`: the customer's stored cards and bank accounts, the default
//! marked. Adding one, or changing or removing one, happens on the billing system's own pages
//! (single sign-on), which send the customer back here with `?updated=1` (that refreshes the
//! list).

use super::{BillingTabs, SnapshotCard};
use crate::api::Snapshot;
use crate::api::billing::{ManagePayMethods, list_pay_methods};
use crate::components::{
    EmptyState, FormError, FormNotice, PageTitle, Skeleton, StatusBadge, Table, Tone,
};
use crate::domain::billing::{PayMethod, PayMethodKind};
use crate::i18n::*;
use crate::pages::account::load_error;
use crate::pages::auth::query_param;
use leptos::prelude::*;

/// How a method is named to people: `Visa •••• 4242`, or the bank and the customer's label.
fn display_name(method: &PayMethod) -> String {
    let name = match (&method.kind, &method.last4) {
        (PayMethodKind::Card, Some(last4)) => format!("{} •••• {last4}", method.brand),
        _ => format!("{} {}", method.brand, method.description),
    };
    name.trim().to_owned()
}

/// The payment methods page.
#[component]
pub fn PayMethodsPage() -> impl IntoView {
    // Without JavaScript the add/manage forms are answered by a redirect to WHMCS.
    #[cfg(feature = "ssr")]
    crate::server::billing::allow_payment_redirect();
    let i18n = use_i18n();
    let updated = query_param("updated");
    let list = Resource::new(
        move || updated.get().is_some_and(|u| u == "1"),
        list_pay_methods,
    );
    // One action for every form on the page: each sends the browser to WHMCS.
    let manage = ServerAction::<ManagePayMethods>::new();
    let error = Signal::derive(move || manage.value().get().and_then(Result::err));
    let notice = Signal::derive(move || {
        updated
            .get()
            .filter(|u| u == "1")
            .map(|_| t_string!(i18n, billing.pay_methods_updated).to_string())
    });
    view! {
        <PageTitle text=move || t_string!(i18n, billing.pay_methods_title).to_string() />
        <div class="page-head">
            <h1 class="page-title">{t!(i18n, billing.title)}</h1>
            <ManageForm action=manage add=true />
        </div>
        <BillingTabs current="/billing/payment-methods" />
        <p class="text-muted mb-4">{t!(i18n, billing.pay_methods_lead)}</p>
        <FormNotice text=notice />
        <FormError error=error />
        <Suspense fallback=|| view! { <Skeleton lines=4 /> }>
            {move || list.get().map(|result| match result {
                Ok(snapshot) => view! { <PayMethodList snapshot=snapshot manage=manage /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
        <p class="text-muted text-sm mt-4">{t!(i18n, billing.pay_methods_sso_note)}</p>
    }
}

/// A form that sends the browser to WHMCS: the add-a-card form (`add`) or the list where a
/// method is changed or removed (`label`: the method it is shown next to).
#[component]
fn ManageForm(
    action: ServerAction<ManagePayMethods>,
    add: bool,
    #[prop(optional)] label: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let testid = if add {
        "add-pay-method"
    } else {
        "manage-pay-method"
    };
    let text = move || {
        if add {
            t_string!(i18n, billing.add_pay_method).to_string()
        } else {
            t_string!(i18n, billing.manage_pay_method).to_string()
        }
    };
    // The row's button says which method it is for to screen readers ("Manage or remove
    // Visa •••• 4242"), not just "Manage or remove" five times.
    let aria = move || {
        label
            .clone()
            .map(|name| t_string!(i18n, billing.manage_pay_method_label, name = name).to_string())
    };
    let class = if add {
        "btn btn-primary"
    } else {
        "btn btn-secondary"
    };
    view! {
        <ActionForm action=action attr:data-testid=testid>
            <input type="hidden" name="add" value=add.to_string() />
            <button
                type="submit"
                class=class
                aria-label=aria
                disabled=move || action.pending().get()
                aria-disabled=move || action.pending().get().then_some("true")
            >
                {text}
            </button>
        </ActionForm>
    }
}

#[component]
fn PayMethodList(
    snapshot: Snapshot<Vec<PayMethod>>,
    manage: ServerAction<ManagePayMethods>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value: methods,
        as_of,
        stale,
    } = snapshot;
    let body = if methods.is_empty() {
        view! {
            <EmptyState
                title=Signal::derive(move || t_string!(i18n, billing.pay_methods_empty_title).to_string())
                body=Signal::derive(move || t_string!(i18n, billing.pay_methods_empty_body).to_string())
            >
                <ManageForm action=manage add=true />
            </EmptyState>
        }
        .into_any()
    } else {
        let rows = methods
            .into_iter()
            .map(|m| view! { <PayMethodRow method=m manage=manage /> })
            .collect_view();
        view! {
            <Table caption=Signal::derive(move || t_string!(i18n, billing.pay_methods_title).to_string())>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, billing.pay_method_kind)}</th>
                        <th scope="col">{t!(i18n, billing.pay_method_brand)}</th>
                        <th scope="col">{t!(i18n, billing.pay_method_number)}</th>
                        <th scope="col">{t!(i18n, billing.pay_method_expiry)}</th>
                        <th scope="col"><span class="sr-only">{t!(i18n, billing.pay_method_default)}</span></th>
                        <th scope="col"><span class="sr-only">{t!(i18n, billing.pay_method_actions)}</span></th>
                    </tr>
                </thead>
                <tbody data-testid="pay-methods">{rows}</tbody>
            </Table>
        }
        .into_any()
    };
    view! { <SnapshotCard stale=stale as_of_ms=as_of>{body}</SnapshotCard> }
}

#[component]
fn PayMethodRow(method: PayMethod, manage: ServerAction<ManagePayMethods>) -> impl IntoView {
    let i18n = use_i18n();
    let name = display_name(&method);
    let kind = method.kind;
    let kind_label = move || match kind {
        PayMethodKind::Card => t_string!(i18n, billing.pay_method_card).to_string(),
        PayMethodKind::BankAccount => t_string!(i18n, billing.pay_method_bank).to_string(),
    };
    let kind_key = match kind {
        PayMethodKind::Card => "card",
        PayMethodKind::BankAccount => "bank_account",
    };
    let description = (!method.description.is_empty()).then(
        || view! { <span class="block text-muted text-sm">{method.description.clone()}</span> },
    );
    let default = method.is_default.then(|| {
        view! {
            <span data-testid="default-badge">
                <StatusBadge tone=Tone::Success label=Signal::derive(move || t_string!(i18n, billing.pay_method_default).to_string()) />
            </span>
        }
    });
    let number = method
        .last4
        .map_or_else(|| "—".to_owned(), |last4| format!("•••• {last4}"));
    view! {
        <tr data-testid="pay-method-row" data-id=method.id.to_string() data-kind=kind_key data-default=method.is_default.to_string()>
            <td>{kind_label}</td>
            <td>{method.brand.clone()}{description}</td>
            <td class="tabular-nums">{number}</td>
            <td class="tabular-nums">{method.expiry.clone().unwrap_or_else(|| "—".to_owned())}</td>
            <td>{default}</td>
            <td class="text-right"><ManageForm action=manage add=false label=name /></td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::display_name;
    use crate::domain::billing::{PayMethod, PayMethodKind};

    #[test]
    fn methods_are_named_without_their_full_number() {
        let card = PayMethod {
            id: 1,
            kind: PayMethodKind::Card,
            description: String::new(),
            brand: "Visa".into(),
            last4: Some("4242".into()),
            expiry: Some("08/28".into()),
            is_default: true,
        };
        assert_eq!(display_name(&card), "Visa •••• 4242");
        let bank = PayMethod {
            kind: PayMethodKind::BankAccount,
            brand: "みずほ銀行".into(),
            description: "給与口座".into(),
            last4: None,
            expiry: None,
            ..card
        };
        assert_eq!(display_name(&bank), "みずほ銀行 給与口座");
    }
}
