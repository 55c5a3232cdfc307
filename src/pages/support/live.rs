//! Keeping a support page current while hydrated: the page's live stream (`/support/{id}/live`
//! or `/support/live`, Server-Sent Events from the server's case watch) says `case` when an
//! agent answered or a status moved, and the page re-reads. Refetching on focus and when the
//! tab becomes visible again stays as the fallback, and a timer refetches only while the stream
//! is down (the browser reconnects it by itself). Effects never run on the server; without
//! JavaScript the page shows the answer on reload.

use leptos::prelude::*;

/// Seconds between fallback refreshes while the stream is down and the page is visible.
const FALLBACK_SECS: u64 = 15;

/// Follows `stream` (a path) and calls `refresh` on every change, on focus, on becoming
/// visible, and every [`FALLBACK_SECS`] while the stream is down. Returns whether the stream is
/// up (its `ready` event arrived), which pages expose as `data-live` for tests.
pub fn live_refresh(
    stream: impl Fn() -> String + Send + Sync + 'static,
    refresh: impl Fn() + Clone + Send + Sync + 'static,
) -> ReadSignal<bool> {
    let (live, set_live) = signal(false);
    let fallback = refresh.clone();
    Effect::new(move |_| {
        let on_focus = fallback.clone();
        let focus = window_event_listener(leptos::ev::focus, move |_| on_focus());
        let on_visible = fallback.clone();
        let visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if !document().hidden() {
                on_visible();
            }
        });
        let on_tick = fallback.clone();
        let tick = set_interval_with_handle(
            move || {
                if !document().hidden() && !live.get_untracked() {
                    on_tick();
                }
            },
            std::time::Duration::from_secs(FALLBACK_SECS),
        )
        .ok();
        on_cleanup(move || {
            focus.remove();
            visible.remove();
            if let Some(tick) = tick {
                tick.clear();
            }
        });
    });
    follow(stream, refresh, set_live);
    live
}

/// In the browser, opens the stream and wires its events; closed with the page.
fn follow(
    stream: impl Fn() -> String + Send + Sync + 'static,
    changed: impl Fn() + Clone + Send + Sync + 'static,
    set_live: WriteSignal<bool>,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        Effect::new(move |previous: Option<Option<web_sys::EventSource>>| {
            if let Some(Some(old)) = previous {
                old.close();
            }
            let source = web_sys::EventSource::new(&stream()).ok()?;
            let on_case = {
                let changed = changed.clone();
                Closure::<dyn Fn(web_sys::Event)>::new(move |_| changed())
            };
            // Once the stream is up, read once more: an answer that landed between the page's
            // own read and the watch's first check (its baseline) would otherwise wait for focus.
            let on_ready = {
                let changed = changed.clone();
                Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
                    set_live.set(true);
                    changed();
                })
            };
            let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| set_live.set(false));
            let _ =
                source.add_event_listener_with_callback("case", on_case.as_ref().unchecked_ref());
            let _ =
                source.add_event_listener_with_callback("ready", on_ready.as_ref().unchecked_ref());
            let _ =
                source.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
            // The listeners live as long as the page.
            on_case.forget();
            on_ready.forget();
            on_error.forget();
            let closing = send_wrapper::SendWrapper::new(source.clone());
            on_cleanup(move || {
                closing.close();
                set_live.set(false);
            });
            Some(source)
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (stream, changed, set_live);
    }
}
