//! Versioned migrations, applied in order at start-up. The version lives in
//! `PRAGMA user_version`; each step runs in its own transaction.

mod legacy;

use super::StoreError;
use rusqlite::{Connection, Transaction};

/// One step from a version to the next: SQL, or code for data moves.
enum Migration {
    Sql(&'static str),
    Code(fn(&Transaction) -> Result<(), StoreError>),
}

/// Index `i` migrates version `i` to `i + 1`. Append only; never edit.
const MIGRATIONS: &[Migration] = &[
    // 1: the series table and one row per point.
    Migration::Sql(
        "CREATE TABLE series (
            id          INTEGER PRIMARY KEY,
            key         TEXT NOT NULL UNIQUE,
            name        TEXT NOT NULL,
            labels      TEXT NOT NULL,
            unit        TEXT,
            created_ms  INTEGER NOT NULL,
            first_t     INTEGER,
            last_t      INTEGER,
            last_v      REAL,
            count       INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE points (
            series_id   INTEGER NOT NULL REFERENCES series(id),
            t           INTEGER NOT NULL,
            v           REAL NOT NULL,
            PRIMARY KEY (series_id, t)
        ) WITHOUT ROWID;",
    ),
    // 2: compressed hourly chunks with 1-minute and 1-hour rollups.
    Migration::Sql(
        "CREATE TABLE chunks (
            id          INTEGER PRIMARY KEY,
            series_id   INTEGER NOT NULL REFERENCES series(id),
            start_t     INTEGER NOT NULL,
            first_t     INTEGER NOT NULL,
            last_t      INTEGER NOT NULL,
            count       INTEGER NOT NULL,
            min         REAL NOT NULL,
            max         REAL NOT NULL,
            sum         REAL NOT NULL,
            first_v     REAL NOT NULL,
            last_v      REAL NOT NULL,
            data        BLOB NOT NULL,
            UNIQUE (series_id, start_t)
        );
        CREATE TABLE rollup_1m (
            series_id   INTEGER NOT NULL REFERENCES series(id),
            bucket_t    INTEGER NOT NULL,
            count       INTEGER NOT NULL,
            min         REAL NOT NULL,
            max         REAL NOT NULL,
            sum         REAL NOT NULL,
            first_v     REAL NOT NULL,
            last_v      REAL NOT NULL,
            PRIMARY KEY (series_id, bucket_t)
        ) WITHOUT ROWID;
        CREATE TABLE rollup_1h (
            series_id   INTEGER NOT NULL REFERENCES series(id),
            bucket_t    INTEGER NOT NULL,
            count       INTEGER NOT NULL,
            min         REAL NOT NULL,
            max         REAL NOT NULL,
            sum         REAL NOT NULL,
            first_v     REAL NOT NULL,
            last_v      REAL NOT NULL,
            PRIMARY KEY (series_id, bucket_t)
        ) WITHOUT ROWID;",
    ),
    // 3: move version 1's rows into chunks, then drop them.
    Migration::Code(legacy::points_into_chunks),
    // 4: a window may hold several chunks (appended blocks until they are
    // compacted), keyed by their first time; `unsealed` lists the windows
    // that hold more than one.
    Migration::Sql(
        "CREATE TABLE chunks_v4 (
            series_id   INTEGER NOT NULL REFERENCES series(id),
            first_t     INTEGER NOT NULL,
            last_t      INTEGER NOT NULL,
            count       INTEGER NOT NULL,
            min         REAL NOT NULL,
            max         REAL NOT NULL,
            sum         REAL NOT NULL,
            first_v     REAL NOT NULL,
            last_v      REAL NOT NULL,
            data        BLOB NOT NULL,
            PRIMARY KEY (series_id, first_t)
        ) WITHOUT ROWID;
        INSERT INTO chunks_v4
            SELECT series_id, first_t, last_t, count, min, max, sum, first_v, last_v, data FROM chunks;
        DROP TABLE chunks;
        ALTER TABLE chunks_v4 RENAME TO chunks;
        CREATE TABLE unsealed (
            series_id   INTEGER NOT NULL,
            window_t    INTEGER NOT NULL,
            blocks      INTEGER NOT NULL,
            touched_ms  INTEGER NOT NULL,
            PRIMARY KEY (series_id, window_t)
        ) WITHOUT ROWID;",
    ),
    // 5: acknowledged batches not yet applied to chunks and rollups.
    Migration::Sql(
        "CREATE TABLE ingest_log (
            id          INTEGER PRIMARY KEY,
            data        BLOB NOT NULL
        );",
    ),
    // 6: dashboards; panels are a JSON array, read and written whole.
    Migration::Sql(
        "CREATE TABLE dashboards (
            id          INTEGER PRIMARY KEY,
            title       TEXT NOT NULL,
            panels      TEXT NOT NULL,
            updated_ms  INTEGER NOT NULL
        );",
    ),
    // 7: access tokens, kept as the SHA-256 of the secret, never the secret.
    Migration::Sql(
        "CREATE TABLE tokens (
            id          INTEGER PRIMARY KEY,
            name        TEXT NOT NULL,
            scopes      TEXT NOT NULL,
            hash        BLOB NOT NULL UNIQUE,
            hint        TEXT NOT NULL,
            created_ms  INTEGER NOT NULL
        );",
    ),
    // 8: chunks in a rowid table with a separate (series, first time)
    // index. In a WITHOUT ROWID table every key comparison against a row
    // whose blob overflows its page reads the whole overflow chain, so
    // each seek paid for the chunks it passed; an index entry is a few
    // bytes and a rowid seek reads no blob. The index also holds the last
    // time and the count, so that placing a write, planning a query and
    // compaction read the index alone.
    Migration::Sql(
        "CREATE TABLE chunks_v8 (
            id          INTEGER PRIMARY KEY,
            series_id   INTEGER NOT NULL REFERENCES series(id),
            first_t     INTEGER NOT NULL,
            last_t      INTEGER NOT NULL,
            count       INTEGER NOT NULL,
            min         REAL NOT NULL,
            max         REAL NOT NULL,
            sum         REAL NOT NULL,
            first_v     REAL NOT NULL,
            last_v      REAL NOT NULL,
            data        BLOB NOT NULL
        );
        INSERT INTO chunks_v8 (series_id, first_t, last_t, count, min, max, sum, first_v, last_v, data)
            SELECT series_id, first_t, last_t, count, min, max, sum, first_v, last_v, data
            FROM chunks ORDER BY series_id, first_t;
        DROP TABLE chunks;
        ALTER TABLE chunks_v8 RENAME TO chunks;
        CREATE INDEX chunks_by_time ON chunks (series_id, first_t, last_t, count);",
    ),
    // 9: token ids are never reused (AUTOINCREMENT), so an id in a log
    // line or a revocation always means the token it meant.
    Migration::Sql(
        "CREATE TABLE tokens_v9 (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            name        TEXT NOT NULL,
            scopes      TEXT NOT NULL,
            hash        BLOB NOT NULL UNIQUE,
            hint        TEXT NOT NULL,
            created_ms  INTEGER NOT NULL
        );
        INSERT INTO tokens_v9 SELECT id, name, scopes, hash, hint, created_ms FROM tokens;
        DROP TABLE tokens;
        ALTER TABLE tokens_v9 RENAME TO tokens;",
    ),
    // 10: sparse hours (at most 720 points) have no minute rows; their
    // points stand in for them (see `rollups`). Rows of such hours whose
    // points are still kept go; where retention took the points, the rows
    // stay and are read.
    Migration::Sql(
        "DELETE FROM rollup_1m WHERE EXISTS (
            SELECT 1 FROM rollup_1h h
            WHERE h.series_id = rollup_1m.series_id
              AND h.bucket_t = rollup_1m.bucket_t - rollup_1m.bucket_t % 3600000
              AND h.count <= 720
              AND EXISTS (SELECT 1 FROM chunks c
                          WHERE c.series_id = h.series_id AND c.first_t >= h.bucket_t
                            AND c.first_t < h.bucket_t + 3600000));",
    ),
    // 11: dashboard variables, a JSON array like the panels.
    Migration::Sql("ALTER TABLE dashboards ADD COLUMN variables TEXT NOT NULL DEFAULT '[]';"),
    // 12: annotations, read by the window they overlap.
    Migration::Sql(
        "CREATE TABLE annotations (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            dashboard_id INTEGER,
            time_ms      INTEGER NOT NULL,
            end_ms       INTEGER NOT NULL,
            text         TEXT NOT NULL,
            tags         TEXT NOT NULL DEFAULT '[]',
            updated_ms   INTEGER NOT NULL
        );
        CREATE INDEX annotations_by_time ON annotations (time_ms, end_ms);",
    ),
    // 13: alerting: rules, the state of their instances (keyed by their
    // labels as canonical JSON), the state history, contact points and
    // the delivery log.
    Migration::Sql(
        "CREATE TABLE alert_rules (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            name        TEXT NOT NULL,
            spec        TEXT NOT NULL,
            updated_ms  INTEGER NOT NULL
        );
        CREATE TABLE alert_instances (
            rule_id     INTEGER NOT NULL,
            labels      TEXT NOT NULL,
            state       TEXT NOT NULL,
            value       REAL,
            value_at    INTEGER,
            notified    TEXT,
            PRIMARY KEY (rule_id, labels)
        ) WITHOUT ROWID;
        CREATE TABLE alert_history (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            rule_id     INTEGER NOT NULL,
            labels      TEXT NOT NULL,
            time_ms     INTEGER NOT NULL,
            state       TEXT NOT NULL,
            previous    TEXT NOT NULL,
            severity    TEXT,
            value       REAL,
            message     TEXT
        );
        CREATE INDEX alert_history_by_time ON alert_history (time_ms);
        CREATE INDEX alert_history_by_rule ON alert_history (rule_id, time_ms);
        CREATE TABLE contact_points (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            name        TEXT NOT NULL,
            spec        TEXT NOT NULL,
            updated_ms  INTEGER NOT NULL
        );
        CREATE TABLE alert_deliveries (
            id               INTEGER PRIMARY KEY AUTOINCREMENT,
            time_ms          INTEGER NOT NULL,
            contact_point_id INTEGER NOT NULL,
            rule_id          INTEGER,
            event            TEXT NOT NULL,
            attempt          INTEGER NOT NULL,
            ok               INTEGER NOT NULL,
            answer           TEXT NOT NULL
        );
        CREATE INDEX alert_deliveries_by_time ON alert_deliveries (time_ms);",
    ),
    // 14: silences, read whole (there are few; expired ones are deleted
    // by retention).
    Migration::Sql(
        "CREATE TABLE silences (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            matchers    TEXT NOT NULL,
            starts_ms   INTEGER NOT NULL,
            ends_ms     INTEGER NOT NULL,
            created_by  TEXT NOT NULL,
            comment     TEXT NOT NULL,
            daily       TEXT,
            updated_ms  INTEGER NOT NULL
        );",
    ),
    // 15: Web Push: the server's VAPID key (one row) and the browsers
    // subscribed to notifications.
    Migration::Sql(
        "CREATE TABLE push_key (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            secret      BLOB NOT NULL
        );
        CREATE TABLE push_subscriptions (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            endpoint    TEXT NOT NULL UNIQUE,
            p256dh      TEXT NOT NULL,
            auth        TEXT NOT NULL,
            created_ms  INTEGER NOT NULL
        );",
    ),
];

/// The version a fully migrated database has.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > LATEST {
        return Err(StoreError::SchemaTooNew { found, known: LATEST });
    }
    for (version, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        match step {
            Migration::Sql(sql) => tx.execute_batch(sql)?,
            Migration::Code(run) => run(&tx)?,
        }
        tx.pragma_update(None, "user_version", version as i64 + 1)?;
        tx.commit()?;
        tracing::info!(version = version + 1, "database migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_is_idempotent() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, LATEST);
    }

    #[test]
    fn chunk_lookups_seek_the_time_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        // (query, whether the index alone answers it)
        for (sql, covering) in [
            ("SELECT first_t, last_t, data FROM chunks WHERE series_id = 1 AND first_t >= 0 AND first_t <= 9", false),
            ("DELETE FROM chunks WHERE series_id = 1 AND first_t >= 0 AND first_t <= 9", true),
            ("SELECT last_t FROM chunks WHERE series_id = 1 AND first_t < 5 ORDER BY first_t DESC LIMIT 1", true),
            ("SELECT first_t, last_t FROM chunks WHERE series_id = 1 AND first_t >= 0 AND first_t <= 9 AND last_t >= 3", true),
            ("SELECT coalesce(sum(count), 0) FROM chunks WHERE series_id = 1 AND first_t >= 0 AND first_t <= 9", true),
        ] {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map([], |r| r.get(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let wanted = if covering { "USING COVERING INDEX chunks_by_time (series_id=? AND first_t" } else { "USING INDEX chunks_by_time (series_id=? AND first_t" };
            assert!(plan.iter().any(|step| step.contains(wanted)), "{sql}: {plan:?}");
        }
    }

    #[test]
    fn sparse_hours_lose_their_minute_rows_while_their_points_are_kept() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO series (key, name, labels, created_ms) VALUES ('a', 'a', '{}', 0);
             INSERT INTO rollup_1h (series_id, bucket_t, count, min, max, sum, first_v, last_v)
                VALUES (1, 0, 2, 0, 1, 1, 0, 1), (1, 3600000, 2, 0, 1, 1, 0, 1), (1, 7200000, 900, 0, 1, 1, 0, 1);
             INSERT INTO rollup_1m (series_id, bucket_t, count, min, max, sum, first_v, last_v)
                VALUES (1, 60000, 2, 0, 1, 1, 0, 1), (1, 3660000, 2, 0, 1, 1, 0, 1), (1, 7260000, 900, 0, 1, 1, 0, 1);
             INSERT INTO chunks (series_id, first_t, last_t, count, min, max, sum, first_v, last_v, data)
                VALUES (1, 60000, 61000, 2, 0, 1, 1, 0, 1, x'00'), (1, 7260000, 7261000, 900, 0, 1, 1, 0, 1, x'00');",
        )
        .unwrap();
        let Migration::Sql(sql) = MIGRATIONS[9] else {
            panic!("step 10 is SQL")
        };
        conn.execute_batch(sql).unwrap();
        let left: Vec<i64> = conn
            .prepare("SELECT bucket_t FROM rollup_1m ORDER BY bucket_t")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(left, [3_660_000, 7_260_000], "points expired: kept; dense: kept");
    }

    #[test]
    fn refuses_a_newer_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", LATEST + 1).unwrap();
        assert!(matches!(migrate(&mut conn), Err(StoreError::SchemaTooNew { .. })));
    }

    #[test]
    fn version_one_points_move_into_chunks() {
        let mut conn = Connection::open_in_memory().unwrap();
        {
            let tx = conn.transaction().unwrap();
            for step in &MIGRATIONS[..1] {
                if let Migration::Sql(sql) = step {
                    tx.execute_batch(sql).unwrap();
                }
            }
            tx.pragma_update(None, "user_version", 1).unwrap();
            tx.execute_batch(
                "INSERT INTO series (id, key, name, labels, created_ms, count) VALUES (1, 'a', 'a', '{}', 0, 3);
                 INSERT INTO points VALUES (1, 1000, 1.5), (1, 2000, 2.5), (1, 3600000, 3.5);",
            )
            .unwrap();
            tx.commit().unwrap();
        }
        migrate(&mut conn).unwrap();
        let points = crate::store::chunks::scan::points(&conn, 1, 0, 10_000_000).unwrap();
        assert_eq!(points, [(1000, 1.5), (2000, 2.5), (3_600_000, 3.5)]);
        let (count, last_v): (i64, f64) = conn
            .query_row("SELECT count, last_v FROM series WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((count, last_v), (3, 3.5));
        let chunks: i64 = conn.query_row("SELECT count(*) FROM chunks", [], |r| r.get(0)).unwrap();
        assert_eq!(chunks, 2, "two hour windows");
    }
}
