//! Whether reads need a token: the server's one switch between an open
//! dashboard on a trusted network and a private one.

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
