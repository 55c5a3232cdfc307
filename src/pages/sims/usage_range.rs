//! The usage card's two views: the last 30 days (default) and the current month
//! (`?range=month`), switched by plain links so the toggle works without JavaScript. The month
//! view adds the month's total against this month's plan allowance. Which days, the allowance
//! and the percentage are computed in `domain::sim::chart`; the chart itself is
//! [`UsageChart`].

use super::usage_chart::UsageChart;
use crate::domain::common::date::JST;
use crate::domain::sim::chart::{
    UsageRange, format_bytes, format_mb, month_total, plan_allowance_mb,
};
use crate::domain::sim::{QuotaBucket, SimUsage};
use crate::i18n::*;
use crate::pages::auth::query_param;
use leptos::prelude::*;
use leptos_router::components::A;

/// The toggle, the month's total (month view) and the chart of the chosen days.
#[component]
pub fn UsageView(number: String, usage: SimUsage, buckets: Vec<QuotaBucket>) -> impl IntoView {
    let i18n = use_i18n();
    let range = query_param("range");
    // "Today" is the platform's: the day its figures were taken, in Japan.
    let today = usage.as_of.to_offset(JST).date();
    let total = month_total(usage.this_month_bytes, plan_allowance_mb(&buckets, today));
    let base = format!("/sims/{number}");
    let current = move || UsageRange::from_query(range.get().as_deref());
    let link = move |r: UsageRange, label: Signal<String>| {
        let href = match r.key() {
            Some(key) => format!("{base}?range={key}"),
            None => base.clone(),
        };
        view! {
            <A
                href=href
                attr:class=move || if current() == r { "btn btn-primary" } else { "btn btn-secondary" }
                attr:aria-current=move || (current() == r).then_some("page")
                attr:data-testid=format!("usage-range-{}", r.key().unwrap_or("30d"))
            >
                {move || label.get()}
            </A>
        }
    };
    let days = usage.days.clone();
    view! {
        <nav class="flex flex-wrap gap-2 mb-4" aria-label=move || t_string!(i18n, sims.range_label).to_string()>
            {link(UsageRange::Last30Days, Signal::derive(move || t_string!(i18n, sims.range_30_days).to_string()))}
            {link(UsageRange::ThisMonth, Signal::derive(move || t_string!(i18n, sims.range_month).to_string()))}
        </nav>
        {move || {
            let range = current();
            let month = (range == UsageRange::ThisMonth).then(|| {
                let used = format_bytes(total.used_bytes);
                let allowance = total.allowance_mb.map(|mb| {
                    let allowance = format_mb(mb);
                    let percent = total.percent.unwrap_or(0);
                    view! {
                        <div>
                            <dt class="text-muted text-sm">{t!(i18n, sims.month_allowance)}</dt>
                            <dd class="font-semibold tabular-nums" data-testid="usage-month-allowance">{allowance}</dd>
                        </div>
                        <div>
                            <dt class="text-muted text-sm">{t!(i18n, sims.month_share)}</dt>
                            <dd class="font-semibold tabular-nums" data-testid="usage-month-percent">{format!("{percent}%")}</dd>
                        </div>
                    }
                });
                view! {
                    <dl class="grid grid-cols-2 gap-4 sm:grid-cols-3 mb-4" data-testid="usage-month-total">
                        <div>
                            <dt class="text-muted text-sm">{t!(i18n, sims.month_used)}</dt>
                            <dd class="font-semibold tabular-nums" data-testid="usage-month-used">{used}</dd>
                        </div>
                        {allowance}
                    </dl>
                }
            });
            view! {
                {month}
                <UsageChart days=range.select(&days, today) this_month={range == UsageRange::ThisMonth} />
            }
        }}
    }
}
