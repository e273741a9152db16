//! (module `validate`: being written; see lib.rs for the plan)
