//! The usage chart: daily usage (the last 30 days, or this month so far) as stacked bars (high speed below,
//! throttled above, today hatched as provisional), drawn as inline SVG from the geometry in
//! `domain::sim::chart`. Colours come from the theme's variables, text from `currentColor`, so
//! it reads in both themes; the SVG is one labelled image and a `<details>` table carries the
//! same figures for screen readers and anyone who prefers numbers.

use crate::components::{DateText, Table, current_lang};
use crate::domain::common::Lang;
use crate::domain::sim::DailyUsage;
use crate::domain::sim::chart::{self, format_bytes, usage_chart};
use crate::i18n::*;
use leptos::prelude::*;

const HIGH_STYLE: &str = "fill: var(--accent)";
const THROTTLED_STYLE: &str = "fill: var(--warning)";

fn short_date(date: time::Date, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{}/{}", u8::from(date.month()), date.day()),
        Lang::En => format!("{} {}", date.day(), &date.month().to_string()[..3]),
    }
}

/// The chart and its table.
#[component]
pub fn UsageChart(
    days: Vec<DailyUsage>,
    /// The days are this month's so far (the label says so), not the last 30.
    #[prop(optional)]
    this_month: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let geometry = usage_chart(&days);
    let total: u64 = days.iter().map(DailyUsage::total_bytes).sum();
    let count = days.len();
    let summary = move || {
        let total = format_bytes(total);
        if this_month {
            t_string!(i18n, sims.chart_label_month, days = count, total).to_string()
        } else {
            t_string!(i18n, sims.chart_label, days = count, total).to_string()
        }
    };
    let ticks = geometry
        .ticks
        .iter()
        .map(|t| {
            let label = format_bytes(t.bytes);
            view! {
                <g>
                    <line x1=chart::LEFT x2=chart::WIDTH - chart::RIGHT y1=t.y y2=t.y style="stroke: var(--border)" stroke-width="1" />
                    <text x=chart::LEFT - 6.0 y=t.y + 4.0 text-anchor="end" font-size="11" fill="currentColor">{label}</text>
                </g>
            }
        })
        .collect_view();
    let baseline = geometry.baseline;
    let bars = geometry
        .bars
        .iter()
        .map(|b| {
            let b = b.clone();
            let opacity = if b.provisional { "0.45" } else { "1" };
            let label = b.labelled.then(|| {
                let date = b.date;
                view! {
                    <text x=b.x + b.width / 2.0 y=baseline + 16.0 text-anchor="middle" font-size="11" fill="currentColor">
                        {move || short_date(date, current_lang())}
                    </text>
                }
            });
            let outline = b.provisional.then(|| {
                let top = b.throttled_y.min(baseline - 2.0);
                view! {
                    <rect x=b.x y=top width=b.width height=baseline - top fill="none" stroke="currentColor" stroke-width="1" stroke-dasharray="3 2" />
                }
            });
            view! {
                <g data-testid="usage-bar" data-date=b.date.to_string() data-provisional=b.provisional.to_string()>
                    <rect x=b.x y=b.high_y width=b.width height=b.high_height style=HIGH_STYLE fill-opacity=opacity />
                    <rect x=b.x y=b.throttled_y width=b.width height=b.throttled_height style=THROTTLED_STYLE fill-opacity=opacity />
                    {outline}
                    {label}
                </g>
            }
        })
        .collect_view();
    let view_box = format!("0 0 {} {}", chart::WIDTH, chart::HEIGHT);
    let rows = days
        .iter()
        .rev()
        .map(|d| {
            let provisional = d.provisional.then(|| {
                view! { <span class="text-muted text-sm">" "{t!(i18n, sims.provisional)}</span> }
            });
            view! {
                <tr data-testid="usage-row">
                    <td><DateText date=d.date />{provisional}</td>
                    <td class="text-right tabular-nums">{format_bytes(d.high_speed_bytes)}</td>
                    <td class="text-right tabular-nums">{format_bytes(d.throttled_bytes)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="m-0">
            <svg viewBox=view_box role="img" aria-label=summary data-testid="usage-chart" class="w-full h-auto" preserveAspectRatio="xMidYMid meet">
                <title>{summary}</title>
                {ticks}
                {bars}
            </svg>
            <figcaption class="flex flex-wrap gap-4 text-sm mt-2">
                <span><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" style=HIGH_STYLE /></svg>" "{t!(i18n, sims.high_speed)}</span>
                <span><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" style=THROTTLED_STYLE /></svg>" "{t!(i18n, sims.throttled)}</span>
                <span class="text-muted">{t!(i18n, sims.provisional_note)}</span>
            </figcaption>
        </figure>
        <details class="mt-4" data-testid="usage-table">
            <summary>{t!(i18n, sims.usage_table)}</summary>
            <Table caption=Signal::derive(move || t_string!(i18n, sims.usage_table).to_string())>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, sims.day)}</th>
                        <th scope="col" class="text-right">{t!(i18n, sims.high_speed)}</th>
                        <th scope="col" class="text-right">{t!(i18n, sims.throttled)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </Table>
        </details>
    }
}
