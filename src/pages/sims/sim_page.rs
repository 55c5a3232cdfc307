//! `/sims/:number`: one line — number, ICCID/EID masked, plan, state, data left per quota
//! bucket with its expiry, voice options, pending changes — and its usage chart, every figure
//! stamped with the time the SIM platform gave it. Links to the line's service and to support.

use super::{AsOf, LineStateBadge};
use crate::api::Snapshot;
use crate::api::sims::{SimDetail, get_sim};
use crate::components::{DateText, DateTimeText, PageTitle, Skeleton, Table};
use crate::domain::sim::chart::format_mb;
use crate::domain::sim::{
    NetworkType, OperationKind, PendingOperation, QuotaBucket, QuotaSource, SimForm, SimLine,
    VoiceOptions,
};
use crate::i18n::*;
use crate::pages::account::load_error;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The SIM page.
#[component]
pub fn SimPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    // Keyed on `t` too: a line action sends the browser back with a new `t`, and the page must
    // show the line's new state after it (hydrated navigation does not reload the page).
    let query = leptos_router::hooks::use_query_map();
    let sim = Resource::new(
        move || {
            let number = params.with(|p| p.get("number").unwrap_or_default());
            (number, query.with(|q| q.get("t")))
        },
        |(number, _)| get_sim(number),
    );
    view! {
        <PageTitle text=move || t_string!(i18n, sims.title).to_string() />
        <p class="mb-2"><A href="/sims">{t!(i18n, sims.back)}</A></p>
        <Suspense fallback=|| view! { <Skeleton lines=10 /> }>
            {move || sim.get().map(|result| match result {
                Ok(snapshot) => view! { <SimDetailView snapshot=snapshot /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn SimDetailView(snapshot: Snapshot<SimDetail>) -> impl IntoView {
    let i18n = use_i18n();
    let Snapshot {
        value: detail,
        as_of,
        stale,
    } = snapshot;
    let SimDetail {
        service_id,
        product,
        line,
        data_left_mb,
        usage,
    } = detail;
    let usage_body = match usage {
        Some(usage) => view! { <super::usage_range::UsageView number=line.msisdn.digits().to_owned() usage=usage buckets=line.buckets.clone() /> }.into_any(),
        None => view! { <p class="text-muted" data-testid="usage-unavailable">{t!(i18n, sims.usage_unavailable)}</p> }
            .into_any(),
    };
    let voice = line.voice.map(|v| view! { <Voice options=v /> });
    let alerts =
        view! { <super::alerts_form::UsageAlerts number=line.msisdn.digits().to_owned() /> };
    view! {
        <div class="page-head">
            <div>
                <h1 class="page-title tabular-nums" data-testid="sim-number">{line.msisdn.formatted()}</h1>
                <p class="text-muted m-0">{product}</p>
            </div>
            <LineStateBadge state=line.state />
        </div>
        <AsOf stale=stale as_of_ms=as_of />
        <Overview line=line.clone() data_left_mb=data_left_mb />
        <p class="mt-4 flex flex-wrap gap-2">
            <A href=format!("/services/{service_id}") attr:class="btn btn-secondary" attr:data-testid="sim-service">{t!(i18n, sims.see_service)}</A>
            <A href=format!("/support/new?service={service_id}") attr:class="btn btn-secondary" attr:data-testid="sim-support">{t!(i18n, sims.contact_support)}</A>
        </p>
        <Buckets buckets=line.buckets.clone() />
        // What the customer comes for first: how much they used, then more data; the changes
        // that need a decision come last.
        <section class="card mt-4" aria-labelledby="usage-heading">
            <h2 id="usage-heading" class="card-title">{t!(i18n, sims.usage_title)}</h2>
            {usage_body}
        </section>
        {alerts}
        <super::topup_form::TopUpSection number=line.msisdn.digits().to_owned() />
        {voice}
        <Pending line=line.clone() />
        <super::manage::ManageLine number=line.msisdn.digits().to_owned() />
    }
}

#[component]
fn Overview(line: SimLine, data_left_mb: u32) -> impl IntoView {
    let i18n = use_i18n();
    let form = line.form;
    let network = line.network;
    let id_label = move || match form {
        SimForm::Physical => t_string!(i18n, sims.iccid).to_string(),
        SimForm::Esim => t_string!(i18n, sims.eid).to_string(),
    };
    let id = match form {
        SimForm::Physical => line.iccid_masked(),
        SimForm::Esim => line.eid_masked().or_else(|| line.iccid_masked()),
    }
    .unwrap_or_else(|| "—".into());
    let form_label = move || match form {
        SimForm::Physical => t_string!(i18n, sims.form_physical).to_string(),
        SimForm::Esim => t_string!(i18n, sims.form_esim).to_string(),
    };
    let network_label = match network {
        NetworkType::Lte => "4G",
        NetworkType::FiveG => "5G",
    };
    let throttled = line
        .throttled
        .then(|| view! { <p class="text-muted text-sm mt-2" data-testid="sim-throttled">{t!(i18n, sims.throttled_now)}</p> });
    view! {
        <section class="card">
            <dl class="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5">
                <div><dt class="text-muted text-sm">{t!(i18n, sims.plan)}</dt><dd data-testid="sim-plan" class="font-semibold">{line.plan.to_string()}</dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, sims.data_left)}</dt><dd data-testid="sim-data-left" class="font-semibold tabular-nums">{format_mb(data_left_mb)}</dd></div>
                <div><dt class="text-muted text-sm">{id_label}</dt><dd data-testid="sim-id" class="tabular-nums">{id}</dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, sims.form)}</dt><dd>{form_label}</dd></div>
                <div><dt class="text-muted text-sm">{t!(i18n, sims.network)}</dt><dd>{network_label}</dd></div>
            </dl>
            {throttled}
        </section>
    }
}

fn source_label(i18n: leptos_i18n::I18nContext<Locale>, source: QuotaSource) -> String {
    match source {
        QuotaSource::Plan => t_string!(i18n, sims.source_plan),
        QuotaSource::Carryover => t_string!(i18n, sims.source_carryover),
        QuotaSource::TopUp => t_string!(i18n, sims.source_top_up),
        QuotaSource::Gift => t_string!(i18n, sims.source_gift),
    }
    .to_string()
}

#[component]
fn Buckets(buckets: Vec<QuotaBucket>) -> impl IntoView {
    let i18n = use_i18n();
    let body = if buckets.is_empty() {
        view! { <p class="text-muted">{t!(i18n, sims.no_buckets)}</p> }.into_any()
    } else {
        let rows = buckets
            .into_iter()
            .map(|b| {
                let source = b.source;
                view! {
                    <tr data-testid="sim-bucket">
                        <td>{move || source_label(i18n, source)}</td>
                        <td class="text-right tabular-nums">{format_mb(b.remaining_mb)}</td>
                        <td class="text-right tabular-nums">{format_mb(b.granted_mb)}</td>
                        <td><DateText date=b.expires_on /></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <Table caption=Signal::derive(move || t_string!(i18n, sims.buckets_title).to_string())>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, sims.source)}</th>
                        <th scope="col" class="text-right">{t!(i18n, sims.remaining)}</th>
                        <th scope="col" class="text-right">{t!(i18n, sims.granted)}</th>
                        <th scope="col">{t!(i18n, sims.expires)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </Table>
        }
        .into_any()
    };
    view! {
        <section class="card mt-4" aria-labelledby="buckets-heading">
            <h2 id="buckets-heading" class="card-title">{t!(i18n, sims.buckets_title)}</h2>
            {body}
        </section>
    }
}

#[component]
fn Voice(options: VoiceOptions) -> impl IntoView {
    let i18n = use_i18n();
    let on_off = move |on: bool| {
        if on {
            t_string!(i18n, sims.on).to_string()
        } else {
            t_string!(i18n, sims.off).to_string()
        }
    };
    let item = move |label: String, on: bool| {
        view! {
            <div data-testid="sim-voice-option" data-on=on.to_string()>
                <dt class="text-muted text-sm">{label}</dt>
                <dd>{on_off(on)}</dd>
            </div>
        }
    };
    view! {
        <section class="card mt-4" aria-labelledby="voice-heading">
            <h2 id="voice-heading" class="card-title">{t!(i18n, sims.voice_title)}</h2>
            <dl class="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5">
                {move || vec![
                    item(t_string!(i18n, sims.voicemail).to_string(), options.voicemail),
                    item(t_string!(i18n, sims.call_waiting).to_string(), options.call_waiting),
                    item(t_string!(i18n, sims.call_forwarding).to_string(), options.call_forwarding),
                    item(t_string!(i18n, sims.intl_calling).to_string(), options.intl_calling),
                    item(t_string!(i18n, sims.intl_roaming).to_string(), options.intl_roaming),
                ]}
            </dl>
        </section>
    }
}

fn operation_label(i18n: leptos_i18n::I18nContext<Locale>, op: &PendingOperation) -> String {
    let what = match op.kind {
        OperationKind::NetworkChange => t_string!(i18n, sims.op_network),
        OperationKind::VoiceOptions => t_string!(i18n, sims.op_voice),
        OperationKind::EsimReissue => t_string!(i18n, sims.op_esim),
        OperationKind::Cancellation => t_string!(i18n, sims.op_cancellation),
        OperationKind::PlanChange => t_string!(i18n, sims.op_plan),
        OperationKind::Other => t_string!(i18n, sims.op_other),
    }
    .to_string();
    match &op.target {
        Some(target) => format!("{what} → {target}"),
        None => what,
    }
}

#[component]
fn Pending(line: SimLine) -> impl IntoView {
    let i18n = use_i18n();
    let plan_change = line.pending_plan_change.clone().map(|change| {
        let to = change.to.to_string();
        view! {
            <li data-testid="sim-pending" data-kind="plan_change">
                {move || t_string!(i18n, sims.plan_change_booked, plan = to.clone()).to_string()}
                " "<DateText date=change.effective_on />
            </li>
        }
    });
    let has_orders = !line.pending.is_empty();
    let cancel = match line.state {
        crate::domain::sim::LineState::CancelScheduled { on } => Some(view! {
            <li data-testid="sim-pending" data-kind="cancellation">
                {t!(i18n, sims.cancel_scheduled)}" "<DateText date=on />
            </li>
        }),
        _ => None,
    };
    let orders = line
        .pending
        .into_iter()
        .filter(|op| op.kind != OperationKind::PlanChange || line.pending_plan_change.is_none())
        .map(|op| {
            let when = op
                .effective_at
                .map(|at| view! { " " <DateTimeText at=at /> });
            let kind = format!("{:?}", op.kind);
            view! {
                <li data-testid="sim-pending" data-kind=kind>
                    {move || operation_label(i18n, &op)}
                    {when}
                </li>
            }
        })
        .collect_view();
    let none = (plan_change.is_none() && cancel.is_none() && !has_orders)
        .then(|| view! { <p class="text-muted">{t!(i18n, sims.no_pending)}</p> });
    view! {
        <section class="card mt-4" aria-labelledby="pending-heading">
            <h2 id="pending-heading" class="card-title">{t!(i18n, sims.pending_title)}</h2>
            {none}
            <ul class="list-disc pl-6 space-y-1">
                {plan_change}
                {cancel}
                {orders}
            </ul>
        </section>
    }
}
