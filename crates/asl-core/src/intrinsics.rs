//! (module `intrinsics`: being written; see lib.rs for the plan)
