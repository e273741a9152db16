//! (module `path`: being written; see lib.rs for the plan)
// Placeholder so the crate builds until the JSONPath engine lands (owned by the path engineer).
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    text: std::sync::Arc<str>,
}
