//! The `token` subcommand: manages tokens in the database file directly,
//! so the first token can be made before any exists, and works while the
//! server runs (it re-reads tokens within seconds).

use crate::auth::issue;
use crate::config::{Config, TokenCommand};
use crate::store::Store;
use std::error::Error;

/// Runs `command` against the database `config` names.
pub async fn token(config: &Config, command: &TokenCommand) -> Result<(), Box<dyn Error>> {
    let store = Store::open(&config.db_path(), 1).await?;
    match command {
        TokenCommand::Create { name, scope } => {
            let (secret, stored) = issue(&store, name, *scope).await?;
            // The secret alone on standard output, so `T=$(sensorboard
            // token create ...)` captures it; the rest on standard error.
            println!("{secret}");
            eprintln!(
                "created token {} \"{}\" with scopes {}; it is shown only now, store it safely",
                stored.id, stored.name, stored.scopes
            );
        }
        TokenCommand::List => {
            println!(
                "{:>4}  {:<14}  {:<18}  {:<24}  name",
                "id", "starts with", "scopes", "created"
            );
            for t in store.tokens().await? {
                let created = crate::clock::rfc3339(t.created_ms);
                println!(
                    "{:>4}  {:<14}  {:<18}  {:<24}  {}",
                    t.id,
                    format!("{}…", t.hint),
                    t.scopes.to_string(),
                    created,
                    t.name
                );
            }
        }
        TokenCommand::Revoke { id } => {
            if !store.revoke_token(*id).await? {
                return Err(format!("there is no token {id}").into());
            }
            eprintln!("revoked token {id}");
        }
    }
    Ok(())
}
