//! Which annotations a reading of a chart names: the ranges that hold its
//! time, and the instants near enough to it to be meant (a few pixels,
//! in milliseconds, since an instant is a hairline on the chart).

use crate::model::Annotation;

/// The annotations of `notes` that the time `t` falls on: ranges holding
/// it, instants within `near` milliseconds of it; in `notes`' order.
pub fn notes_at(notes: &[Annotation], t: i64, near: i64) -> Vec<&Annotation> {
    notes
        .iter()
        .filter(|a| {
            if a.is_range() {
                (a.time..=a.end).contains(&t)
            } else {
                (a.time - t).abs() <= near
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: i64, time: i64, end: i64) -> Annotation {
        Annotation {
            series: Vec::new(),
            alert: None,
            id,
            dashboard: None,
            time,
            end,
            text: format!("n{id}"),
            tags: Vec::new(),
            updated: 0,
        }
    }

    #[test]
    fn ranges_hold_and_instants_are_near() {
        let notes = [note(1, 100, 100), note(2, 90, 200), note(3, 300, 300)];
        let ids = |t, near| notes_at(&notes, t, near).iter().map(|a| a.id).collect::<Vec<_>>();
        assert_eq!(ids(104, 5), vec![1, 2]);
        assert_eq!(ids(106, 5), vec![2], "an instant 6 ms away is not meant");
        assert_eq!(ids(200, 5), vec![2], "a range holds its end");
        assert_eq!(ids(201, 0), Vec::<i64>::new());
        assert_eq!(ids(295, 5), vec![3]);
    }
}
