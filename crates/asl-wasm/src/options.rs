//! The option objects of the JS API, read from JSON-like values into asl-core's types.
//!
//! Owns the shapes `validate`'s `{type, allow, lints, substitutions, logicalId}`, `render`'s
//! `{theme, idPrefix, substitutions, logicalId}`, `Execution.start`'s `{mocks, testCase,
//! stateMachine, seed, startTime, maxTransitions, type, substitutions, logicalId}`, `cost`'s
//! `{executionsPerMonth, prices}`, `lints`' `{allow}`, the recorded-history functions'
//! `{describe, type, format, stateMachine, testCase, seed}`, `evaluateJsonata`'s `{maxDepth, maxSteps, now, seed}` and `completeTask`'s `{output}` /
//! `{error, cause}`, and their error messages. Values arrive as [`Value`] (converted from JS
//! first), so all of this is plain Rust and tested natively. Unknown keys are errors: a typo such
//! as `{maxTransition: 10}` must not be silently ignored. What the options mean is asl-core's and
//! asl-graph's business.

use asl_core::cost::Prices;
use asl_core::error::{ErrorName, ExecError};
use asl_core::exec::timestamp;
use asl_core::exec::{ExecOptions, TaskResult};
use asl_core::jsonata::EvalEnv;
use asl_core::lint::LintOptions;
use asl_core::mock::Mocks;
use asl_core::value::{Object, Value};
use asl_core::{LoadOptions, WorkflowType};
use asl_graph::{RenderOptions, Theme};

/// An options argument: `undefined`/`null` is "no options", anything but an object is an error.
fn object<'a>(v: &'a Value, what: &str, allowed: &[&str]) -> Result<Option<&'a Object>, String> {
    let obj = match v {
        Value::Null => return Ok(None),
        Value::Object(o) => o,
        other => {
            return Err(format!(
                "{what} must be an object, not {}",
                other.type_name()
            ));
        }
    };
    if let Some(key) = obj.keys().find(|k| !allowed.contains(&&***k)) {
        return Err(format!(
            "{what}: unknown option \"{key}\" (expected one of: {})",
            allowed.join(", ")
        ));
    }
    Ok(Some(obj))
}

/// A present, non-null field.
fn field<'a>(obj: &'a Object, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

fn string<'a>(obj: &'a Object, key: &str, what: &str) -> Result<Option<&'a str>, String> {
    match field(obj, key) {
        None => Ok(None),
        Some(v) => v
            .as_str()
            .map(Some)
            .ok_or_else(|| format!("{what}: \"{key}\" must be a string")),
    }
}

/// A non-negative integer (JS numbers are exact up to 2^53).
fn count(obj: &Object, key: &str, what: &str) -> Result<Option<u64>, String> {
    match field(obj, key) {
        None => Ok(None),
        Some(v) => match v.as_number().and_then(|n| n.as_u64()) {
            Some(n) => Ok(Some(n)),
            None => Err(format!("{what}: \"{key}\" must be a non-negative integer")),
        },
    }
}

/// The options every entry point takes: how to read the definition.
const LOAD_KEYS: [&str; 2] = ["substitutions", "logicalId"];

/// How to read the definition (`{substitutions?, logicalId?}`), from the options of `render`
/// or `Execution.start` (which check the other keys themselves), on top of `base`.
pub fn load_options_of(v: &Value, what: &str, base: LoadOptions) -> Result<LoadOptions, String> {
    match v {
        Value::Object(obj) => load_options(obj, what, base),
        _ => Ok(base),
    }
}

/// `base` with the placeholder values (`{"Name": "value"}`, the shape of
/// DefinitionSubstitutions) and, in a template, the state machine's logical id.
fn load_options(obj: &Object, what: &str, base: LoadOptions) -> Result<LoadOptions, String> {
    let mut opts = LoadOptions {
        logical_id: string(obj, "logicalId", what)?.map(str::to_string),
        ..base
    };
    if let Some(subs) = field(obj, "substitutions") {
        let Value::Object(subs) = subs else {
            return Err(format!(
                "{what}: \"substitutions\" must be an object {{\"Name\": \"value\", …}}"
            ));
        };
        for (name, value) in subs.iter() {
            let value = match value {
                Value::String(s) => s.to_string(),
                Value::Number(_) | Value::Bool(_) => value.to_json_string(),
                _ => {
                    return Err(format!(
                        "{what}: substitution \"{name}\" must be a string, number or boolean"
                    ));
                }
            };
            opts.substitutions.insert(name.to_string(), value);
        }
    }
    Ok(opts)
}

/// `render(text, {theme?, idPrefix?, substitutions?, logicalId?})`.
pub fn render_options(v: &Value) -> Result<RenderOptions, String> {
    const WHAT: &str = "render options";
    let mut opts = RenderOptions::default();
    let Some(obj) = object(v, WHAT, &["theme", "idPrefix", LOAD_KEYS[0], LOAD_KEYS[1]])? else {
        return Ok(opts);
    };
    if let Some(theme) = string(obj, "theme", WHAT)? {
        opts.theme = match theme {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            "auto" => Theme::Auto,
            other => {
                return Err(format!(
                    "{WHAT}: theme \"{other}\" is not \"light\", \"dark\" or \"auto\""
                ));
            }
        };
    }
    opts.id_prefix = string(obj, "idPrefix", WHAT)?.map(str::to_string);
    Ok(opts)
}

/// `type`: "STANDARD" (default) or "EXPRESS".
fn workflow_type(obj: &Object, what: &str) -> Result<WorkflowType, String> {
    match string(obj, "type", what)? {
        None => Ok(WorkflowType::Standard),
        Some(t) => t.parse().map_err(|e| format!("{what}: {e}")),
    }
}

/// `allow`: lint codes to silence.
fn allow(obj: &Object, lint: &mut LintOptions, what: &str) -> Result<(), String> {
    let Some(v) = field(obj, "allow") else {
        return Ok(());
    };
    let list = match v {
        Value::Array(a) => a,
        _ => return Err(format!("{what}: \"allow\" must be an array of lint codes")),
    };
    let names: Vec<&str> = list
        .iter()
        .map(|c| {
            c.as_str()
                .ok_or_else(|| format!("{what}: \"allow\" must be an array of lint codes"))
        })
        .collect::<Result<_, _>>()?;
    lint.allow_names(names).map_err(|e| format!("{what}: {e}"))
}

/// `validate(text, {type?, allow?, lints?, substitutions?, logicalId?})`: the workflow type's
/// rules and the definition lints (on unless `lints: false`), minus the `allow`ed codes; how to
/// read the definition ([`load_options_of`]).
pub fn validate_options(v: &Value) -> Result<LoadOptions, String> {
    const WHAT: &str = "validate options";
    let allowed = ["type", "allow", "lints", LOAD_KEYS[0], LOAD_KEYS[1]];
    let Some(obj) = object(v, WHAT, &allowed)? else {
        return Ok(LoadOptions::for_type(WorkflowType::Standard));
    };
    let ty = workflow_type(obj, WHAT)?;
    let mut opts = load_options(obj, WHAT, LoadOptions::for_type(ty))?;
    allow(obj, &mut opts.lint, WHAT)?;
    match field(obj, "lints") {
        None => {}
        Some(Value::Bool(b)) => opts.lints = *b,
        Some(_) => return Err(format!("{WHAT}: \"lints\" must be a boolean")),
    }
    Ok(opts)
}

/// What `Execution.start` is given besides the definition and input.
#[derive(Clone, Debug)]
pub struct StartOptions {
    pub exec: ExecOptions,
    pub workflow_type: WorkflowType,
}

/// What a run is given besides the definition: `Execution.start`'s options less `type` and the
/// load keys, the whole of `StateMachine.start`'s.
const RUN_KEYS: [&str; 6] = [
    "mocks",
    "testCase",
    "stateMachine",
    "seed",
    "startTime",
    "maxTransitions",
];

/// `Execution.start(definition, input, {mocks?, testCase?, stateMachine?, seed?, startTime?,
/// maxTransitions?, type?, substitutions?, logicalId?})`; the last two are read by
/// [`load_options_of`].
pub fn exec_options(v: &Value) -> Result<StartOptions, String> {
    const WHAT: &str = "Execution options";
    let allowed = [
        RUN_KEYS[0],
        RUN_KEYS[1],
        RUN_KEYS[2],
        RUN_KEYS[3],
        RUN_KEYS[4],
        RUN_KEYS[5],
        "type",
        LOAD_KEYS[0],
        LOAD_KEYS[1],
    ];
    let Some(obj) = object(v, WHAT, &allowed)? else {
        return Ok(StartOptions {
            exec: ExecOptions::default(),
            workflow_type: WorkflowType::Standard,
        });
    };
    let ty = workflow_type(obj, WHAT)?;
    Ok(StartOptions {
        exec: run_fields(obj, ty, WHAT)?,
        workflow_type: ty,
    })
}

/// `StateMachine.load(definition, {type?, substitutions?, logicalId?})`: the workflow type and
/// how to read the definition.
pub fn machine_options(v: &Value) -> Result<(WorkflowType, LoadOptions), String> {
    const WHAT: &str = "StateMachine options";
    let Some(obj) = object(v, WHAT, &["type", LOAD_KEYS[0], LOAD_KEYS[1]])? else {
        return Ok((WorkflowType::Standard, LoadOptions::default()));
    };
    let ty = workflow_type(obj, WHAT)?;
    let load = load_options(
        obj,
        WHAT,
        LoadOptions {
            workflow_type: ty,
            ..LoadOptions::default()
        },
    )?;
    Ok((ty, load))
}

/// `machine.start(input, {mocks?, testCase?, stateMachine?, seed?, startTime?, maxTransitions?})`
/// for a machine loaded as `ty`.
pub fn run_options(v: &Value, ty: WorkflowType) -> Result<ExecOptions, String> {
    const WHAT: &str = "StateMachine.start options";
    match object(v, WHAT, &RUN_KEYS)? {
        Some(obj) => run_fields(obj, ty, WHAT),
        None => run_fields(&Object::default(), ty, WHAT),
    }
}

fn run_fields(obj: &Object, ty: WorkflowType, what: &str) -> Result<ExecOptions, String> {
    let mut opts = ExecOptions::default();
    let test_case = string(obj, "testCase", what)?;
    let state_machine = string(obj, "stateMachine", what)?;
    if let Some(m) = field(obj, "mocks") {
        opts.mocks = std::sync::Arc::new(mocks(m, test_case, state_machine)?);
    } else if test_case.is_some() {
        return Err(format!(
            "{what}: \"testCase\" needs \"mocks\" (a MockConfigFile)"
        ));
    }
    if let Some(seed) = count(obj, "seed", what)? {
        opts.env.seed = seed;
    }
    if let Some(t) = field(obj, "startTime") {
        opts.env.start_time_ms = start_time(t)?;
    }
    let max_transitions = count(obj, "maxTransitions", what)?;
    opts.limits = ty.run_limits(max_transitions);
    Ok(opts)
}

/// `execution.cost({executionsPerMonth?, prices?})`: N runs a month (default 1,000,000) and
/// prices overriding the defaults field by field (`{perTransition, perRequest, …}`).
pub fn cost_options(v: &Value) -> Result<(u64, Prices), String> {
    const WHAT: &str = "cost options";
    let Some(obj) = object(v, WHAT, &["executionsPerMonth", "prices"])? else {
        return Ok((1_000_000, Prices::default()));
    };
    let n = count(obj, "executionsPerMonth", WHAT)?.unwrap_or(1_000_000);
    let prices = match field(obj, "prices") {
        None => Prices::default(),
        Some(p) => serde_json::from_str(&p.to_json_string())
            .map_err(|e| format!("{WHAT}: \"prices\": {e}"))?,
    };
    Ok((n, prices))
}

/// `execution.lints({allow?})`.
pub fn lint_options(v: &Value, ty: WorkflowType) -> Result<LintOptions, String> {
    const WHAT: &str = "lint options";
    let mut lint = LintOptions {
        workflow_type: ty,
        ..LintOptions::default()
    };
    if let Some(obj) = object(v, WHAT, &["allow"])? {
        allow(obj, &mut lint, WHAT)?;
    }
    Ok(lint)
}

/// The playground's state → mock map, or an AWS Step Functions Local MockConfigFile with the test
/// case to use.
pub fn mocks(
    v: &Value,
    test_case: Option<&str>,
    state_machine: Option<&str>,
) -> Result<Mocks, String> {
    if Mocks::is_mock_config(v) {
        let case = test_case.ok_or(
            "the mocks are a MockConfigFile: choose a test case with the \"testCase\" option",
        )?;
        Mocks::from_mock_config(v, state_machine, case).map_err(|e| format!("mocks: {e}"))
    } else if test_case.is_some() {
        Err("\"testCase\" applies to a MockConfigFile (with \"StateMachines\"), not to a state → mock map".into())
    } else {
        Mocks::from_value(v).map_err(|e| format!("mocks: {e}"))
    }
}

/// `machine.withMocks(mocks, {testCase?, stateMachine?})`: [`mocks`] with the MockConfigFile's
/// test case (and state machine) from the options.
pub fn mocks_with_options(m: &Value, v: &Value) -> Result<Mocks, String> {
    const WHAT: &str = "withMocks options";
    let Some(obj) = object(v, WHAT, &["testCase", "stateMachine"])? else {
        return mocks(m, None, None);
    };
    mocks(
        m,
        string(obj, "testCase", WHAT)?,
        string(obj, "stateMachine", WHAT)?,
    )
}

/// Milliseconds since the Unix epoch, or an RFC 3339 timestamp (`2024-01-01T00:00:00Z`).
fn start_time(v: &Value) -> Result<i64, String> {
    const MSG: &str = "\"startTime\" must be milliseconds since the Unix epoch or an RFC 3339 timestamp such as \"2024-01-01T00:00:00Z\"";
    match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| MSG.to_string()),
        Value::String(s) => timestamp::parse_nanos(s)
            .and_then(|ns| i64::try_from(ns.div_euclid(1_000_000)).ok())
            .ok_or_else(|| format!("{MSG} (got \"{s}\")")),
        _ => Err(MSG.to_string()),
    }
}

/// `completeTask(token, {output})` or `completeTask(token, {error, cause?})`.
pub fn task_answer(v: &Value) -> Result<TaskResult, String> {
    const WHAT: &str = "the task answer";
    const SHAPE: &str = "expected {output: …} or {error: \"Name\", cause?: \"…\"}";
    let obj = match v {
        Value::Object(o) => o,
        other => {
            return Err(format!(
                "{WHAT} must be an object ({SHAPE}), not {}",
                other.type_name()
            ));
        }
    };
    object(v, WHAT, &["output", "error", "cause"])?;
    match (obj.get("output"), string(obj, "error", WHAT)?) {
        (Some(output), None) if !obj.contains_key("cause") => Ok(Ok(output.clone())),
        (None, Some(error)) => {
            let cause = string(obj, "cause", WHAT)?.unwrap_or("");
            Ok(Err(ExecError::new(ErrorName::parse(error), cause)))
        }
        _ => Err(format!("{WHAT}: {SHAPE}")),
    }
}

/// `evaluateJsonata`'s `{maxDepth, maxSteps, now, seed}`: the evaluation's limits, virtual
/// clock (ms since the epoch, for `$now()`/`$millis()`) and `$random` seed, over asl-core's
/// defaults.
pub fn jsonata_options(v: &Value) -> Result<EvalEnv, String> {
    const WHAT: &str = "evaluateJsonata options";
    let mut env = EvalEnv::default();
    let Some(obj) = object(v, WHAT, &["maxDepth", "maxSteps", "now", "seed"])? else {
        return Ok(env);
    };
    if let Some(d) = count(obj, "maxDepth", WHAT)? {
        env.max_depth = usize::try_from(d).unwrap_or(usize::MAX);
    }
    if let Some(s) = count(obj, "maxSteps", WHAT)? {
        env.max_steps = s;
    }
    if let Some(now) = field(obj, "now") {
        env.now_ms = now
            .as_number()
            .and_then(|n| n.as_i64())
            .ok_or_else(|| format!("{WHAT}: \"now\" must be an integer (ms since the epoch)"))?;
    }
    if let Some(seed) = count(obj, "seed", WHAT)? {
        env.seed = seed;
    }
    Ok(env)
}

/// What `importHistory`, `mocksFromHistory`, `compareHistory` and the exporters are given:
/// `{describe?, type?, substitutions?, logicalId?, format?, stateMachine?, testCase?, seed?}`
/// (each function allows the keys it reads).
#[derive(Clone, Debug, Default)]
pub struct RecordedOptions {
    pub load: LoadOptions,
    /// `describe-execution` output, as text.
    pub describe: Option<String>,
    /// `mock-config` (a MockConfigFile) rather than the native mocks.
    pub mock_config: bool,
    pub state_machine: Option<String>,
    pub test_case: Option<String>,
    pub seed: Option<u64>,
}

pub fn recorded_options(
    v: &Value,
    what: &str,
    allowed: &[&str],
) -> Result<RecordedOptions, String> {
    let mut all: Vec<&str> = allowed.to_vec();
    all.extend(LOAD_KEYS);
    let Some(obj) = object(v, what, &all)? else {
        return Ok(RecordedOptions::default());
    };
    let ty = workflow_type(obj, what)?;
    let load = load_options(
        obj,
        what,
        LoadOptions {
            workflow_type: ty,
            ..LoadOptions::default()
        },
    )?;
    let describe = match field(obj, "describe") {
        None => None,
        Some(Value::String(s)) => Some(s.to_string()),
        Some(d @ Value::Object(_)) => Some(d.to_json_pretty()),
        Some(_) => {
            return Err(format!(
                "{what}: \"describe\" must be describe-execution's output (text or object)"
            ));
        }
    };
    let mock_config = match string(obj, "format", what)? {
        None | Some("native") => false,
        Some("mock-config") => true,
        Some(f) => {
            return Err(format!(
                "{what}: \"format\" is \"native\" or \"mock-config\", not \"{f}\""
            ));
        }
    };
    Ok(RecordedOptions {
        load,
        describe,
        mock_config,
        state_machine: string(obj, "stateMachine", what)?.map(str::to_string),
        test_case: string(obj, "testCase", what)?.map(str::to_string),
        seed: count(obj, "seed", what)?,
    })
}

/// The input of an execution: `undefined` means AWS's default, `{}`.
pub fn input(v: Option<Value>) -> Value {
    v.unwrap_or_else(Value::empty_object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl_core::env::Env;

    fn default_env() -> Env {
        Env::default()
    }

    fn v(s: &str) -> Value {
        Value::parse(s).expect("json")
    }

    #[test]
    fn recorded_options_read_describe_format_and_names() {
        let all = [
            "describe",
            "format",
            "stateMachine",
            "testCase",
            "seed",
            "type",
        ];
        let o = recorded_options(
            &v(r#"{"describe": {"input": "{}"}, "format": "mock-config", "testCase": "T", "seed": 3, "type": "EXPRESS"}"#),
            "opts",
            &all,
        )
        .expect("valid");
        assert!(o.mock_config);
        assert_eq!(
            o.describe.as_deref().map(|d| d.contains("input")),
            Some(true)
        );
        assert_eq!((o.test_case.as_deref(), o.seed), (Some("T"), Some(3)));
        assert_eq!(o.load.workflow_type, WorkflowType::Express);
        let e = recorded_options(&v(r#"{"format": "csv"}"#), "opts", &all).expect_err("format");
        assert!(e.contains("\"csv\""), "{e}");
        let e =
            recorded_options(&v(r#"{"seed": 1}"#), "opts", &["describe"]).expect_err("not here");
        assert!(e.contains("unknown option \"seed\""), "{e}");
        let e = recorded_options(&v(r#"{"describe": 1}"#), "opts", &all).expect_err("describe");
        assert!(e.contains("describe-execution"), "{e}");
    }

    #[test]
    fn render_options_read_theme_and_prefix() {
        assert_eq!(render_options(&Value::Null), Ok(RenderOptions::default()));
        let o = render_options(&v(r#"{"theme": "dark", "idPrefix": "d1"}"#)).expect("valid");
        assert_eq!(o.theme, Theme::Dark);
        assert_eq!(o.id_prefix.as_deref(), Some("d1"));
        assert_eq!(
            render_options(&v(r#"{"theme": "auto"}"#)).map(|o| o.theme),
            Ok(Theme::Auto)
        );
        let e = render_options(&v(r#"{"theme": "blue"}"#)).expect_err("bad theme");
        assert!(e.contains("\"blue\""), "{e}");
        let e = render_options(&v(r#"{"them": "dark"}"#)).expect_err("typo");
        assert!(e.contains("unknown option \"them\""), "{e}");
        assert!(render_options(&v("3")).is_err());
    }

    #[test]
    fn exec_options_map_to_the_core() {
        let o = exec_options(&v(
            r#"{"seed": 7, "startTime": "2025-03-01T12:00:00.5Z", "maxTransitions": 12, "mocks": {"T": {"Return": 1}}}"#,
        ))
        .expect("valid")
        .exec;
        assert_eq!(o.env.seed, 7);
        assert_eq!(o.env.start_time_ms, 1_740_830_400_500);
        assert_eq!(o.limits.max_transitions, 12);
        assert_eq!(
            o.limits.max_history_events,
            asl_core::exec::Limits::default().max_history_events
        );
        assert!(o.mocks.sequence("T", "arn").is_some());
        let o = exec_options(&v(r#"{"startTime": 1000}"#))
            .expect("valid")
            .exec;
        assert_eq!(o.env.start_time_ms, 1000);
        assert_eq!(o.env.seed, default_env().seed);
        let defaults = exec_options(&Value::Null).expect("none");
        assert_eq!(defaults.exec.env, default_env());
        assert_eq!(defaults.workflow_type, WorkflowType::Standard);
        for (bad, needle) in [
            (r#"{"seed": -1}"#, "\"seed\""),
            (r#"{"seed": 1.5}"#, "\"seed\""),
            (r#"{"startTime": "yesterday"}"#, "yesterday"),
            (r#"{"mocks": {"T": 1}}"#, "\"T\""),
            (r#"{"mock": {}}"#, "unknown option \"mock\""),
            (r#"{"testCase": "x"}"#, "needs \"mocks\""),
            (r#"{"type": "FAST"}"#, "FAST"),
        ] {
            let e = exec_options(&v(bad)).expect_err(bad);
            assert!(e.contains(needle), "{bad}: {e}");
        }
    }

    #[test]
    fn machine_and_run_options_split_execution_options() {
        let (ty, load) =
            machine_options(&v(r#"{"type": "EXPRESS", "logicalId": "M"}"#)).expect("valid");
        assert_eq!(ty, WorkflowType::Express);
        assert_eq!(load.workflow_type, WorkflowType::Express);
        assert_eq!(load.logical_id.as_deref(), Some("M"));
        let run = run_options(&v(r#"{"seed": 3, "maxTransitions": 9}"#), ty).expect("valid");
        assert_eq!(run.env.seed, 3);
        assert_eq!(run.limits.max_transitions, 9);
        // The machine's type sets the limits of a run given no options.
        let plain = run_options(&Value::Null, ty).expect("valid");
        assert_eq!(plain.limits.max_history_events, u32::MAX);
        for (opts, msg) in [
            (r#"{"type": "EXPRESS"}"#, "unknown option \"type\""),
            (
                r#"{"substitutions": {}}"#,
                "unknown option \"substitutions\"",
            ),
        ] {
            let e = run_options(&v(opts), ty).expect_err(opts);
            assert!(e.contains(msg), "{e}");
        }
        let e = machine_options(&v(r#"{"mocks": {}}"#)).expect_err("run option at load");
        assert!(e.contains("unknown option \"mocks\""), "{e}");
    }

    #[test]
    fn workflow_type_sets_limits_and_validation() {
        let o = exec_options(&v(r#"{"type": "EXPRESS"}"#)).expect("valid");
        assert_eq!(o.workflow_type, WorkflowType::Express);
        assert_eq!(o.exec.limits.max_history_events, u32::MAX);
        assert_eq!(o.exec.limits.max_duration_seconds, Some(300));
        assert_eq!(o.exec.limits.max_transitions, 500_000);
        let l = validate_options(&v(r#"{"type": "EXPRESS", "allow": ["RETRY_MULTIPLIES"]}"#))
            .expect("valid");
        assert_eq!(l.workflow_type, WorkflowType::Express);
        assert!(l.lints);
        assert_eq!(l.lint.allow, [asl_core::Code::LintRetryMultiplies]);
        assert!(
            !validate_options(&v(r#"{"lints": false}"#))
                .expect("valid")
                .lints
        );
        for bad in [
            r#"{"allow": "X"}"#,
            r#"{"allow": ["NOPE"]}"#,
            r#"{"lints": 1}"#,
            r#"{"typ": "EXPRESS"}"#,
        ] {
            assert!(validate_options(&v(bad)).is_err(), "{bad}");
        }
        let (n, p) = cost_options(&v(
            r#"{"executionsPerMonth": 10, "prices": {"perTransition": 0.00003}}"#,
        ))
        .expect("valid");
        assert_eq!(n, 10);
        assert!((p.per_transition - 0.00003).abs() < 1e-12);
        assert!((p.per_request - Prices::default().per_request).abs() < 1e-15);
        assert!(cost_options(&v(r#"{"prices": {"perTransition": "cheap"}}"#)).is_err());
    }

    #[test]
    fn mock_config_files_need_a_test_case() {
        let cfg = r#"{"StateMachines": {"SM": {"TestCases": {"Happy": {"T": "Ok"}}}},
                      "MockedResponses": {"Ok": {"0": {"Return": {"ok": true}}}}}"#;
        let e = exec_options(&v(&format!(r#"{{"mocks": {cfg}}}"#))).expect_err("no case");
        assert!(e.contains("testCase"), "{e}");
        let o = exec_options(&v(&format!(r#"{{"mocks": {cfg}, "testCase": "Happy"}}"#)))
            .expect("valid")
            .exec;
        assert!(o.mocks.sequence("T", "arn").is_some());
        let e = exec_options(&v(&format!(r#"{{"mocks": {cfg}, "testCase": "Sad"}}"#)))
            .expect_err("unknown case");
        assert!(e.contains("Sad"), "{e}");
    }

    #[test]
    fn load_options_read_substitutions_and_logical_id() {
        let o = validate_options(&v(
            r#"{"substitutions": {"Arn": "arn:aws:x", "N": 3}, "logicalId": "M"}"#,
        ))
        .expect("valid");
        assert_eq!(
            o.substitutions.get("Arn").map(String::as_str),
            Some("arn:aws:x")
        );
        assert_eq!(o.substitutions.get("N").map(String::as_str), Some("3"));
        assert_eq!(o.logical_id.as_deref(), Some("M"));
        assert!(
            validate_options(&Value::Null)
                .expect("none")
                .substitutions
                .is_empty()
        );
        for bad in [
            r#"{"substitutions": [1]}"#,
            r#"{"substitutions": {"A": {}}}"#,
            r#"{"logicalId": 1}"#,
            r#"{"theme": "dark"}"#,
        ] {
            assert!(validate_options(&v(bad)).is_err(), "{bad}");
        }
        // render and Execution.start accept them beside their own options.
        let both = v(r#"{"theme": "dark", "substitutions": {"A": "x"}}"#);
        assert!(render_options(&both).is_ok());
        assert_eq!(
            load_options_of(&both, "render options", LoadOptions::default())
                .expect("ok")
                .substitutions
                .len(),
            1
        );
        assert!(exec_options(&v(r#"{"seed": 1, "logicalId": "M"}"#)).is_ok());
    }

    #[test]
    fn every_option_of_both_kinds_together() {
        let o = validate_options(&v(
            r#"{"type": "EXPRESS", "allow": ["SECRET_IN_DEFINITION"], "lints": true,
                "substitutions": {"Arn": "arn:aws:x"}, "logicalId": "M"}"#,
        ))
        .expect("valid");
        assert_eq!(o.workflow_type, WorkflowType::Express);
        assert_eq!(o.lint.workflow_type, WorkflowType::Express);
        assert!(o.lints);
        assert_eq!(o.lint.allow.len(), 1);
        assert_eq!(o.substitutions.len(), 1);
        assert_eq!(o.logical_id.as_deref(), Some("M"));
        let start = v(r#"{"type": "EXPRESS", "seed": 2, "substitutions": {"A": "x"}}"#);
        let s = exec_options(&start).expect("valid");
        assert_eq!(s.workflow_type, WorkflowType::Express);
        let load =
            load_options_of(&start, "Execution options", LoadOptions::default()).expect("valid");
        assert_eq!(load.substitutions.len(), 1);
    }

    #[test]
    fn task_answers_are_output_or_error() {
        assert_eq!(
            task_answer(&v(r#"{"output": {"a": 1}}"#)),
            Ok(Ok(v(r#"{"a": 1}"#)))
        );
        assert_eq!(task_answer(&v(r#"{"output": null}"#)), Ok(Ok(Value::Null)));
        let Ok(Err(e)) = task_answer(&v(r#"{"error": "States.Timeout", "cause": "slow"}"#)) else {
            panic!("an error answer");
        };
        assert_eq!((e.error, e.cause.as_str()), (ErrorName::Timeout, "slow"));
        for bad in [
            r#"{}"#,
            r#"{"output": 1, "error": "E"}"#,
            r#"{"output": 1, "cause": "c"}"#,
            r#"{"error": 3}"#,
            r#"{"result": 1}"#,
            r#""done""#,
        ] {
            assert!(task_answer(&v(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn jsonata_options_set_limits_clock_and_seed() {
        assert_eq!(jsonata_options(&Value::Null), Ok(EvalEnv::default()));
        let env = jsonata_options(&v(
            r#"{"maxDepth": 40, "maxSteps": 1000, "now": -5, "seed": 7}"#,
        ))
        .expect("options");
        assert_eq!(
            (env.max_depth, env.max_steps, env.now_ms, env.seed),
            (40, 1000, -5, 7)
        );
        for bad in [
            r#"{"maxDepht": 1}"#,
            r#"{"maxSteps": -1}"#,
            r#"{"now": "today"}"#,
            "3",
        ] {
            assert!(jsonata_options(&v(bad)).is_err(), "{bad}");
        }
    }
}
