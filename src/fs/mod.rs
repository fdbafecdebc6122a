//! The file system as archlint may use it on a stranger's repository: reads confined
//! to the repository, paths shown as the user wrote them, atomic writes, and the
//! per-run cache of what exists in a repository.

pub mod atomic;
pub mod checkout;
pub mod confine;
pub mod history;
pub mod repo;
pub mod syspath;
pub mod system;
