//! Loading placeholders shaped like the content they stand for, so the page does not jump
//! when data arrives. Hidden from screen readers, which hear the `aria-busy` region instead.

use leptos::prelude::*;

/// `lines` grey bars of varying width.
#[component]
pub fn Skeleton(#[prop(default = 3)] lines: usize) -> impl IntoView {
    const WIDTHS: [&str; 4] = ["w-11/12", "w-9/12", "w-10/12", "w-7/12"];
    view! {
        <div class="space-y-3" aria-hidden="true" data-skeleton="">
            {(0..lines)
                .map(|i| view! { <div class=format!("skeleton h-4 {}", WIDTHS[i % WIDTHS.len()])></div> })
                .collect_view()}
        </div>
    }
}
