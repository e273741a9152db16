//! Browser localStorage, the app's only persistence: the user's work survives a reload.
//!
//! Owns the key names and the fallible access (storage can be disabled or full); callers get
//! `Option`s and never see a JS exception.

/// One value the app keeps across reloads.
#[derive(Clone, Copy)]
pub enum Key {
    Definition,
    Input,
    Mocks,
    Example,
    Theme,
    /// STANDARD or EXPRESS.
    WorkflowType,
    /// Lint codes silenced in this session, comma-separated.
    AllowedLints,
    /// Placeholder values, a DefinitionSubstitutions-shaped JSON object.
    Substitutions,
    /// The state machine picked in a template with several.
    LogicalId,
}

impl Key {
    fn name(self) -> &'static str {
        match self {
            Key::Definition => "asl-playground.definition",
            Key::Input => "asl-playground.input",
            Key::Mocks => "asl-playground.mocks",
            Key::Example => "asl-playground.example",
            Key::Theme => "asl-playground.theme",
            Key::WorkflowType => "asl-playground.workflow-type",
            Key::AllowedLints => "asl-playground.allowed-lints",
            Key::Substitutions => "asl-playground.substitutions",
            Key::LogicalId => "asl-playground.logical-id",
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: Key) -> Option<String> {
    local_storage()?.get_item(key.name()).ok().flatten()
}

/// Stores a value; a full or disabled storage is ignored (the page keeps working, unsaved).
pub fn set(key: Key, value: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(key.name(), value);
    }
}
