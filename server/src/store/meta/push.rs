//! Web Push: the server's VAPID key, made once and kept (browsers
//! subscribed with its public half), and the browsers' subscriptions.

use super::{Store, StoreError};
use app::model::PushSubscription;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// The stored VAPID secret, or `made` stored now if there is none (a
    /// key made concurrently elsewhere wins: the stored one comes back).
    pub async fn push_key(&self, made: Vec<u8>) -> Result<Vec<u8>, StoreError> {
        self.on_writer(move |conn| {
            conn.prepare_cached("INSERT OR IGNORE INTO push_key (id, secret) VALUES (1, ?1)")?
                .execute([&made])?;
            Ok(conn
                .prepare_cached("SELECT secret FROM push_key WHERE id = 1")?
                .query_row([], |r| r.get(0))?)
        })
        .await
    }

    /// Every subscribed browser.
    pub async fn push_subscriptions(&self) -> Result<Vec<PushSubscription>, StoreError> {
        self.on_reader(|conn| {
            let mut stmt = conn.prepare_cached("SELECT endpoint, p256dh, auth FROM push_subscriptions ORDER BY id")?;
            let rows = stmt.query_map([], |r| {
                Ok(PushSubscription {
                    endpoint: r.get(0)?,
                    keys: app::model::PushKeys {
                        p256dh: r.get(1)?,
                        auth: r.get(2)?,
                    },
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Stores a browser's subscription (again: its keys are replaced).
    pub async fn add_push_subscription(&self, s: PushSubscription) -> Result<(), StoreError> {
        let now = crate::clock::now_ms();
        self.on_writer(move |conn| {
            conn.prepare_cached(
                "INSERT INTO push_subscriptions (endpoint, p256dh, auth, created_ms) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth",
            )?
            .execute(params![s.endpoint, s.keys.p256dh, s.keys.auth, now])?;
            Ok(())
        })
        .await
    }

    /// Forgets the subscription at `endpoint`; false when there was none.
    pub async fn delete_push_subscription(&self, endpoint: String) -> Result<bool, StoreError> {
        self.on_writer(move |conn| {
            Ok(conn
                .prepare_cached("DELETE FROM push_subscriptions WHERE endpoint = ?1")?
                .execute([endpoint])?
                > 0)
        })
        .await
    }

    /// Whether a browser subscribed at `endpoint`.
    pub async fn has_push_subscription(&self, endpoint: String) -> Result<bool, StoreError> {
        self.on_reader(move |conn| {
            Ok(conn
                .prepare_cached("SELECT 1 FROM push_subscriptions WHERE endpoint = ?1")?
                .query_row([endpoint], |_| Ok(()))
                .optional()?
                .is_some())
        })
        .await
    }
}
