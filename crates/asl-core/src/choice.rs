//! (module `choice`: being written; see lib.rs for the plan)
