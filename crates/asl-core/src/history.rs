//! (module `history`: being written; see lib.rs for the plan)
