//! The order of a legend's rows when a column header was clicked: by name
//! or by one of the window's statistics, lines without a value last.

use std::cmp::Ordering;

/// A legend column one can sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendColumn {
    Name,
    Last,
    Min,
    Avg,
    Max,
}

/// The legend's sort: which column, which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegendSort {
    pub column: LegendColumn,
    pub descending: bool,
}

impl LegendSort {
    /// The sort after a click on `column`'s header: the same column turns
    /// around; another starts with names A to Z and values highest first
    /// (what one looks for in a legend: the hottest device).
    pub fn clicked(current: Option<LegendSort>, column: LegendColumn) -> LegendSort {
        match current {
            Some(s) if s.column == column => LegendSort {
                column,
                descending: !s.descending,
            },
            _ => LegendSort {
                column,
                descending: column != LegendColumn::Name,
            },
        }
    }
}

/// One legend row's statistics over the window.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LegendStats {
    pub last: Option<f64>,
    pub min: Option<f64>,
    pub avg: Option<f64>,
    pub max: Option<f64>,
}

/// Positions of `rows` in display order: as given without a sort; else by
/// the column, ties and missing values keeping their given order (the
/// missing ones after every value either way).
pub fn legend_order(rows: &[(String, LegendStats)], sort: Option<LegendSort>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let Some(sort) = sort else { return order };
    let value = |i: usize| {
        let s = rows[i].1;
        match sort.column {
            LegendColumn::Last => s.last,
            LegendColumn::Min => s.min,
            LegendColumn::Avg => s.avg,
            LegendColumn::Max => s.max,
            LegendColumn::Name => None,
        }
    };
    order.sort_by(|&a, &b| {
        let by_column = if sort.column == LegendColumn::Name {
            rows[a].0.cmp(&rows[b].0)
        } else {
            match (value(a), value(b)) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => return Ordering::Less,
                (None, Some(_)) => return Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        };
        if sort.descending {
            by_column.reverse()
        } else {
            by_column
        }
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, last: Option<f64>) -> (String, LegendStats) {
        (
            name.to_owned(),
            LegendStats {
                last,
                ..LegendStats::default()
            },
        )
    }

    #[test]
    fn unsorted_rows_keep_their_order() {
        let rows = [row("b", Some(1.0)), row("a", None)];
        assert_eq!(legend_order(&rows, None), vec![0, 1]);
    }

    #[test]
    fn values_sort_either_way_with_missing_ones_last() {
        let rows = [
            row("a", Some(2.0)),
            row("b", None),
            row("c", Some(-1.0)),
            row("d", Some(7.5)),
        ];
        let desc = LegendSort::clicked(None, LegendColumn::Last);
        assert!(desc.descending, "highest first on the first click");
        assert_eq!(legend_order(&rows, Some(desc)), vec![3, 0, 2, 1]);
        let asc = LegendSort::clicked(Some(desc), LegendColumn::Last);
        assert_eq!(legend_order(&rows, Some(asc)), vec![2, 0, 3, 1]);
    }

    #[test]
    fn names_sort_from_a_first_and_ties_keep_their_order() {
        let rows = [row("b", Some(1.0)), row("a", Some(1.0)), row("c", Some(1.0))];
        let by_name = LegendSort::clicked(None, LegendColumn::Name);
        assert_eq!(legend_order(&rows, Some(by_name)), vec![1, 0, 2]);
        let by_max = LegendSort::clicked(Some(by_name), LegendColumn::Max);
        assert_eq!((by_max.column, by_max.descending), (LegendColumn::Max, true));
        let by_last = LegendSort::clicked(None, LegendColumn::Last);
        assert_eq!(legend_order(&rows, Some(by_last)), vec![0, 1, 2]);
    }
}
