//! Cost of evaluating typical JSONata expressions of AWS Step Functions states, compiled once,
//! with `$states` bound as a shared value (as the executor will). The expressions and data are
//! those of `../shared/bench/bench-jsonata-raw.mjs` (which measures jsonata-js on the same), so the
//! figures compare side by side. Run with `cargo bench -p asl-core --bench jsonata`; prints
//! nanoseconds per evaluation (and per compile).

use std::hint::black_box;

use asl_core::jsonata::{Bindings, EvalEnv, Expr};
use asl_core::value::Value;

mod common;

/// Runs `f` `n` times after a warm-up; prints ns/op (names in a column 64 wide).
fn measure(name: &str, n: u64, f: impl FnMut()) {
    common::measure(name, 64, n, f);
}

fn json(text: &str) -> Value {
    Value::parse(text).expect("bench JSON")
}

/// The 20 KB order document of the `jsonata-transform` workload.
fn order_document() -> Value {
    let regions = ["north", "south", "east", "west"];
    let statuses = ["open", "shipped", "cancelled", "open", "shipped"];
    let tiers = ["gold", "silver", "bronze"];
    let mut orders = Vec::new();
    let mut i = 0;
    loop {
        let items: Vec<String> = (0..2 + i % 3)
            .map(|k| {
                format!(
                    r#"{{"sku":"SKU-{}","qty":{},"price":{}}}"#,
                    (i * 7 + k) % 50,
                    1 + (i + k) % 4,
                    199 + (i * 31 + k * 17) % 500
                )
            })
            .collect();
        orders.push(format!(
            r#"{{"id":"o-{i}","customer":{{"id":"c-{c}","name":"Customer {c}","tier":"{t}"}},"region":"{r}","status":"{s}","items":[{items}]}}"#,
            c = i % 25,
            t = tiers[i % 3],
            r = regions[i % 4],
            s = statuses[i % 5],
            items = items.join(",")
        ));
        i += 1;
        if orders.iter().map(String::len).sum::<usize>() > 20 * 1024 {
            break;
        }
    }
    json(&format!(r#"{{"step":0,"orders":[{}]}}"#, orders.join(",")))
}

const TRANSFORM: &str = "(
  $in := $states.input;
  $active := $in.orders[status != 'cancelled'];
  {
    'step': $in.step + 1,
    'orders': $in.orders.{
      'id': id, 'customer': customer, 'region': region, 'status': status, 'items': items,
      'total': $sum(items.(qty * price))
    },
    'summary': {
      'active': $count($active),
      'revenue': $sum($active.items.(qty * price)),
      'byRegion': $active{region: $sum(items.(qty * price))},
      'gold': $count($active[customer.tier = 'gold'])
    }
  }
)";

fn main() {
    let env = EvalEnv::default();
    let empty = Value::empty_object();
    let counter_vars = Bindings::new()
        .with("counter", Value::from_i64(5000))
        .with("states", json(r#"{"input":{"i":5000}}"#));
    let item = json(
        r#"{"id":123,"name":"item-123","price":184.5,"qty":4,"tags":["t4","x","g0"],"scores":[23,61,99,50],"meta":{"x":123,"y":"y0"}}"#,
    );
    let mut item_states = asl_core::value::Object::new();
    item_states.insert("input".into(), item);
    let item_vars = Bindings::new().with("states", Value::object(item_states));
    let task_vars = Bindings::new().with(
        "states",
        json(
            r#"{"input":{"last":{"value":0,"status":"init"},"step":0,"label":"start"},"result":{"Payload":{"value":1,"status":"ok","payload":{"a":1,"b":[1,2,3]}}}}"#,
        ),
    );
    let mut doc_states = asl_core::value::Object::new();
    doc_states.insert("input".into(), order_document());
    let doc_vars = Bindings::new().with("states", Value::object(doc_states));

    let cases: [(&str, &str, &Bindings, u64); 5] = [
        (
            "condition: $counter < 10000",
            "$counter < 10000",
            &counter_vars,
            2_000_000,
        ),
        (
            "arith: $states.input.i + 1",
            "$states.input.i + 1",
            &counter_vars,
            2_000_000,
        ),
        (
            "concat+filter: name & ':' & $join(tags[$ != 'x'], ',')",
            "$states.input.name & ':' & $join($states.input.tags[$ != 'x'], ',')",
            &item_vars,
            500_000,
        ),
        (
            "task Output: $merge([$states.input, {last: ...}])",
            "$merge([$states.input, {'last': {'value': $states.result.Payload.value, 'status': $states.result.Payload.status}}])",
            &task_vars,
            500_000,
        ),
        (
            "transform: filter+map+$sum+group-by on 20 KB doc",
            TRANSFORM,
            &doc_vars,
            2_000,
        ),
    ];
    // `cargo bench -p asl-core --bench jsonata -- <word>` runs the cases whose label has <word>.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    for (label, src, vars, n) in cases {
        if filter.as_deref().is_some_and(|f| !label.contains(f)) {
            continue;
        }
        let expr = Expr::compile(src).expect("bench expression");
        let check = expr.evaluate(&empty, vars, &env).expect("evaluates");
        assert!(check.is_some(), "{label}: defined result");
        measure(label, n, || {
            black_box(expr.evaluate(black_box(&empty), vars, &env).ok());
        });
    }
    if filter.is_some() {
        return;
    }
    measure("compile: the transform expression", 20_000, || {
        black_box(Expr::compile(black_box(TRANSFORM)).ok());
    });
}
