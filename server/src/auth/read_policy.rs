//! Whether reads and dashboard edits need a token: the server's switches
//! between an open dashboard on a trusted network and a private one.

/// Who may read (queries, series, exports, dashboards, metrics).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ReadPolicy {
    /// Anyone who can reach the server.
    #[default]
    Public,
    /// Only requests with a `read` (or `admin`) token, or a browser signed
    /// in with one.
    Token,
}

/// Who may change dashboards (`--edit-access`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EditPolicy {
    /// Anyone who may read.
    Public,
    /// Only with a token holding the read and write scopes (a browser
    /// signed in with one counts).
    Token,
}
