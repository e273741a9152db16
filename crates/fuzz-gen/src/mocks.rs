//! Mock files for a generated definition: the native form (`States`/`Resources`, one response or
//! numbered ranges) and AWS Step Functions Local's MockConfigFile, with responses that return,
//! throw, wrap a Lambda payload or take virtual time; now and then a malformed range or field.
//!
//! Not owned here: reading them ([`asl_core::mock`]).

use crate::asl::{ERRORS, RESOURCES};
use crate::choices::Gen;
use crate::json::{self, J};

/// One response.
pub fn response(g: &mut Gen) -> J {
    let mut r = match g.below(5) {
        0 | 1 => vec![("Return".to_string(), json::value(g, 2))],
        2 => vec![("ReturnPayload".to_string(), json::value(g, 2))],
        _ => {
            let mut t = vec![("Error".to_string(), J::s(g.pick(ERRORS)))];
            if g.chance(50) {
                t.push(("Cause".into(), J::s(g.pick(json::STRINGS))));
            }
            vec![("Throw".to_string(), J::Obj(t))]
        }
    };
    if g.chance(15) {
        let d = g.pick(&["0", "1", "2.5", "100", "-1", "1e400", "\"3\""]);
        r.push(("DurationSeconds".into(), J::Num(d.into())));
    }
    if g.chance(3) {
        r.push(("Extra".into(), J::Null));
    }
    J::Obj(r)
}

/// One response, or the numbered `{"0": …, "1-2": …}` form.
pub fn sequence(g: &mut Gen) -> J {
    if g.chance(60) {
        return response(g);
    }
    let n = 1 + g.below(3);
    let mut at = 0u64;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let len = g.range(0, 2);
        let key = match g.below(12) {
            0 => g
                .pick(&["x", "-1", "3-1", "0-", "99999999999999999999"])
                .to_string(),
            _ if len == 0 => at.to_string(),
            _ => format!("{at}-{}", at + len),
        };
        at += len + 1;
        out.push((key, response(g)));
    }
    J::Obj(out)
}

/// Native mocks for some of `tasks` (and sometimes by resource).
pub fn native(g: &mut Gen, tasks: &[String]) -> J {
    let mut states = Vec::new();
    for t in tasks {
        if g.chance(85) {
            states.push((t.clone(), sequence(g)));
        }
    }
    if g.chance(10) {
        states.push(("NoSuchState".into(), response(g)));
    }
    let mut top = vec![("States".to_string(), J::Obj(states))];
    if g.chance(20) {
        let resources = (0..1 + g.below(2))
            .map(|_| (g.pick(RESOURCES).to_string(), sequence(g)))
            .collect();
        top.push(("Resources".into(), J::Obj(resources)));
    }
    J::Obj(top)
}

/// A MockConfigFile with one or two test cases over `tasks`.
pub fn config(g: &mut Gen, tasks: &[String]) -> J {
    let mut responses = Vec::new();
    let cases = (0..1 + g.below(2))
        .map(|c| {
            let mut states = Vec::new();
            for t in tasks {
                if g.chance(80) {
                    let name = format!("R{}", responses.len());
                    responses.push((name.clone(), sequence(g)));
                    states.push((t.clone(), J::Str(name)));
                }
            }
            (format!("Case{c}"), J::Obj(states))
        })
        .collect();
    if g.chance(10) {
        responses.pop();
    }
    J::obj(vec![
        (
            "StateMachines",
            J::obj(vec![("M", J::obj(vec![("TestCases", J::Obj(cases))]))]),
        ),
        ("MockedResponses", J::Obj(responses)),
    ])
}
