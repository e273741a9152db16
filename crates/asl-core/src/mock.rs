//! (module `mock`: being written; see lib.rs for the plan)
