//! One module per subcommand.

pub mod check;
pub mod explain;
pub mod init;
pub mod profile_show;
pub mod profiles;
pub mod rules;
pub mod schema;
pub mod server;
