//! (module `parse`: being written; see lib.rs for the plan)
