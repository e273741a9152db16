//! Cost of the per-transition data work: path evaluation, ResultPath writes, payload templates and
//! intrinsic calls. Run with `cargo bench -p asl-core --bench paths`; prints nanoseconds per
//! operation. (That a definite path shares rather than copies its result is a unit test in
//! `path.rs`; a counting allocator would need `unsafe`, which the workspace forbids.)

use std::hint::black_box;

use asl_core::env::Rng;
use asl_core::intrinsics::Call;
use asl_core::path::{Path, Scope};
use asl_core::syntax;
use asl_core::template::Template;
use asl_core::value::Value;

mod common;

/// Runs `f` `n` times after a warm-up; prints ns/op (names in a column 48 wide).
fn measure(name: &str, n: u64, f: impl FnMut()) {
    common::measure(name, 48, n, f);
}

fn main() {
    let input = Value::parse(
        r#"{"a":{"b":{"c":42}},"count":7,"items":[{"v":1},{"v":2},{"v":3},{"v":4},{"v":5},{"v":6},{"v":7},{"v":8}]}"#,
    )
    .expect("bench input");
    let scope = Scope::input_only(&input);
    let mut rng = Rng::new(1);
    const N: u64 = 2_000_000;

    let p = Path::parse("$.a.b.c").expect("path");
    measure("path $.a.b.c (definite)", N, || {
        black_box(p.eval(black_box(&scope)).ok());
    });
    let p = Path::parse("$.count").expect("path");
    measure("path $.count", N, || {
        black_box(p.eval(black_box(&scope)).ok());
    });
    let p = Path::parse("$.items[*].v").expect("path");
    measure("path $.items[*].v (indefinite, 8 matches)", N / 10, || {
        black_box(p.eval(black_box(&scope)).ok());
    });
    let p = Path::parse("$.items[?(@.v > 4)]").expect("path");
    measure("path $.items[?(@.v > 4)]", N / 10, || {
        black_box(p.eval(black_box(&scope)).ok());
    });
    let rp = Path::parse("$.result").expect("path");
    measure("ResultPath $.result (copy-on-write insert)", N / 10, || {
        black_box(rp.set(input.clone(), Value::from_i64(1)).ok());
    });
    let t = Template::compile(
        &syntax::parse(r#"{"count.$":"$.count","const":{"k":[1,2,3]}}"#).expect("json"),
    )
    .expect("template");
    measure("template {count.$, const}", N / 10, || {
        black_box(t.eval(black_box(&scope), &mut rng).ok());
    });
    let c = Call::parse("States.MathAdd($.count, 1)").expect("call");
    measure("States.MathAdd($.count, 1)", N / 10, || {
        black_box(c.eval(black_box(&scope), &mut rng).ok());
    });
    let c = Call::parse("States.Format('n={} v={}', $.count, $.a.b.c)").expect("call");
    measure(
        "States.Format('n={} v={}', $.count, $.a.b.c)",
        N / 10,
        || {
            black_box(c.eval(black_box(&scope), &mut rng).ok());
        },
    );

    // The data work of one Task visit in the task workloads (ResultSelector on the task's
    // result, then ResultPath written into an unshared input): the floor the executor's
    // per-task cost is compared against.
    let result = Value::parse(r#"{"value":1,"status":"ok","payload":{"a":1,"b":[1,2,3]}}"#)
        .expect("bench result");
    let selector = Template::compile(
        &syntax::parse(r#"{"value.$":"$.value","status.$":"$.status"}"#).expect("json"),
    )
    .expect("template");
    let last = Path::parse("$.last").expect("path");
    let mut state = Value::parse(
        r#"{"last":{"value":0,"status":"init"},"static":{"a":1,"b":"two","c":[3,4,5]}}"#,
    )
    .expect("bench state");
    measure(
        "task data: ResultSelector + ResultPath in place",
        N / 10,
        || {
            let r = Scope::input_only(&result);
            let selected = selector.eval(&r, &mut rng).expect("selector");
            state = last.set(std::mem::take(&mut state), selected).expect("set");
            black_box(&state);
        },
    );

    // Building a small result object and dropping it (what a task handler does per call).
    let keys: Vec<asl_core::value::Key> = ["value", "status", "payload", "a", "b"]
        .iter()
        .map(|k| (*k).into())
        .collect();
    let ok = Value::from("ok");
    let mut n = 0i64;
    measure(
        "build + drop {value, status, payload: {a, b: [1,2,3]}}",
        N / 10,
        || {
            use asl_core::value::Object;
            n += 1;
            let mut payload = Object::with_capacity(2);
            payload.push_unique(keys[3].clone(), Value::from_i64(1));
            payload.push_unique(
                keys[4].clone(),
                Value::array(vec![
                    Value::from_i64(1),
                    Value::from_i64(2),
                    Value::from_i64(3),
                ]),
            );
            let mut o = Object::with_capacity(3);
            o.push_unique(keys[0].clone(), Value::from_i64(n));
            o.push_unique(keys[1].clone(), ok.clone());
            o.push_unique(keys[2].clone(), Value::object(payload));
            black_box(Value::object(o));
        },
    );
}
