//! State machine definitions that are valid most of the time: every state type, transitions to
//! states that exist (so loops happen), Retry/Catch, Parallel branches and Map processors nested a
//! few levels, JSONPath or JSONata fields, payload templates with paths and intrinsics, and state
//! names with odd Unicode. Now and then a field is dropped, retyped or misnamed, so validation's
//! error paths run too.
//!
//! Not owned here: mocks for the Task states ([`crate::mocks`]), checking anything.

use crate::choices::Gen;
use crate::json::{self, J};
use crate::{jsonata, paths};

/// Name stems; a counter makes each name unique in the machine.
const NAMES: &[&str] = &[
    "A",
    "Step",
    "Work",
    "Check",
    "Done",
    "é",
    "𝄞 Notes",
    "\u{202e}RTL\u{202c}",
    "zwj\u{200d}x",
    "\u{200b}",
    "\u{fffd}",
    "<script>alert(1)</script>",
    "a\"b",
    "x & y",
    "]]>",
];

pub const RESOURCES: &[&str] = &[
    "arn:aws:lambda:us-east-1:123456789012:function:f",
    "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "arn:aws:states:::dynamodb:getItem",
    "arn:aws:states:::states:startExecution.sync:2",
    "arn:aws:states:::aws-sdk:s3:getObject",
    "arn:aws:states:::sns:publish",
    "arn:aws:states:::ecs:runTask.sync",
];

/// Error names (`States.ALL`, which must stand alone and last, is added where it may).
pub const ERRORS: &[&str] = &[
    "States.TaskFailed",
    "States.Timeout",
    "States.Runtime",
    "States.DataLimitExceeded",
    "States.HeartbeatTimeout",
    "Lambda.ServiceException",
    "Custom",
    "",
];

const COMPARISONS: &[&str] = &[
    "StringEquals",
    "StringLessThan",
    "StringMatches",
    "NumericEquals",
    "NumericGreaterThan",
    "NumericLessThanEquals",
    "BooleanEquals",
    "TimestampLessThan",
    "IsPresent",
    "IsNull",
    "IsNumeric",
    "IsString",
    "NumericEqualsPath",
    "StringEqualsPath",
];

/// One definition with its state names (for mocks), as a JSON tree.
pub struct Definition {
    pub tree: J,
    /// Every state name, nested ones included.
    pub names: Vec<String>,
    /// Task state names.
    pub tasks: Vec<String>,
}

struct Cx<'g, 'a> {
    g: &'g mut Gen<'a>,
    names: Vec<String>,
    tasks: Vec<String>,
    jsonata: bool,
    /// Mutations left to apply (keeps most definitions valid).
    mutate: bool,
}

/// A definition at most `depth` scopes deep with at most `max_states` states per scope.
pub fn definition(g: &mut Gen, depth: u32, max_states: usize) -> Definition {
    let jsonata = g.chance(25);
    let mutate = g.chance(15);
    let mut cx = Cx {
        g,
        names: Vec::new(),
        tasks: Vec::new(),
        jsonata,
        mutate,
    };
    let mut tree = cx.scope(depth, max_states);
    if let J::Obj(members) = &mut tree {
        if jsonata {
            members.insert(0, ("QueryLanguage".into(), J::s("JSONata")));
        }
        if cx.g.chance(10) {
            members.push(("TimeoutSeconds".into(), J::n(cx.g.range(0, 100))));
        }
        if cx.g.chance(5) {
            members.push(("Comment".into(), J::s(cx.g.pick(json::STRINGS))));
        }
    }
    Definition {
        tree,
        names: cx.names,
        tasks: cx.tasks,
    }
}

impl Cx<'_, '_> {
    fn fresh_name(&mut self) -> String {
        let name = format!("{}{}", self.g.pick(NAMES), self.names.len());
        self.names.push(name.clone());
        name
    }

    /// `{"StartAt", "States"}` of one scope.
    fn scope(&mut self, depth: u32, max_states: usize) -> J {
        let n = 1 + self.g.below(max_states.max(1));
        let names: Vec<String> = (0..n).map(|_| self.fresh_name()).collect();
        let mut states = Vec::with_capacity(n);
        for (i, name) in names.iter().enumerate() {
            let st = self.state(name, i, &names, depth);
            states.push((name.clone(), st));
        }
        let mut start = names[0].clone();
        if self.mutate && self.g.chance(10) {
            start = "Missing".into();
        }
        J::obj(vec![("StartAt", J::Str(start)), ("States", J::Obj(states))])
    }

    /// A transition target: usually the next state (so most runs reach the end), sometimes any.
    fn target(&mut self, i: usize, names: &[String]) -> Option<String> {
        let last = i + 1 == names.len();
        if !last && self.g.chance(75) {
            Some(names[i + 1].clone())
        } else if names.len() == 1 || self.g.chance(if last { 95 } else { 60 }) {
            None
        } else {
            Some(names[self.g.below(names.len())].clone())
        }
    }

    fn transition(&mut self, out: &mut Vec<(String, J)>, i: usize, names: &[String]) {
        match self.target(i, names) {
            Some(next) => out.push(("Next".into(), J::Str(next))),
            None => out.push(("End".into(), J::Bool(true))),
        }
    }

    fn state(&mut self, name: &str, i: usize, names: &[String], depth: u32) -> J {
        let kinds: &[&str] = if depth == 0 {
            &["Pass", "Task", "Choice", "Wait", "Succeed", "Fail"]
        } else {
            &[
                "Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map", "Task",
                "Pass",
            ]
        };
        let mut kind = self.g.pick(kinds);
        // The last state ends the scope (a Choice there would leave no way out).
        if i + 1 == names.len() && kind == "Choice" {
            kind = "Succeed";
        }
        let mut m: Vec<(String, J)> = vec![("Type".into(), J::s(kind))];
        match kind {
            "Pass" => {
                if self.g.chance(40) {
                    if self.jsonata {
                        m.push(("Output".into(), self.template(2)));
                    } else if self.g.chance(50) {
                        m.push(("Result".into(), json::value(self.g, 2)));
                    } else {
                        m.push(("Parameters".into(), self.template(2)));
                    }
                }
                self.io_fields(&mut m);
                self.transition(&mut m, i, names);
            }
            "Task" => {
                self.tasks.push(name.to_string());
                m.push(("Resource".into(), J::s(self.g.pick(RESOURCES))));
                if self.g.chance(40) {
                    let key = if self.jsonata {
                        "Arguments"
                    } else {
                        "Parameters"
                    };
                    m.push((key.into(), self.template(2)));
                }
                if self.g.chance(20) {
                    m.push(("TimeoutSeconds".into(), J::n(self.g.range(1, 600))));
                }
                if self.g.chance(10) {
                    m.push(("HeartbeatSeconds".into(), J::n(self.g.range(1, 60))));
                }
                if self.g.chance(30) {
                    m.push(("Retry".into(), self.retry()));
                }
                if self.g.chance(30) {
                    m.push(("Catch".into(), self.catch(names)));
                }
                self.io_fields(&mut m);
                self.transition(&mut m, i, names);
            }
            "Choice" => {
                let n = 1 + self.g.below(3);
                let choices = (0..n)
                    .map(|_| {
                        let mut rule = match self.rule(2) {
                            J::Obj(r) => r,
                            other => vec![("Condition".into(), other)],
                        };
                        let next = names[self.g.below(names.len())].clone();
                        rule.push(("Next".into(), J::Str(next)));
                        J::Obj(rule)
                    })
                    .collect();
                m.push(("Choices".into(), J::Arr(choices)));
                if let Some(d) = self.target(i, names) {
                    m.push(("Default".into(), J::Str(d)));
                }
            }
            "Wait" => {
                match self.g.below(4) {
                    0 | 1 => m.push(("Seconds".into(), J::n(self.g.range(0, 100_000)))),
                    2 if !self.jsonata => {
                        m.push(("SecondsPath".into(), J::s(paths::field(self.g))))
                    }
                    _ => m.push((
                        "Timestamp".into(),
                        J::s(self.g.pick(&[
                            "2016-03-14T01:59:00Z",
                            "2099-12-31T23:59:59.999Z",
                            "not a time",
                        ])),
                    )),
                }
                self.transition(&mut m, i, names);
            }
            "Succeed" if self.jsonata => {
                if self.g.chance(30) {
                    m.push(("Output".into(), J::s(self.jsonata_string())));
                }
            }
            "Succeed" => {
                if self.g.chance(20) {
                    m.push(("OutputPath".into(), J::s(paths::field(self.g))));
                }
            }
            "Fail" => {
                if self.g.chance(70) {
                    m.push(("Error".into(), J::s(self.g.pick(ERRORS))));
                }
                if self.g.chance(50) {
                    m.push(("Cause".into(), J::s(self.g.pick(json::STRINGS))));
                }
            }
            "Parallel" => {
                let n = 1 + self.g.below(3);
                let branches = (0..n).map(|_| self.scope(depth - 1, 3)).collect();
                m.push(("Branches".into(), J::Arr(branches)));
                if self.g.chance(20) {
                    m.push(("Catch".into(), self.catch(names)));
                }
                self.io_fields(&mut m);
                self.transition(&mut m, i, names);
            }
            _ => {
                let mut processor = self.scope(depth - 1, 3);
                if let J::Obj(p) = &mut processor
                    && self.g.chance(30)
                {
                    let mode = self.g.pick(&["INLINE", "DISTRIBUTED"]);
                    p.insert(
                        0,
                        (
                            "ProcessorConfig".into(),
                            J::obj(vec![
                                ("Mode", J::s(mode)),
                                ("ExecutionType", J::s("EXPRESS")),
                            ]),
                        ),
                    );
                }
                m.push(("ItemProcessor".into(), processor));
                if self.jsonata {
                    if self.g.chance(60) {
                        m.push(("Items".into(), J::s(self.jsonata_string())));
                    }
                } else if self.g.chance(60) {
                    m.push(("ItemsPath".into(), J::s(paths::field(self.g))));
                }
                if self.g.chance(40) {
                    m.push(("MaxConcurrency".into(), J::n(self.g.range(0, 3))));
                }
                if self.g.chance(20) {
                    m.push(("ItemSelector".into(), self.template(1)));
                }
                if self.g.chance(10) {
                    m.push((
                        "ToleratedFailurePercentage".into(),
                        J::n(self.g.range(0, 100)),
                    ));
                }
                self.io_fields(&mut m);
                self.transition(&mut m, i, names);
            }
        }
        let terminal = matches!(kind, "Succeed" | "Fail");
        if !terminal && self.g.chance(15) {
            let assigned = if self.jsonata {
                J::s(self.jsonata_string())
            } else {
                J::s(self.g.pick(&["$", "$.a", "$$.State.Name"]))
            };
            let key = if self.jsonata {
                format!("count{depth}")
            } else {
                format!("count{depth}.$")
            };
            m.push((
                "Assign".into(),
                J::obj(vec![
                    (&*format!("v{depth}"), json::value(self.g, 1)),
                    (&*key, assigned),
                ]),
            ));
        }
        if self.mutate && self.g.chance(20) {
            self.mutation(&mut m, names);
        }
        J::Obj(m)
    }

    fn mutation(&mut self, m: &mut Vec<(String, J)>, names: &[String]) {
        match self.g.below(5) {
            0 if !m.is_empty() => {
                let i = self.g.below(m.len());
                m.remove(i);
            }
            1 if !m.is_empty() => {
                let i = self.g.below(m.len());
                m[i].1 = json::value(self.g, 1);
            }
            2 => m.push((
                self.g
                    .pick(&["Next", "End", "Type", "Unknown", "Parameters", "Resultpath"])
                    .into(),
                json::value(self.g, 1),
            )),
            3 => m.push((
                "Next".into(),
                J::Str(names[self.g.below(names.len())].clone()),
            )),
            4 if self.g.chance(50) => m.push((
                self.g
                    .pick(&["Resource", "BackoffRate", "Seconds", "TimeoutSeconds"])
                    .into(),
                J::s(self.g.pick(&["not an arn", "0.5", "-1", "1e400"])),
            )),
            _ => m.push(("ResultPath".into(), J::s(paths::field(self.g)))),
        }
    }

    fn io_fields(&mut self, m: &mut Vec<(String, J)>) {
        if self.jsonata {
            if self.g.chance(15) {
                m.push(("Output".into(), J::s(self.jsonata_string())));
            }
            return;
        }
        for field in ["InputPath", "ResultPath", "OutputPath"] {
            if self.g.chance(12) {
                let p = if self.g.chance(10) {
                    J::Null
                } else {
                    J::s(paths::field(self.g))
                };
                m.push((field.into(), p));
            }
        }
        if self.g.chance(8) {
            let has_result = m
                .iter()
                .any(|(k, v)| k == "Type" && matches!(v, J::Str(t) if t != "Pass"));
            if has_result {
                m.push(("ResultSelector".into(), self.template(1)));
            }
        }
    }

    /// A `{% … %}` string: mostly one that reads the state's input, sometimes any expression.
    fn jsonata_string(&mut self) -> String {
        let expr = if self.g.chance(30) {
            jsonata::expr(self.g, 3)
        } else {
            self.g
                .pick(&[
                    "$states.input",
                    "$states.input.a",
                    "$states.input.items",
                    "$count($states.input.items)",
                    "1 + 2",
                    "$states.context.Execution.Name",
                    "{'k': $states.input}",
                    "[1, 2, 3]",
                    "$states.input.n > 1",
                    "$string($states.input)",
                    "$v",
                ])
                .to_string()
        };
        format!("{{% {expr} %}}")
    }

    /// A payload template: literals, `"k.$"` paths and intrinsics, or JSONata strings.
    fn template(&mut self, depth: u32) -> J {
        let n = self.g.below(4);
        let mut members = Vec::with_capacity(n);
        for _ in 0..n {
            let key = self.g.pick(json::KEYS).to_string();
            let v = match self.g.below(if depth == 0 { 4 } else { 5 }) {
                0 => (key, json::value(self.g, 1)),
                1 if self.jsonata => (key, J::s(self.jsonata_string())),
                1 => (format!("{key}.$"), J::s(paths::field(self.g))),
                2 if self.jsonata => (key, J::s(self.jsonata_string())),
                2 => (format!("{key}.$"), J::s(paths::intrinsic(self.g, 1))),
                3 => (key, J::s(self.g.pick(json::STRINGS))),
                _ => (key, self.template(depth - 1)),
            };
            members.push(v);
        }
        json::object(members)
    }

    /// A Choice rule (JSONPath) or a `Condition` string (JSONata).
    fn rule(&mut self, depth: u32) -> J {
        if self.jsonata {
            return J::s(self.jsonata_string());
        }
        match self.g.below(if depth == 0 { 1 } else { 4 }) {
            0 => {
                let op = self.g.pick(COMPARISONS);
                let operand = if op.ends_with("Path") {
                    J::s(paths::field(self.g))
                } else if op.starts_with("Is") {
                    J::Bool(self.g.chance(50))
                } else if op.starts_with("Numeric") {
                    json::number(self.g)
                } else if op.starts_with("Boolean") {
                    J::Bool(true)
                } else {
                    J::s(self.g.pick(json::STRINGS))
                };
                J::obj(vec![
                    ("Variable", J::s(paths::field(self.g))),
                    (op, operand),
                ])
            }
            1 => J::obj(vec![("Not", self.rule(depth - 1))]),
            k => {
                let n = 1 + self.g.below(3);
                let rules = (0..n).map(|_| self.rule(depth - 1)).collect();
                J::obj(vec![(if k == 2 { "And" } else { "Or" }, J::Arr(rules))])
            }
        }
    }

    /// An `ErrorEquals`: `["States.ALL"]` alone is allowed only in the last entry.
    fn errors(&mut self, last: bool) -> J {
        if last && self.g.chance(30) {
            return J::Arr(vec![J::s("States.ALL")]);
        }
        let n = 1 + self.g.below(2);
        J::Arr((0..n).map(|_| J::s(self.g.pick(ERRORS))).collect())
    }

    fn retry(&mut self) -> J {
        let n = 1 + self.g.below(2);
        J::Arr(
            (0..n)
                .map(|k| {
                    let mut r = vec![("ErrorEquals".to_string(), self.errors(k + 1 == n))];
                    if self.g.chance(60) {
                        r.push(("MaxAttempts".into(), J::n(self.g.range(0, 4))));
                    }
                    if self.g.chance(40) {
                        r.push(("IntervalSeconds".into(), J::n(self.g.range(1, 10))));
                    }
                    if self.g.chance(30) {
                        let rate = self.g.pick(&["1", "1.5", "2.0", "3"]);
                        r.push(("BackoffRate".into(), J::n(rate)));
                    }
                    if self.g.chance(15) {
                        r.push(("MaxDelaySeconds".into(), J::n(self.g.range(1, 30))));
                    }
                    if self.g.chance(15) {
                        r.push(("JitterStrategy".into(), J::s("FULL")));
                    }
                    J::Obj(r)
                })
                .collect(),
        )
    }

    fn catch(&mut self, names: &[String]) -> J {
        let n = 1 + self.g.below(2);
        J::Arr(
            (0..n)
                .map(|k| {
                    let mut c = vec![
                        ("ErrorEquals".to_string(), self.errors(k + 1 == n)),
                        (
                            "Next".to_string(),
                            J::Str(names[self.g.below(names.len())].clone()),
                        ),
                    ];
                    if !self.jsonata && self.g.chance(40) {
                        c.push((
                            "ResultPath".into(),
                            J::s(self.g.pick(&["$.error", "$", "$.e.f"])),
                        ));
                    }
                    J::Obj(c)
                })
                .collect(),
        )
    }
}
