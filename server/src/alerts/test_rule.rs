//! The rule the alerting unit tests start from: "hot", on `boiler.temp`,
//! warning at 80 and critical at 90, evaluated every second over a
//! minute; each test changes what it is about.

use app::domain::Direction;
use app::model::{AlertRuleDraft, Labels};

pub fn hot_boiler() -> AlertRuleDraft {
    AlertRuleDraft {
        name: "hot".into(),
        series: "boiler.temp".into(),
        select: None,
        aggregate: None,
        by: Vec::new(),
        reducer: Default::default(),
        window: Some("1m".into()),
        direction: Direction::Above,
        strict: false,
        warning_low: None,
        critical_low: None,
        warning: Some(80.0),
        critical: Some(90.0),
        recovery: None,
        every: Some("1s".into()),
        pending: None,
        keep_firing: None,
        no_data_after: None,
        no_data_as: None,
        labels: Labels::new(),
        annotations: Labels::new(),
        contact_points: Vec::new(),
    }
}
