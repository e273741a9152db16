//! (module `diag`: being written; see lib.rs for the plan)
