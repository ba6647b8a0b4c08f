//! In-memory databases for the store's unit tests.

use rusqlite::Connection;

/// An empty database at the newest schema.
pub fn migrated() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    super::schema::migrate(&mut conn).unwrap();
    conn
}

/// A database holding one series, id 1, key `a`, and no points.
pub fn one_series() -> Connection {
    let conn = migrated();
    conn.execute(
        "INSERT INTO series (id, key, name, labels, created_ms) VALUES (1, 'a', 'a', '{}', 0)",
        [],
    )
    .unwrap();
    conn
}
