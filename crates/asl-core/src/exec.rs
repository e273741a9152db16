//! (module `exec`: being written; see lib.rs for the plan)
