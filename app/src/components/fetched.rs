//! Lists fetched in the browser as their inputs change, for pickers'
//! suggestions: nothing rendered on the server and no resource machinery
//! (which costs the wasm more than these few lists are worth); the answer
//! to the newest inputs wins over a slower earlier one.

use leptos::prelude::*;
use std::future::Future;

/// A signal holding `fetch(source())`, fetched again whenever `source`'s
/// value changes; empty until the first answer.
pub fn use_fetched<K, T, Fut>(
    source: impl Fn() -> K + 'static,
    fetch: impl Fn(K) -> Fut + 'static,
) -> ReadSignal<Vec<T>>
where
    K: 'static,
    T: Send + Sync + 'static,
    Fut: Future<Output = Vec<T>> + 'static,
{
    let (list, set) = signal(Vec::new());
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let pending = fetch(source());
        let n = asked.get_value() + 1;
        asked.set_value(n);
        leptos::task::spawn_local(async move {
            let found = pending.await;
            if asked.try_get_value() == Some(n) {
                set.try_set(found);
            }
        });
    });
    list
}
