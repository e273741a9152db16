//! (module `template`: being written; see lib.rs for the plan)
// Placeholder so the crate builds until templates land (owned by the path engineer).
#[derive(Clone, Debug)]
pub struct Template {
    _private: (),
}
