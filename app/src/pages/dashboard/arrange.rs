//! The dashboard's side of arranging panels: the order they show in, and
//! storing the order and sizes a drag or a resize left, into the
//! dashboard as it is stored (its variables unsubstituted).

use super::PanelState;
use crate::components::Arrange;
use leptos::prelude::*;

/// The panels' order (their keys, the places they had when the page
/// loaded), the arranging handle for the panels, and the last refusal
/// to store an arrangement.
pub struct Arranged {
    pub arrange: Arrange,
    pub error: RwSignal<Option<String>>,
}

pub fn use_arrange(dashboard: i64, states: StoredValue<Vec<PanelState>>) -> Arranged {
    let n = states.with_value(Vec::len);
    let order = RwSignal::new((0..n).collect::<Vec<usize>>());
    // Which key each place of the stored dashboard holds.
    let stored = StoredValue::new((0..n).collect::<Vec<usize>>());
    let error = RwSignal::new(None::<String>);
    let store = move || {
        #[cfg(feature = "browser")]
        leptos::task::spawn_local(async move {
            let order_now = order.get_untracked();
            let layouts: Vec<_> = states.with_value(|s| s.iter().map(|p| p.layout.get_untracked()).collect());
            match store_layout(dashboard, &stored.get_value(), &order_now, &layouts).await {
                Ok(()) => {
                    stored.set_value(order_now);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
        #[cfg(not(feature = "browser"))]
        let _ = (dashboard, stored);
    };
    let arrange = Arrange {
        order,
        dragging: RwSignal::new(None),
        moved: Callback::new(move |(from, to): (usize, usize)| {
            order.update(|o| move_to_place_of(o, from, to));
            store();
        }),
        resized: Callback::new(move |()| store()),
    };
    Arranged { arrange, error }
}

/// Moves `from` into the place of `to`; the panels between shift over.
pub fn move_to_place_of(order: &mut Vec<usize>, from: usize, to: usize) {
    let (Some(f), Some(t)) = (
        order.iter().position(|&k| k == from),
        order.iter().position(|&k| k == to),
    ) else {
        return;
    };
    let key = order.remove(f);
    order.insert(t, key);
}

/// Reads the stored dashboard and saves it with its panels in `order`
/// (keys), each with its layout; `stored` says which key each stored
/// place holds.
#[cfg(feature = "browser")]
async fn store_layout(
    id: i64,
    stored: &[usize],
    order: &[usize],
    layouts: &[(Option<u8>, Option<u16>)],
) -> Result<(), String> {
    use crate::api::{list_dashboards, save_dashboard};
    use crate::model::DashboardDraft;

    let list = list_dashboards().await.map_err(|e| e.to_string())?;
    let d = list
        .into_iter()
        .find(|d| d.id == id)
        .ok_or_else(|| format!("dashboard {id} is gone"))?;
    if d.panels.len() != stored.len() {
        return Err("the dashboard was changed elsewhere; reload the page".into());
    }
    let mut by_key = vec![None; stored.len()];
    for (place, panel) in stored.iter().zip(d.panels) {
        by_key[*place] = Some(panel);
    }
    let panels = order
        .iter()
        .filter_map(|&k| {
            let mut p = by_key.get_mut(k)?.take()?;
            (p.width, p.height) = layouts.get(k).copied()?;
            Some(p)
        })
        .collect();
    let draft = DashboardDraft {
        title: d.title,
        panels,
        variables: d.variables,
    };
    save_dashboard(Some(id), draft)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::move_to_place_of;

    #[test]
    fn a_panel_takes_the_place_it_was_dropped_on() {
        let mut order = vec![0, 1, 2, 3];
        move_to_place_of(&mut order, 0, 2);
        assert_eq!(order, [1, 2, 0, 3], "forward: the ones between move up");
        move_to_place_of(&mut order, 3, 1);
        assert_eq!(order, [3, 1, 2, 0], "backward: the ones between move down");
        move_to_place_of(&mut order, 9, 1);
        assert_eq!(order, [3, 1, 2, 0], "an unknown key moves nothing");
    }
}
