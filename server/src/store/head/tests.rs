use super::*;
use app::domain::HOUR_MS;

fn add(head: &Head, series: i64, points: &[(i64, f64)], row: i64) -> Vec<i64> {
    head.add(&[Fresh { series, points, row }])
}

#[test]
fn later_points_append_and_earlier_ones_merge_with_the_later_write_winning() {
    let head = Head::default();
    add(&head, 1, &[(10, 1.0), (30, 3.0)], 5);
    add(&head, 1, &[(40, 4.0)], 6);
    add(&head, 1, &[(20, 2.0), (30, 33.0)], 7);
    assert_eq!(
        *head.points_of(1).unwrap(),
        vec![(10, 1.0), (20, 2.0), (30, 33.0), (40, 4.0)]
    );
    assert_eq!(head.points(), 4, "a replacement adds nothing");
    assert_eq!(head.oldest_row(), Some(5));
}

#[test]
fn trimming_what_was_written_out_drops_the_head_and_its_row() {
    let head = Head::default();
    add(&head, 1, &[(10, 1.0), (20, 2.0)], 5);
    add(&head, 2, &[(10, 1.0)], 6);
    assert_eq!(head.by_age(), vec![1, 2], "oldest row first");
    head.trim(1, 20);
    assert!(head.points_of(1).is_none());
    assert_eq!(head.points(), 1);
    assert_eq!(head.oldest_row(), Some(6));
    head.trim(2, 5);
    assert_eq!(head.points(), 1, "nothing at or before 5");
}

#[test]
fn the_oldest_heads_are_taken_until_they_hold_enough_points() {
    let head = Head::default();
    add(&head, 3, &[(10, 1.0), (20, 2.0)], 1);
    add(&head, 1, &[(10, 1.0)], 2);
    add(&head, 2, &[(10, 1.0), (20, 2.0), (30, 3.0)], 3);
    assert_eq!(head.oldest_holding(0), Vec::<i64>::new());
    assert_eq!(head.oldest_holding(1), vec![3]);
    assert_eq!(head.oldest_holding(2), vec![3]);
    assert_eq!(head.oldest_holding(3), vec![3, 1]);
    assert_eq!(head.oldest_holding(4), vec![3, 1, 2]);
    assert_eq!(head.oldest_holding(100), vec![3, 1, 2], "all there are");
}

#[test]
fn a_reader_keeps_its_view_while_the_head_moves_on() {
    let head = Head::default();
    add(&head, 1, &[(10, 1.0)], 1);
    let view = head.view([1, 2]);
    add(&head, 1, &[(20, 2.0)], 2);
    head.trim(1, 20);
    assert_eq!(view.fresh(1, None), &[(10, 1.0)]);
    assert!(view.fresh(2, None).is_empty());
}

#[test]
fn a_head_is_ripe_when_full_or_when_it_reaches_into_the_next_window() {
    let head = Head::default();
    assert!(add(&head, 1, &[(0, 1.0), (HOUR_MS - 1, 1.0)], 1).is_empty());
    assert_eq!(add(&head, 1, &[(HOUR_MS, 1.0)], 2), vec![1], "into the next window");
    let many: Vec<(i64, f64)> = (0..SERIES_POINTS as i64).map(|t| (t, 0.0)).collect();
    assert_eq!(add(&head, 2, &many, 3), vec![2], "a chunk's worth");
}

#[test]
fn a_full_head_keeps_its_newest_points_and_a_closed_window_goes_alone() {
    let head = Head::default();
    let many: Vec<(i64, f64)> = (0..SERIES_POINTS as i64).map(|t| (t, 0.0)).collect();
    add(&head, 1, &many, 1);
    let through = head.due_through(1, false).unwrap();
    assert_eq!(through, (SERIES_POINTS - HELD_POINTS - 1) as i64);
    assert_eq!(head.due_through(1, true), Some(SERIES_POINTS as i64 - 1));
    add(&head, 1, &[(SERIES_POINTS as i64, 0.0)], 2);
    head.trim(1, through);
    assert_eq!(head.points(), HELD_POINTS + 1);
    assert_eq!(head.oldest_row(), Some(1), "row 1 brought points still held");
    head.trim(1, SERIES_POINTS as i64 - 1);
    assert_eq!(head.oldest_row(), Some(2));

    add(&head, 2, &[(HOUR_MS - 5, 1.0), (HOUR_MS + 5, 1.0)], 3);
    assert_eq!(head.due_through(2, false), Some(HOUR_MS - 5), "the closed window only");
    add(&head, 3, &[(5, 1.0)], 4);
    assert_eq!(head.due_through(3, false), None, "nothing to write yet");
}

#[test]
fn a_map_emptied_by_a_round_gives_its_memory_back() {
    let head = Head::default();
    let fresh: Vec<Fresh> = (0..10_000)
        .map(|id| Fresh {
            series: id,
            points: &[(1, 1.0)],
            row: 1,
        })
        .collect();
    head.add(&fresh);
    for id in 0..10_000 {
        head.trim(id, 1);
    }
    head.shrink_if_sparse();
    assert!(head.read().capacity() < 10_000, "{}", head.read().capacity());
}

#[test]
fn a_head_gaining_a_point_per_batch_keeps_rows_by_span_and_frees_them_as_written() {
    let head = Head::default();
    // Two hundred batches of one point each: rows 1..=200 at times 1..=200.
    for row in 1..=200 {
        add(&head, 1, &[(row, 1.0)], row);
    }
    assert_eq!(head.oldest_row(), Some(1));
    // Written through time 100: the rows up to the span holding 100 go.
    head.trim(1, 100);
    let oldest = head.oldest_row().unwrap();
    assert!(
        oldest <= 101 && oldest > 100 - 64,
        "needed from row 101 at the latest, within a span of it: {oldest}"
    );
    head.trim(1, 199);
    assert_eq!(
        head.oldest_row(),
        Some(193),
        "the open span, begun by row 193, holds 200"
    );
    head.trim(1, 200);
    assert_eq!(head.oldest_row(), None);
}

#[test]
fn a_late_point_keeps_its_row_until_it_is_written() {
    let head = Head::default();
    add(&head, 1, &[(100, 1.0)], 1);
    for row in 2..=70 {
        add(&head, 1, &[(100 + row, 1.0)], row);
    }
    // Row 71 brings a point older than the others still in the head.
    add(&head, 1, &[(150, 2.0)], 71);
    head.trim(1, 169);
    assert_eq!(head.points(), 1);
    assert!(head.oldest_row().unwrap() <= 70, "row 70 brought 170");
    head.trim(1, 170);
    assert_eq!(head.oldest_row(), None);
}

#[test]
fn heads_are_found_by_id_after_others_leave() {
    let head = Head::default();
    for id in 1..=5 {
        add(&head, id, &[(id, id as f64)], id);
    }
    head.trim(2, i64::MAX);
    head.trim(4, i64::MAX);
    assert_eq!(head.series_count(), 3);
    for id in [1, 3, 5] {
        assert_eq!(*head.points_of(id).unwrap(), vec![(id, id as f64)]);
    }
    assert!(head.points_of(2).is_none() && head.points_of(4).is_none() && head.points_of(9).is_none());
    assert_eq!(head.by_age(), vec![1, 3, 5]);
    add(&head, 2, &[(7, 7.0)], 6);
    assert_eq!(*head.points_of(2).unwrap(), vec![(7, 7.0)]);
}

/// One step of a head's life: points added by a new log row, or a
/// series written out through a time.
#[derive(Debug, Clone)]
enum Step {
    Add(i64, Vec<i64>),
    Trim(i64, i64),
}

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    prop_oneof![
        3 => (1i64..4, prop::collection::btree_set(0i64..2_000, 1..40))
            .prop_map(|(series, times)| Step::Add(series, times.into_iter().collect())),
        1 => (1i64..4, 0i64..2_000).prop_map(|(series, through)| Step::Trim(series, through)),
    ]
}

proptest::proptest! {
    /// Whatever the order of adds (late ones included) and partial
    /// write-outs, the head holds what a model holds, and the oldest log
    /// row it says it needs is never newer than a row that brought a
    /// point still held (else trimming the log would lose that point).
    #[test]
    fn the_rows_a_head_keeps_cover_every_point_it_holds(steps in proptest::collection::vec(step(), 1..120)) {
        use std::collections::BTreeMap;
        let head = Head::default();
        let mut model: BTreeMap<i64, BTreeMap<i64, (f64, i64)>> = BTreeMap::new();
        for (row, step) in (1..).zip(steps) {
            match step {
                Step::Add(series, times) => {
                    let points: Vec<(i64, f64)> = times.iter().map(|&t| (t, row as f64)).collect();
                    add(&head, series, &points, row);
                    let held = model.entry(series).or_default();
                    for &(t, v) in &points {
                        held.insert(t, (v, row));
                    }
                }
                Step::Trim(series, through) => {
                    head.trim(series, through);
                    if let Some(held) = model.get_mut(&series) {
                        held.retain(|&t, _| t > through);
                    }
                }
            }
            for (series, held) in &model {
                let want: Vec<(i64, f64)> = held.iter().map(|(&t, &(v, _))| (t, v)).collect();
                let got = head.points_of(*series).map(|p| p.to_vec()).unwrap_or_default();
                proptest::prop_assert_eq!(got, want);
            }
            let needed = model.values().flat_map(|held| held.values().map(|&(_, row)| row)).min();
            let kept = head.oldest_row();
            proptest::prop_assert_eq!(kept.is_some(), needed.is_some());
            if let (Some(kept), Some(needed)) = (kept, needed) {
                proptest::prop_assert!(kept <= needed, "keeps rows from {} but row {} is needed", kept, needed);
            }
        }
    }
}
