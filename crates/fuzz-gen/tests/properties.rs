//! Properties of the executor and the renderer over generated definitions, mocks and inputs
//! (the fuzz generators, on seeded bytes: the same cases on every run):
//! - `run` equals repeated `step` (same history, same status), and a run without a history
//!   ends the same way;
//! - `back` after `step` restores an identical state, and stepping again gives the same event;
//! - the same seed gives an identical history;
//! - every finished history is well formed (ids 1..n, `previousEventId` earlier, one
//!   `ExecutionStarted` first and one end event last);
//! - render is deterministic;
//! - `share(decode(link)) == link` for every link `share` writes, and the session comes back
//!   unchanged.
//!
//! Each prints how many cases it checked (`-- --nocapture`); `PROPERTY_CASES` sets how many
//! definitions are generated (default 400).

use std::sync::Arc;

use asl_core::env::Env;
use asl_core::exec::{ExecOptions, Execution, Limits, Status, Step};
use asl_core::history::{EventType, HistoryEvent};
use asl_core::mock::Mocks;
use asl_core::model::StateMachine;
use asl_core::value::Value;
use fuzz_gen::choices::{Gen, seeded_bytes};
use fuzz_gen::targets::check_history;
use fuzz_gen::{asl, json, mocks};

fn cases() -> u64 {
    std::env::var("PROPERTY_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400)
}

/// A valid generated machine with its mocks, input and options; `None` when the generated
/// definition has errors (about half of them).
struct Case {
    machine: Arc<StateMachine>,
    input: Value,
    options: ExecOptions,
}

fn case(seed: u64) -> Option<Case> {
    let bytes = seeded_bytes(seed, 64 + (seed as usize * 53) % 1500);
    let mut g = Gen::new(&bytes);
    let def = asl::definition(&mut g, 2, 4);
    let loaded = asl_core::load(&def.tree.to_json());
    if loaded.has_errors() {
        return None;
    }
    let machine = Arc::new(loaded.machine?);
    let mocks = Mocks::parse(&mocks::native(&mut g, &def.tasks).to_json()).unwrap_or_default();
    let input =
        Value::parse(&json::value(&mut g, 3).to_json()).unwrap_or_else(|_| Value::empty_object());
    let options = ExecOptions {
        env: Env {
            seed,
            ..Env::default()
        },
        mocks: Arc::new(mocks),
        limits: Limits {
            max_transitions: 300,
            max_history_events: 3_000,
            ..Limits::default()
        },
        snapshot_every: 1 + (seed % 13) as u32,
        ..ExecOptions::default()
    };
    Some(Case {
        machine,
        input,
        options,
    })
}

impl Case {
    fn start(&self) -> Execution {
        Execution::start(
            self.machine.clone(),
            self.input.clone(),
            self.options.clone(),
        )
    }
}

fn texts(events: &[HistoryEvent]) -> Vec<String> {
    events.iter().map(|e| format!("{e:?}")).collect()
}

/// Everything observable about an execution at this moment (the history by its length and last
/// event: earlier events are not rewritten, `replay` compares whole histories).
fn state(ex: &Execution) -> String {
    format!(
        "{} {:?}\n{:?}\n{:?}\n{:?}\n{} {}",
        ex.history().len(),
        ex.history().last(),
        ex.status(),
        ex.position(),
        ex.pending(),
        ex.event_count(),
        ex.transitions()
    )
}

#[test]
fn run_equals_repeated_step() {
    let (mut checked, mut finished) = (0, 0);
    for seed in 0..cases() {
        let Some(c) = case(seed) else { continue };
        let mut stepped = c.start();
        while let Step::Event(_) = stepped.step() {}
        let mut ran = c.start();
        let status = ran.run();
        assert_eq!(
            texts(ran.history()),
            texts(stepped.history()),
            "seed {seed}"
        );
        assert_eq!(status, stepped.status(), "seed {seed}");
        // Without a history (the fast path) the execution ends the same way.
        let mut options = c.options.clone();
        options.record_history = false;
        options.record_stages = false;
        let mut bare = Execution::start(c.machine.clone(), c.input.clone(), options);
        assert_eq!(bare.run(), status, "seed {seed} without history");
        assert_eq!(bare.event_count(), ran.event_count(), "seed {seed}");
        checked += 1;
        finished += usize::from(status.is_finished());
    }
    println!("run == repeated step: {checked} executions ({finished} finished, the rest paused)");
    assert!(checked > 100, "too few valid definitions: {checked}");
}

#[test]
fn back_after_step_restores_the_state() {
    let (mut checked, mut moves) = (0, 0);
    for seed in 0..cases() {
        let Some(c) = case(seed) else { continue };
        let mut ex = c.start();
        // Step back at every event: restore, then the same event again.
        loop {
            let before = state(&ex);
            let id = match ex.step() {
                Step::Event(id) => id,
                _ => break,
            };
            let event = format!("{:?}", ex.history().last());
            assert!(ex.back(), "seed {seed}: back from event {id}");
            assert_eq!(state(&ex), before, "seed {seed}: back after event {id}");
            assert_eq!(ex.step(), Step::Event(id), "seed {seed}");
            assert_eq!(format!("{:?}", ex.history().last()), event, "seed {seed}");
            moves += 1;
        }
        // And from the end, seek to the middle and forward again.
        let end = state(&ex);
        let history = texts(ex.history());
        let n = ex.event_count();
        assert!(ex.seek(n / 2), "seed {seed}: seek {}", n / 2);
        assert_eq!(ex.history().len() as u32, n / 2);
        while let Step::Event(_) = ex.step() {}
        assert_eq!(state(&ex), end, "seed {seed}: replay after seek");
        assert_eq!(
            texts(ex.history()),
            history,
            "seed {seed}: replay after seek"
        );
        checked += 1;
    }
    println!("back after step: {checked} executions, {moves} step/back pairs");
    assert!(checked > 100);
}

#[test]
fn the_same_seed_gives_the_same_history() {
    let mut checked = 0;
    for seed in 0..cases() {
        let Some(c) = case(seed) else { continue };
        let (mut a, mut b) = (c.start(), c.start());
        a.run();
        b.run();
        assert_eq!(state(&a), state(&b), "seed {seed}");
        checked += 1;
    }
    println!("same seed, same history: {checked} pairs of executions");
    assert!(checked > 100);
}

#[test]
fn finished_histories_are_well_formed() {
    let mut checked = 0;
    for seed in 0..cases() {
        let Some(c) = case(seed) else { continue };
        let mut ex = c.start();
        if !ex.run().is_finished() {
            continue;
        }
        let h = ex.history();
        check_history(h);
        let ends = [
            EventType::ExecutionSucceeded,
            EventType::ExecutionFailed,
            EventType::ExecutionTimedOut,
        ];
        assert_eq!(
            h.first().map(|e| e.kind),
            Some(EventType::ExecutionStarted),
            "seed {seed}"
        );
        assert!(
            h.last().is_some_and(|e| ends.contains(&e.kind)),
            "seed {seed}"
        );
        let starts = h
            .iter()
            .filter(|e| e.kind == EventType::ExecutionStarted)
            .count();
        let stops = h.iter().filter(|e| ends.contains(&e.kind)).count();
        assert_eq!((starts, stops), (1, 1), "seed {seed}");
        assert_eq!(
            h.last().map(|e| e.kind == EventType::ExecutionSucceeded),
            Some(matches!(ex.status(), Status::Succeeded { .. })),
            "seed {seed}"
        );
        checked += 1;
    }
    println!("well-formed histories: {checked} finished executions");
    assert!(checked > 100);
}

#[test]
fn render_is_deterministic() {
    let opts = asl_graph::RenderOptions::default();
    let mut checked = 0;
    for seed in 0..cases() {
        let bytes = seeded_bytes(seed, 64 + (seed as usize * 53) % 1500);
        let mut g = Gen::new(&bytes);
        let text = asl::definition(&mut g, 2, 5).tree.to_json();
        let (a, b) = (asl_core::load(&text), asl_core::load(&text));
        let Some(svg) = asl_graph::render_loaded(&a, &opts) else {
            continue;
        };
        assert_eq!(
            Some(&svg),
            asl_graph::render_loaded(&b, &opts).as_ref(),
            "seed {seed}"
        );
        assert_eq!(
            Some(svg),
            asl_graph::render_loaded(&a, &opts),
            "seed {seed}"
        );
        checked += 1;
    }
    println!("render deterministic: {checked} definitions drawn three times");
    assert!(checked > 100);
}

#[test]
fn share_links_round_trip() {
    use asl_core::share::{SharedSession, decode, encode};
    let mut checked = 0;
    for seed in 0..cases() {
        let bytes = seeded_bytes(seed, 64 + (seed as usize * 53) % 1500);
        let mut g = Gen::new(&bytes);
        let def = asl::definition(&mut g, 2, 5);
        let session = SharedSession {
            definition: def.tree.to_json(),
            input: json::value(&mut g, 3).to_json(),
            mocks: mocks::native(&mut g, &def.tasks).to_json(),
            step: Some(seed as u32),
            state: def.names.last().cloned(),
            ..SharedSession::default()
        };
        let link = encode(&session);
        let decoded = decode(&link).expect("a written link decodes");
        assert_eq!(decoded, session, "seed {seed}");
        assert_eq!(encode(&decoded), link, "seed {seed}");
        checked += 1;
    }
    println!("share(decode(link)) == link: {checked} sessions");
}
