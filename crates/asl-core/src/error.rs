//! Runtime errors as AWS names them.
//!
//! Owns [`ErrorName`] (the `States.*` names and user/task error names) and [`ExecError`] (an error
//! name plus AWS's cause text), the value every failing evaluation returns. Static (definition)
//! problems are diagnostics ([`crate::diag`]), not these.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// An error name as it appears in `ErrorEquals`, `Error` fields and history events.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ErrorName {
    /// `States.ALL` (matches any error name except `States.DataLimitExceeded`... see retry rules).
    All,
    HeartbeatTimeout,
    Timeout,
    TaskFailed,
    Permissions,
    ResultPathMatchFailure,
    ParameterPathFailure,
    QueryEvaluationError,
    BranchFailed,
    /// The specification's name for a Choice state without a match; AWS raises `States.Runtime`
    /// instead (see `crate::exec`), but the name stays valid in `ErrorEquals`.
    NoChoiceMatched,
    /// The specification's name for a failed intrinsic function; AWS raises `States.Runtime`
    /// instead (see [`crate::intrinsics`]), but the name stays valid in `ErrorEquals`.
    IntrinsicFailure,
    ExceedToleratedFailureThreshold,
    ItemReaderFailed,
    ResultWriterFailed,
    Runtime,
    DataLimitExceeded,
    /// Any other name (task errors such as `Lambda.ServiceException`, custom Fail errors).
    Custom(Arc<str>),
}

impl ErrorName {
    pub fn as_str(&self) -> &str {
        match self {
            ErrorName::All => "States.ALL",
            ErrorName::HeartbeatTimeout => "States.HeartbeatTimeout",
            ErrorName::Timeout => "States.Timeout",
            ErrorName::TaskFailed => "States.TaskFailed",
            ErrorName::Permissions => "States.Permissions",
            ErrorName::ResultPathMatchFailure => "States.ResultPathMatchFailure",
            ErrorName::ParameterPathFailure => "States.ParameterPathFailure",
            ErrorName::QueryEvaluationError => "States.QueryEvaluationError",
            ErrorName::BranchFailed => "States.BranchFailed",
            ErrorName::NoChoiceMatched => "States.NoChoiceMatched",
            ErrorName::IntrinsicFailure => "States.IntrinsicFailure",
            ErrorName::ExceedToleratedFailureThreshold => "States.ExceedToleratedFailureThreshold",
            ErrorName::ItemReaderFailed => "States.ItemReaderFailed",
            ErrorName::ResultWriterFailed => "States.ResultWriterFailed",
            ErrorName::Runtime => "States.Runtime",
            ErrorName::DataLimitExceeded => "States.DataLimitExceeded",
            ErrorName::Custom(s) => s,
        }
    }

    /// The name for a string, recognising the predefined `States.*` names.
    pub fn parse(s: &str) -> ErrorName {
        match s {
            "States.ALL" => ErrorName::All,
            "States.HeartbeatTimeout" => ErrorName::HeartbeatTimeout,
            "States.Timeout" => ErrorName::Timeout,
            "States.TaskFailed" => ErrorName::TaskFailed,
            "States.Permissions" => ErrorName::Permissions,
            "States.ResultPathMatchFailure" => ErrorName::ResultPathMatchFailure,
            "States.ParameterPathFailure" => ErrorName::ParameterPathFailure,
            "States.QueryEvaluationError" => ErrorName::QueryEvaluationError,
            "States.BranchFailed" => ErrorName::BranchFailed,
            "States.NoChoiceMatched" => ErrorName::NoChoiceMatched,
            "States.IntrinsicFailure" => ErrorName::IntrinsicFailure,
            "States.ExceedToleratedFailureThreshold" => ErrorName::ExceedToleratedFailureThreshold,
            "States.ItemReaderFailed" => ErrorName::ItemReaderFailed,
            "States.ResultWriterFailed" => ErrorName::ResultWriterFailed,
            "States.Runtime" => ErrorName::Runtime,
            "States.DataLimitExceeded" => ErrorName::DataLimitExceeded,
            other => ErrorName::Custom(other.into()),
        }
    }
}

impl fmt::Display for ErrorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A runtime failure: AWS's error name and cause text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExecError {
    pub error: ErrorName,
    pub cause: String,
}

impl ExecError {
    pub fn new(error: ErrorName, cause: impl Into<String>) -> Self {
        ExecError {
            error,
            cause: cause.into(),
        }
    }

    pub fn runtime(cause: impl Into<String>) -> Self {
        ExecError::new(ErrorName::Runtime, cause)
    }
}

impl fmt::Display for ExecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

impl std::error::Error for ExecError {}
