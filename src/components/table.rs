//! Data tables: a caption for screen readers, horizontal scrolling on phones instead of a
//! squashed layout, and one consistent look (`.data-table` in `style/main.css`).

use leptos::prelude::*;

/// A table. Children are the `<thead>`/`<tbody>` rows.
#[component]
pub fn Table(#[prop(into)] caption: Signal<String>, children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=move || caption.get()>
            <table class="data-table">
                <caption class="sr-only">{move || caption.get()}</caption>
                {children()}
            </table>
        </div>
    }
}
