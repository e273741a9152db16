//! Unit tests of the JSONata module: the API, AWS's functions, limits.

use super::*;

fn run(expr: &str, input: &str) -> Result<Option<Value>, JsonataError> {
    let input = Value::parse(input).expect("test input");
    Expr::compile(expr)?.evaluate(&input, &NoVariables, &EvalEnv::default())
}

fn ok(expr: &str) -> String {
    match run(expr, "{}") {
        Ok(Some(v)) => v.to_json_string(),
        Ok(None) => "undefined".into(),
        Err(e) => format!("error {e}"),
    }
}

fn code(expr: &str) -> &'static str {
    match run(expr, "{}") {
        Err(e) => e.code,
        Ok(v) => panic!("{expr}: expected an error, got {v:?}"),
    }
}

#[test]
fn a_callback_in_replace_sees_the_groups() {
    assert_eq!(
        ok(
            r#"$replace("t = 68F", /(-?\d+)F/, function($m) { ($number($m.groups[0]) - 32) * 5/9 & "C" })"#
        ),
        r#""t = 20C""#
    );
}

#[test]
fn partition_splits_into_chunks_and_floors_the_size() {
    assert_eq!(ok("$partition([1,2,3,4,5], 2)"), "[[1,2],[3,4],[5]]");
    assert_eq!(ok("$partition([1,2,3,4,5], 2.6)"), "[[1,2],[3,4],[5]]");
    assert_eq!(ok("$partition([1,2,3], 0)"), "undefined");
    assert_eq!(code(r#"$partition([1,2,3], "2")"#), "T0410");
    assert_eq!(code(r#"$partition("not-array", 2)"#), "T0412");
    assert_eq!(code("$partition([1], 2, 99)"), "T0410");
}

#[test]
fn range_includes_the_end_when_the_step_lands_on_it() {
    assert_eq!(ok("$range(0, 10, 2)"), "[0,2,4,6,8,10]");
    assert_eq!(ok("$range(0, 9, 2)"), "[0,2,4,6,8]");
    assert_eq!(ok("$range(5, 1, -2)"), "[5,3,1]");
    assert_eq!(ok("$range(1, 3)"), "[1,2,3]");
    assert_eq!(code("$range(1, 5, 1, 99)"), "T0410");
    // A sequence: a single number is that number (AWS: `$range(1, 9, 9)` gives `1`).
    assert_eq!(ok("$range(1, 9, 9)"), "1");
    assert_eq!(ok("[$range(1, 9, 9)]"), "[1]");
}

#[test]
fn hash_computes_every_supported_digest() {
    assert_eq!(
        ok(r#"$hash("hello", "SHA-256")"#),
        r#""2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824""#
    );
    assert_eq!(
        ok(r#"$hash("hello", "MD5")"#),
        r#""5d41402abc4b2a76b9719d911017c592""#
    );
    assert_eq!(
        ok(r#"$hash("hello", "SHA-1")"#),
        r#""aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d""#
    );
    assert_eq!(ok(r#"$length($hash("hello", "SHA-384"))"#), "96");
    assert_eq!(ok(r#"$length($hash("hello", "SHA-512"))"#), "128");
    let e = run(r#"$hash("data", "UNSUPPORTED")"#, "{}").expect_err("bad algorithm");
    assert_eq!(
        e.to_string(),
        "D3137: Hash algorithm 'UNSUPPORTED' must be one of SHA-1, SHA-384, SHA-256, SHA-512, MD5"
    );
    assert_eq!(code(r#"$hash(123, "SHA-256")"#), "T0410");
    assert_eq!(code("$hash()"), "T0410");
}

#[test]
fn seeded_random_is_java_util_random_and_unseeded_comes_from_the_env() {
    assert_eq!(ok("$random(42)"), "0.7275636800328681");
    assert_eq!(ok("$random(0)"), "0.730967787376657");
    assert_eq!(code(r#"$random("seed")"#), "T0410");
    assert_eq!(code("$random(77, 88)"), "T0410");
    let e = Expr::compile("[$random(), $random()]").expect("compiles");
    let env = EvalEnv {
        seed: 7,
        ..EvalEnv::default()
    };
    let a = e.evaluate(&Value::Null, &NoVariables, &env).expect("runs");
    let b = e.evaluate(&Value::Null, &NoVariables, &env).expect("runs");
    assert_eq!(a, b, "same seed, same numbers");
    let other = EvalEnv { seed: 8, ..env };
    assert_ne!(
        a,
        e.evaluate(&Value::Null, &NoVariables, &other)
            .expect("runs")
    );
}

#[test]
fn uuid_is_a_version_4_uuid() {
    let v = run("$uuid()", "{}").expect("runs").expect("defined");
    let s = v.as_str().expect("a string");
    assert_eq!(s.len(), 36);
    let parts: Vec<&str> = s.split('-').collect();
    assert_eq!(
        parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12]
    );
    assert!(parts[2].starts_with('4'));
    assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
    assert!(s.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    assert_eq!(code("$uuid(null)"), "T0410");
}

#[test]
fn parse_reads_json_text() {
    assert_eq!(
        ok(r#"$parse('{"answer":42,"items":[1,2]}')"#),
        r#"{"answer":42,"items":[1,2]}"#
    );
    assert_eq!(ok(r#"$parse(' {"a":1} ')"#), r#"{"a":1}"#);
    assert_eq!(code(r#"$parse("{bad json}")"#), "D3137");
    assert_eq!(code("$parse(123)"), "T0410");
    // `<s-:j>`: without an argument it reads the context, undefined in a state's expression, so
    // the result is undefined (AWS: "returned nothing"), not a signature error.
    let e = Expr::compile("$parse()").expect("compiles");
    assert_eq!(
        e.evaluate_opt(None, &NoVariables, &EvalEnv::default())
            .expect("runs"),
        None
    );
}

#[test]
fn now_and_millis_read_the_injected_clock() {
    let env = EvalEnv {
        now_ms: 1_500_000_000_000,
        ..EvalEnv::default()
    };
    let e = Expr::compile("[$millis(), $now()]").expect("compiles");
    let v = e.evaluate(&Value::Null, &NoVariables, &env).expect("runs");
    assert_eq!(
        v.expect("defined").to_json_string(),
        r#"[1500000000000,"2017-07-14T02:40:00.000Z"]"#
    );
}

/// Runs `f` on a thread with the stack of a test thread (2 MiB), debug and release alike: the
/// depth limits and the stack budget ([`super::stack`]) must hold there.
fn with_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("no panic");
}

#[test]
fn deep_recursion_ends_in_an_error_not_a_stack_overflow() {
    with_stack(deep_recursion);
}

fn deep_recursion() {
    let e = Expr::compile("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1)}; $f(100000))")
        .expect("compiles");
    let err = e
        .evaluate(&Value::Null, &NoVariables, &EvalEnv::default())
        .expect_err("too deep");
    assert_eq!(err.code, "U1001");
    // Within the limit it works.
    let e = Expr::compile("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1)}; $f(100))")
        .expect("compiles");
    assert_eq!(
        e.evaluate(&Value::Null, &NoVariables, &EvalEnv::default())
            .expect("runs"),
        Some(Value::from_i64(100))
    );
}

#[test]
fn tail_calls_run_in_constant_depth() {
    let e = Expr::compile(
        "($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1)}; $f(100000, 0))",
    )
    .expect("compiles");
    assert_eq!(
        e.evaluate(&Value::Null, &NoVariables, &EvalEnv::default())
            .expect("runs"),
        Some(Value::from_i64(100000))
    );
}

#[test]
fn a_runaway_loop_stops_at_the_step_budget() {
    let e = Expr::compile("($f := function($n){ $f($n + 1) }; $f(0))").expect("compiles");
    let env = EvalEnv {
        max_steps: 100_000,
        ..EvalEnv::default()
    };
    assert_eq!(
        e.evaluate(&Value::Null, &NoVariables, &env)
            .expect_err("runaway")
            .code,
        "U1001"
    );
}

#[test]
fn deeply_nested_input_and_expressions_do_not_overflow() {
    with_stack(deeply_nested);
}

fn deeply_nested() {
    let mut text = String::new();
    for _ in 0..120 {
        text.push_str("{\"a\":");
    }
    text.push('1');
    for _ in 0..120 {
        text.push('}');
    }
    let input = Value::parse(&text).expect("deep JSON");
    let e = Expr::compile("$count(**)").expect("compiles");
    assert!(
        e.evaluate(&input, &NoVariables, &EvalEnv::default())
            .is_ok()
    );
    let deep = "(".repeat(10_000) + &")".repeat(10_000);
    assert!(Expr::compile(&deep).is_err());
    let nested = "[".repeat(10_000) + &"]".repeat(10_000);
    assert!(Expr::compile(&nested).is_err());
    for (open, close) in [
        ("{'a':", "}"),
        ("$string(", ")"),
        ("-", ""),
        ("true ? ", " : 0"),
        ("a.(", ")"),
        ("function($x){", "}"),
    ] {
        let text = open.repeat(10_000) + "1" + &close.repeat(10_000);
        let e = Expr::compile(&text).expect_err("too deep");
        assert_eq!(e.code, "S0201", "{open}");
        // Nesting an expression really uses still compiles (10 levels: a debug build's frames
        // spend the stack budget sooner than a release build's; the wasm test checks 20).
        let text = open.repeat(10) + "1" + &close.repeat(10);
        assert!(Expr::compile(&text).is_ok(), "{open}");
    }
}

#[test]
fn syntax_errors_carry_the_byte_offset() {
    let e = Expr::compile("$states.input.a +").expect_err("incomplete");
    assert_eq!(e.code, "S0207");
    let e = Expr::compile("{\n  'a': 1,\n  'b' 2\n}").expect_err("missing colon");
    assert_eq!(e.code, "S0202");
    assert_eq!(e.line_column("{\n  'a': 1,\n  'b' 2\n}"), Some((3, 7)));
}

#[test]
fn bindings_are_shared_values() {
    let states = Value::parse(r#"{"input":{"i":41,"tags":["a","x","b"]}}"#).expect("json");
    let vars = Bindings::new()
        .with("states", states)
        .with("counter", Value::from_i64(3));
    let e = Expr::compile("$states.input.i + $counter - 2").expect("compiles");
    assert_eq!(
        e.evaluate(&Value::Null, &vars, &EvalEnv::default())
            .expect("runs"),
        Some(Value::from_i64(42))
    );
    let e = Expr::compile("$join($states.input.tags[$ != 'x'], ',')").expect("compiles");
    assert_eq!(
        e.evaluate(&Value::Null, &vars, &EvalEnv::default())
            .expect("runs"),
        Some(Value::from("a,b"))
    );
}

#[test]
fn signature_errors_read_as_aws_reports_them() {
    let msg = |expr: &str| run(expr, "{}").expect_err("fails").to_string();
    assert_eq!(
        msg(r#"$random("seed")"#),
        r#"T0410: Argument 1 of function "random" does not match function signature"#
    );
    assert_eq!(
        msg("$random(77, 88)"),
        r#"T0410: Argument 2 of function "random" does not match function signature"#
    );
    assert_eq!(
        msg(r#"$partition("not-array", 2)"#),
        r#"T0412: Argument 1 of function "partition" must be an array of undefined"#
    );
    assert_eq!(
        msg(r#"$hash("hello", "SHA-256", "extra")"#),
        r#"T0410: Argument 3 of function "hash" does not match function signature"#
    );
}

#[test]
fn jsonata_2_1_operators_and_eval_are_not_available() {
    // AWS runs 2.0.6: no `??` or `?:`, and no `$eval`.
    assert!(Expr::compile("$a ?? 1").is_err());
    assert!(Expr::compile("$a ?: 1").is_err());
    assert_eq!(code("$eval('1 + 1')"), "T1006");
}

#[test]
fn a_function_result_is_an_unsupported_result_not_undefined() {
    assert_eq!(code("$fn := function($x){$x}"), UNSUPPORTED_RESULT);
    assert_eq!(ok("$doesNotExist"), "undefined");
    assert_eq!(
        run(r#"$states.input.str + 1"#, "{}").map_err(|e| e.to_string()),
        Ok(None)
    );
    let e = run(r#"str + num"#, r#"{"str":"a","num":1}"#).expect_err("T2001");
    assert_eq!(
        e.to_string(),
        r#"T2001: The left side of the "+" operator must evaluate to a number"#
    );
}

#[test]
fn a_compiled_expression_can_be_shared() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Expr>();
    shareable::<JsonataError>();
}

#[test]
fn values_an_expression_nests_deeply_are_refused_by_string_not_a_crash() {
    with_stack(|| {
        let e = Expr::compile("$string($reduce([1..3000], function($a, $b){ [[$a]] }, []))")
            .expect("compiles");
        let r = e.evaluate(&Value::Null, &NoVariables, &EvalEnv::default());
        assert_eq!(r.expect_err("too deep").code, "U1001");
    });
}

/// Found by the `jsonata` fuzz target (LeakSanitizer): a function bound with `:=` in the block
/// it captures is a reference cycle, which leaked the frame and the input it reached, once per
/// evaluation.
#[test]
fn a_function_bound_in_its_own_block_does_not_leak() {
    let input = Value::parse(r#"{"a": [1, 2, 3]}"#).expect("input");
    let Value::Object(obj) = &input else {
        panic!("an object")
    };
    let before = Arc::strong_count(obj);
    for expr in [
        "($f := function($n){ $n <= 0 ? $count(a) : $f($n - 1) }; $f(3))",
        "($g := [function(){ $g }, a]; $count($g))",
    ] {
        let e = Expr::compile(expr).expect("compiles");
        let _ = e.evaluate(&input, &NoVariables, &EvalEnv::default());
        assert_eq!(Arc::strong_count(obj), before, "{expr}");
    }
}

/// The shortcut ([`super::fast`]) gives what the full evaluator gives, on the plain case and on
/// every value that makes it hand over (arrays mid-path, wrong types, shadowed built-ins…).
#[test]
fn the_shortcut_agrees_with_the_evaluator() {
    let states = Value::parse(
        r#"{"input":{"i":41,"f":1.0,"big":12345678901234567890,"s":"héllo","a":[1,2],"o":{"k":{"z":null}},
            "objs":[{"k":1},{"k":2}],"tags":["t4","x","g0"],"nested":[[1,2],1,[3]],"t":true,"e":"","neg":-3.5}}"#,
    )
    .expect("json");
    let plain = Bindings::new()
        .with("states", states.clone())
        .with("counter", Value::from_i64(3))
        .with("name", Value::from("Zoë"));
    let shadowing = plain.clone().with("string", Value::from_i64(1));
    let exprs = [
        "$counter < 10000",
        "$counter + 1",
        "$states.input.i + 1",
        "$states.input.f",
        "$states.input.big",
        "$states.input.big + 1",
        "$states.input.neg * 2 - 1",
        "-$states.input.i",
        "$states.input.i / 0",
        "$states.input.i % 5",
        "$states.input.missing + 1",
        "$states.input.s + 1",
        "$states.input.a",
        "$states.input.a.x",
        "$states.input.objs.k",
        "$states.input.o.k.z",
        "$states.input.o.k.z.q",
        "$states.input.i.q",
        "$states.input.s < 'z'",
        "$states.input.s < 1",
        "'a' < 'b'",
        "$name > 'Z'",
        "$states.input.t < 1",
        "$states.input.missing < 1",
        "$states.input.i = 41",
        "$states.input.i != '41'",
        "$states.input.a = [1, 2]",
        "$states.input.o = $states.input.o",
        "$states.input.missing = null",
        "null = null",
        "'k' & $string($states.input.i)",
        "$states.input.s & $states.input.missing & 1.5 & true & null",
        "$states.input.s & $states.input.a",
        "$string($states.input.neg / 3)",
        "$string($states.input.o)",
        "$string(1e21) & $string(123456789012345680000) & $string(0.1 + 0.2)",
        "$count($states.input.a)",
        "$count($states.input.missing)",
        "$count($states.input.o)",
        "$uppercase($states.input.s)",
        "$lowercase($name)",
        "$uppercase($states.input.i)",
        "$string",
        "$states.input.t and $states.input.e",
        "$states.input.e or $states.input.i",
        "$states.input.a and true",
        "$states.input.i > 40 ? 'big' : 'small'",
        "$states.input.missing ? 1",
        "$states.input.o ? 1 : 2",
        "1e300 * 1e300",
        "[$states.input.a, 3, [4, 5], $states.input.missing, $states.input.o]",
        "[]",
        "[$states.input.i > 1 ? [1] : 2]",
        "{'a': $states.input.i, 'b': $states.input.missing, 'c': [$states.input.f], 'd': {'e': null}}",
        "{'a': 1, 'a': 2}",
        "$merge([$states.input, {'i': 0, 'new': $states.input.o}])",
        "$merge([$states.input.o, $states.input.o.k])",
        "$merge($states.input.o)",
        "$merge([])",
        "$merge([$states.input.o, 1])",
        "$merge($states.input.missing)",
        "$merge([{'a': $states.input.missing}, $states.input.objs, {'x': 1}])",
        "$merge([$states.input.missing, $states.input.o, {'k': $states.input.i}])",
        "$merge([{'a': 1}, {'a': 2, 'b': $states.input.i}, {}])",
        "$merge([[$states.input.o]])",
        "$merge([$states.input.o, $states.input.a])",
        "$merge([{'a': 1 / 0}])",
        "$count([1, [2, 3], $states.input.a])",
        "$states.input.tags[$ != 'x']",
        "$states.input.tags[$ = 'x']",
        "$states.input.tags[$ = 'none']",
        "$states.input.tags[0]",
        "$states.input.tags[$ > 'g']",
        "$states.input.nested[$ != 1]",
        "$states.input.a[$ >= 2]",
        "$states.input.a[$]",
        "$states.input.a[$ * 0]",
        "$states.input.s[$ = 'héllo']",
        "$states.input.missing[$ = 1]",
        "$states.input.objs[$.k = 1]",
        "$states.input.objs[k = 1]",
        "$states.input.tags[$ != 'x'].q",
        "$count($states.input.a[$ >= 2])",
        "$count($states.input.nested[$ != 1])",
        "$join($states.input.tags[$ != 'x'], ',')",
        "$join($states.input.tags[$ = 'x'], ',')",
        "$join($states.input.tags)",
        "$join($states.input.a, ',')",
        "$join($states.input.tags, 1)",
        "$join($states.input.missing, ',')",
        "$join([], '-')",
        "$states.input.s & ':' & $join($states.input.tags[$ != 'x'], ',')",
        "[$states.input.tags[$ != 'x'], $states.input.tags[$ = 'x']]",
        "$",
        "$$",
    ];
    let env = EvalEnv::default();
    let mut lowered = 0;
    for vars in [&plain, &shadowing] {
        for src in exprs {
            let e = Expr::compile(src).expect(src);
            lowered += usize::from(e.has_fast_form());
            // Equal as JSON values (numbers by value: the shortcut keeps a member's number as
            // the input spelled it, `$merge` in the evaluator rebuilds it).
            let show = |r: Result<Option<Value>, JsonataError>| match r {
                Ok(v) => Ok(v),
                Err(e) => Err(e.code),
            };
            assert_eq!(
                show(e.evaluate_opt(None, vars, &env)),
                show(e.evaluate_general(vars, &env)),
                "{src}"
            );
        }
    }
    assert!(lowered > 150, "most of these take the shortcut ({lowered})");
}

/// Patterns whose backtracking is exponential in the length of a string they fail on: with the
/// 60-character strings below, a match call would run for longer than the universe has existed.
/// Each must end in `D1005` instead (these tests would hang, not fail, without the guard).
const CATASTROPHIC: [(&str, &str); 5] = [
    (r"^(a+)+$", "a"),
    (r"(a|a)*b", "a"),
    (r"(a*)*b", "a"),
    (r"(\w+\s?)+$", "a"),
    (r"^(([a-z])+.)+[A-Z]([a-z])+$", "a"),
];

#[test]
fn catastrophic_regexes_end_in_an_error_on_long_strings() {
    for (pattern, fill) in CATASTROPHIC {
        let subject = format!("{}!", fill.repeat(60));
        for call in [
            format!(r#"$match("{subject}", /{pattern}/)"#),
            format!(r#"$contains("{subject}", /{pattern}/)"#),
            format!(r#"$replace("{subject}", /{pattern}/, "x")"#),
            format!(r#"$split("{subject}", /{pattern}/)"#),
            format!(r#""{subject}" ~> $match(/{pattern}/i)"#),
            format!(r#"($re := /{pattern}/; $re("{subject}"))"#),
        ] {
            let e = run(&call, "{}").expect_err(&call);
            assert_eq!(e.code, "D1005", "{call}: {e}");
            assert!(e.message.contains(&format!("/{pattern}/")), "{e}");
            assert!(e.message.contains("this one has 61"), "{e}");
        }
    }
}

#[test]
fn catastrophic_regexes_still_run_on_short_strings() {
    // `(a+)+` (two ways per character) on up to 18 characters; `((a+)+)+` (three) up to 11.
    assert_eq!(ok(r#"$contains("aaaaaaaaaaaaaaaa!", /^(a+)+$/)"#), "false");
    assert_eq!(ok(r#"$contains("aaaaaaaaaaaaaaaaaa", /^(a+)+$/)"#), "true");
    assert_eq!(
        code(r#"$contains("aaaaaaaaaaaaaaaaa!!", /^(a+)+$/)"#),
        "D1005"
    );
    assert_eq!(ok(r#"$contains("aaaaaaaaaaa", /^((a+)+)+$/)"#), "true");
    assert_eq!(code(r#"$contains("aaaaaaaaaaaa", /^((a+)+)+$/)"#), "D1005");
    assert_eq!(
        ok(r#"$match("hello world", /^(\w+\s?)+$/).groups"#),
        r#"["world"]"#
    );
}

#[test]
fn ordinary_regexes_run_on_long_strings() {
    let long = "word ".repeat(2000);
    for (call, want) in [
        (r"$count($split(s, /\s+/))", "2001"),
        (r"$length($replace(s, /[a-z]+/, 'w'))", "4000"),
        (r"$contains(s, /^([a-z]+ )+$/)", "true"),
        (r"$contains(s, /(\w+)@(\w+)\.com/)", "false"),
        (r"$count($match(s, /o(r)d/))", "2000"),
    ] {
        let input = format!(r#"{{"s": "{long}"}}"#);
        let got = match run(call, &input) {
            Ok(Some(v)) => v.to_json_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(got, want, "{call}");
    }
}

/// Patterns whose backtracking is polynomial of high degree in the length of a string they fail
/// on: the `jsonata` fuzz target's (round 5), degree 6, took minutes on 72 characters; on the
/// 400 below it would take days. Each must end in `D1005` (these tests would hang, not fail,
/// without the guard).
const POLYNOMIAL: [(&str, &str, u32); 4] = [
    (
        r"(([^]{2,}[^]{2,}[^]{2,}|x)([^]{2,}[^]{2,}[^]{2,}|y))aa",
        "x.",
        7,
    ),
    (r"[^]{2,}[^]{2,}[^]{2,}aa", "x.", 4),
    (r"\s*\s*\s*\s*x", " ", 5),
    (r"a*a*a*a*a*b", "a", 6),
];

#[test]
fn polynomially_backtracking_regexes_end_in_an_error_on_long_strings() {
    for (pattern, fill, power) in POLYNOMIAL {
        let subject = format!("{}!", fill.repeat(400 / fill.len()));
        for call in [
            format!(r#"$match(s, /{pattern}/)"#),
            format!(r#"$contains(s, /{pattern}/)"#),
            format!(r#"$replace(s, /{pattern}/, "x")"#),
            format!(r#"$split(s, /{pattern}/)"#),
            format!(r#"($re := /{pattern}/; $re(s))"#),
        ] {
            let input = format!(r#"{{"s": "{subject}"}}"#);
            let e = run(&call, &input).expect_err(&call);
            assert_eq!(e.code, "D1005", "{call}: {e}");
            assert!(e.message.contains(&format!("/{pattern}/")), "{e}");
            assert!(e.message.contains("backtrack polynomially"), "{e}");
            assert!(e.message.contains(&format!("to the power {power}")), "{e}");
            assert!(e.message.contains("this one has 401"), "{e}");
        }
    }
}

#[test]
fn polynomially_backtracking_regexes_run_on_strings_within_their_limit() {
    // Degree 2 (`a*a*b`, n^3 over all starts) up to 161 characters; 3 up to 45; 6 up to 8.
    let at = |fill: &str, n: usize| format!(r#"{{"s": "{}!"}}"#, fill.repeat(n - 1));
    for (pattern, fill, limit) in [
        ("a*a*b", "a", 161),
        (r"(\d+)\s*(\w+)x", "1", 161),
        ("a*a*a*b", "a", 45),
        (r"a*a*a*a*a*a*b", "a", 8),
    ] {
        let call = format!("$contains(s, /{pattern}/)");
        let ran = run(&call, &at(fill, limit)).map(|v| v.map(|v| v.to_json_string()));
        assert_eq!(ran, Ok(Some("false".into())), "{pattern} on {limit}");
        let e = run(&call, &at(fill, limit + 1)).expect_err(&call);
        assert!(
            e.message.contains(&format!("up to {limit} characters")),
            "{e}"
        );
    }
    // Anchored at the start, only the first start position gets past `^`: one power less.
    // (Degree 3: `.` stops at the line break, `\s` at `x`, so this trim fails.)
    let trim = |n: usize| format!(r#"{{"s": "{}x\ny"}}"#, " ".repeat(n - 3));
    let call = r"$contains(s, /^\s*(.*?)\s*$/)";
    assert_eq!(
        run(call, &trim(161)).map(|v| v.map(|v| v.to_json_string())),
        Ok(Some("false".into()))
    );
    let e = run(call, &trim(162)).expect_err(call);
    assert!(e.message.contains("to the power 3"), "{e}");
    // With `m`, `^` holds after every line break: the whole power.
    let e = run(r"$contains(s, /^\s*(.*?)\s*$/m)", &trim(162)).expect_err("m");
    assert!(e.message.contains("to the power 4"), "{e}");
}

#[test]
fn ordinary_and_disjoint_repeats_are_not_limited() {
    // Degree 0 and 1, or 2 behind `^`: at most quadratic over all start positions, on any
    // string (here longer than any polynomial limit).
    let long = "1".repeat(3_000);
    for (pattern, want) in [
        (r"^\d+-\d+$", "false"),
        (r"\d+-\d+-\d+", "false"),
        (r"[a-z]+@[a-z]+\.com", "false"),
        (r"\s+", "false"),
        (r"(\w+)\s(\w+)", "false"),
        (r"\d{4}\d{2}\d{2}!", "false"),
        (r"^(?=.*\d)(?=.*[a-z]).{8,}$", "false"),
        ("a*b", "false"),
        (r"^(\d*?)2(\d*)$", "false"),
    ] {
        let call = format!("$contains(s, /{pattern}/)");
        let got = run(&call, &format!(r#"{{"s": "{long}"}}"#));
        assert_eq!(
            got.map(|v| v.map(|v| v.to_json_string())),
            Ok(Some(want.into())),
            "{pattern}"
        );
    }
}

#[test]
fn date_pictures_whose_regex_backtracks_polynomially_are_guarded_too() {
    // Five markers without a width read `^([0-9]+)([0-9]+)…$`: degree 5 behind `^`, n^5. Before
    // the guard, 60 digits took 28 s (a debug build).
    let call = |digits: usize| {
        format!(
            r#"$toMillis("{}x", "[Y1][M1][D1][H1][m1]")"#,
            "1".repeat(digits)
        )
    };
    let e = run(&call(60), "{}").expect_err("60 digits");
    assert_eq!(e.code, "D1005", "{e}");
    assert!(e.message.contains("[Y1][M1][D1][H1][m1]"), "{e}");
    assert!(e.message.contains("to the power 5"), "{e}");
    assert!(e.message.contains("[Y0001][M01][D01]"), "{e}");
    // Short text still parses (and fails to match here: undefined), as do pictures with widths.
    assert_eq!(ok(&call(10)), "undefined");
    assert_eq!(
        ok(r#"$toMillis("2024-03-05", "[Y0001]-[M01]-[D01]")"#),
        "1709596800000"
    );
}

#[test]
fn loops_of_empty_matching_loops_are_refused_before_regress_runs_out_of_memory() {
    // Found by the `jsonata` fuzz target: regress 0.12 allocated without end on these.
    for call in [
        r#"$contains("aaaaaaaa!", /(?=((a*)*)*a|a)a/)"#,
        r#"$match("a!", /((a*)*)*b/)"#,
        r#"$replace("ab", /((a?)?)*c/, "")"#,
    ] {
        let e = run(call, "{}").expect_err(call);
        assert_eq!(e.code, "D1005", "{call}: {e}");
        assert!(
            e.message.contains("cannot run without exhausting memory"),
            "{e}"
        );
    }
    // Not even on the empty string: regress looped without end on this one there (found by the
    // `jsonata` fuzz target).
    let e = run(r#"$match("", /(((?<n>\B\B|a*){1,3}){1,3})aa|a/)"#, "{}").expect_err("empty");
    assert_eq!(e.code, "D1005", "{e}");
}

/// `precision15`'s shortcut (numbers whose shortest form has at most 15 digits are returned as
/// they are) against the exact 15-digit rounding, over integers, decimals and random bit patterns.
#[test]
fn precision15_shortcut_matches_the_exact_rounding() {
    let exact = |n: f64| -> f64 { format!("{n:.14e}").parse().unwrap_or(n) };
    let mut rng = crate::env::Rng::new(7);
    let mut cases: Vec<f64> = vec![
        1.0,
        -1.0,
        0.1,
        0.3,
        1.5,
        123.456,
        1e15,
        1e15 - 1.0,
        1e16 + 2.0,
        9.007_199_254_740_993e15,
        1e21,
        1e-7,
        1.23e-300,
        0.1 + 0.2,
        1.0 / 3.0,
        2.0 / 3.0,
        123_456_789.123_456_79,
        999_999_999_999_999.9,
        f64::MAX,
        f64::MIN_POSITIVE,
    ];
    for _ in 0..20_000 {
        let bits = rng.next_u64();
        cases.push(f64::from_bits(bits));
        cases.push((bits % 2_000_000) as f64 / 1000.0 - 1000.0);
        cases.push((bits >> 11) as f64 * 1e-3);
    }
    for n in cases.into_iter().filter(|n| n.is_finite() && *n != 0.0) {
        assert_eq!(
            jv::precision15(n).to_bits(),
            exact(n).to_bits(),
            "precision15({n:e})"
        );
    }
}

#[test]
fn field_paths_read_in_place_give_what_a_path_gives_and_count_one_step() {
    let input = r#"{"a": {"b": 2, "s": "x", "arr": [1, 2]}, "c": 3, "l": [{"v": 1}, {"v": 2}]}"#;
    let show = |expr: &str| match run(expr, input) {
        Ok(Some(v)) => v.to_json_string(),
        Ok(None) => "undefined".into(),
        Err(e) => format!("error {}", e.code),
    };
    // A member, a missing one, a name over a scalar, an array at the end (kept whole) and on
    // the way (mapped over, as the full path does).
    assert_eq!(show("a.b * c"), "6");
    assert_eq!(show("{'m': a.missing, 'n': a.s.t, 'k': a.b}"), r#"{"k":2}"#);
    assert_eq!(show("$count(a.arr)"), "2");
    assert_eq!(show("$sum(l.v)"), "3");
    assert_eq!(show("l.v = 1"), "false");
    assert_eq!(show("a.s & c"), r#""x3""#);
    // `a.b * c`: the operator and its two operands, one step each, as `eval` counts them.
    let e = Expr::compile("a.b * c").expect("compiles");
    let input = Value::parse(input).expect("input");
    let with = |max_steps| {
        let env = EvalEnv {
            max_steps,
            ..EvalEnv::default()
        };
        e.evaluate(&input, &NoVariables, &env).map_err(|e| e.code)
    };
    assert_eq!(with(3), Ok(Some(Value::from_i64(6))));
    assert_eq!(with(2), Err("U1001"));
}

#[test]
fn an_object_constructor_skips_undefined_values_but_still_refuses_their_keys_twice() {
    assert_eq!(
        ok(r#"{"a": $nothing, "b": 1, "c": "x"}"#),
        r#"{"b":1,"c":"x"}"#
    );
    assert_eq!(code(r#"{"a": $nothing, "a": 1}"#), "D1009");
    assert_eq!(code(r#"{"a": 1, "b": 2, "a": 3}"#), "D1009");
    // Keys made from evaluated strings, long ones (not held inline) included.
    let long = "k".repeat(40);
    assert_eq!(
        ok(&format!(r#"{{"x" & "y": 1, "{long}": 2, $string(3): 3}}"#)),
        format!(r#"{{"xy":1,"{long}":2,"3":3}}"#)
    );
    // Group-by: keys found among the groups so far, and new ones.
    assert_eq!(
        ok(r#"[{"k":"a","v":1},{"k":"b","v":2},{"k":"a","v":3}]{k: $sum(v)}"#),
        r#"{"a":4,"b":2}"#
    );
}
