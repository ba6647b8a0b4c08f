//! What one request may cost: the points its answers hold and the rows
//! (stored points and rollup buckets) read to make them. A small request
//! (256 queries of 100,000 raw points each) would otherwise decode whole
//! windows and build an answer of hundreds of megabytes. Reads are charged
//! before they happen, from the store's estimate, so a request over its
//! budget is refused before the read that would pass it.

use super::QueryError;
use app::model::Agg;

/// The most one request may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryBudget {
    /// Points in all the answers of a request.
    pub points: u64,
    /// Stored points decoded and rollup buckets read for a request.
    pub rows: u64,
    /// Series one query by selector may match.
    pub series: usize,
}

impl Default for QueryBudget {
    fn default() -> Self {
        Self {
            points: 1_000_000,
            rows: 5_000_000,
            series: 10_000,
        }
    }
}

/// Which part of the budget a request would exceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    Points,
    Rows,
}

/// A request's spending so far.
#[derive(Debug)]
pub struct Spending {
    budget: QueryBudget,
    rows: u64,
    points: u64,
}

impl Spending {
    /// Nothing read yet, and `promised` points already counted for the
    /// answers known before reading.
    pub fn new(budget: QueryBudget, promised: u64) -> Self {
        Self {
            budget,
            rows: 0,
            points: promised,
        }
    }

    /// Charges the points of an answer whose size was not known before
    /// it was read (`agg=raw`), so that a request of many raw windows
    /// stops holding answers once the budget is spent.
    pub fn answer(&mut self, points: u64) -> Result<(), QueryError> {
        self.points = self.points.saturating_add(points);
        check_points(self.points, &self.budget)
    }

    /// Charges `rows` about to be read, or refuses without charging.
    pub fn read(&mut self, rows: u64) -> Result<(), QueryError> {
        let total = self.rows.saturating_add(rows);
        if total > self.budget.rows {
            return Err(QueryError::OverBudget {
                over: Over::Rows,
                asked: total,
                limit: self.budget.rows,
            });
        }
        self.rows = total;
        Ok(())
    }
}

/// The most points an answer of `lines` lines (1 for one series) to a
/// query of `points` with `agg` holds, when it is known before reading:
/// every reduction returns at most `points` per line; `agg=raw` returns
/// what the window holds.
pub fn promised(points: usize, agg: Agg, lines: usize) -> Option<u64> {
    (agg != Agg::Raw).then_some(points as u64 * lines as u64)
}

/// Refuses answers holding `points` in all when over `budget`.
pub fn check_points(points: u64, budget: &QueryBudget) -> Result<(), QueryError> {
    if points > budget.points {
        return Err(QueryError::OverBudget {
            over: Over::Points,
            asked: points,
            limit: budget.points,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_charged_until_the_budget_is_spent() {
        let mut spending = Spending::new(
            QueryBudget {
                points: 10,
                rows: 100,
                series: 10,
            },
            0,
        );
        spending.read(60).unwrap();
        let refused = spending.read(41).unwrap_err();
        assert!(matches!(
            refused,
            QueryError::OverBudget {
                over: Over::Rows,
                asked: 101,
                limit: 100
            }
        ));
        spending.read(40).expect("a refused read charged nothing");
        assert!(spending.read(1).is_err());
    }

    #[test]
    fn answers_are_bounded_up_front_unless_raw() {
        assert_eq!(promised(1_000, Agg::Auto, 1), Some(1_000));
        assert_eq!(promised(1_000, Agg::Auto, 20), Some(20_000));
        assert_eq!(promised(1_000, Agg::Raw, 1), None);
        let budget = QueryBudget {
            points: 10,
            rows: 0,
            series: 10,
        };
        check_points(10, &budget).unwrap();
        assert!(check_points(11, &budget).is_err());
        let mut spending = Spending::new(budget, 6);
        spending.answer(4).unwrap();
        assert!(matches!(
            spending.answer(1),
            Err(QueryError::OverBudget {
                over: Over::Points,
                asked: 11,
                ..
            })
        ));
    }
}
