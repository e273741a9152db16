//! The graph overlay at one moment of a run: how each state has fared, which edges were taken,
//! how far each Map has got, and how much virtual time has passed.
//!
//! A state inside a Map's processor runs once per iteration; its mark combines the iterations:
//! active while any iteration is in it, else retrying, failed, caught or succeeded, in that
//! order of precedence. Following one iteration ([`Overlay::at`]'s `follow`) keeps only the
//! events of that iteration (and those outside every Map), so the graph shows its path alone;
//! Map progress always counts every iteration.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{is_attempt_failure, is_attempt_start, is_state_entered, is_state_exited};
use crate::history::{EventDetails, EventType, HistoryEvent};

/// How a state has fared so far; the names are asl-graph's status classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Mark {
    /// Ran and left normally.
    Succeeded,
    /// Failed, and a Catch took the error.
    Caught,
    /// Failed and did not recover (or was stopped when the execution failed).
    Failed,
    /// Failed and is being tried again.
    Retrying,
    /// Running now.
    Active,
}

impl Mark {
    /// The CSS class asl-graph's SVG uses for it.
    pub fn class(self) -> &'static str {
        match self {
            Mark::Succeeded => "succeeded",
            Mark::Caught => "caught",
            Mark::Failed => "failed",
            Mark::Retrying => "retrying",
            Mark::Active => "active",
        }
    }
}

/// One state's mark.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateMark {
    pub path: Arc<str>,
    pub mark: Mark,
    /// Times the state was entered (every iteration counts).
    pub visits: u32,
    /// Attempts started again after a failure.
    pub retries: u32,
}

/// A transition taken: `from` exited and `to` was entered next in the same thread.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeTaken {
    pub from: Arc<str>,
    pub to: Arc<str>,
    pub count: u32,
}

/// A Map's iterations at this moment (its latest visit).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MapProgress {
    pub path: Arc<str>,
    /// Items (from `MapStateStarted`).
    pub total: u32,
    pub succeeded: u32,
    pub failed: u32,
    pub aborted: u32,
    /// Started and not yet ended.
    pub running: u32,
}

/// What a scrubber marks on a history's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TimelineKind {
    /// An attempt failed (a task, a Parallel, a Map) or the execution did.
    Failure,
    /// A failed attempt started again.
    Retry,
    /// A state left after a failure (a Catch took it).
    Catch,
    /// A Wait state began.
    Wait,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelineMark {
    pub event: u32,
    pub kind: TimelineKind,
}

/// Timeline marks, built event by event (a long run adds its new events only).
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    failed: FxHashMap<Key, ()>,
    pub marks: Vec<TimelineMark>,
    /// Events seen.
    pub seen: usize,
}

impl Timeline {
    /// Takes the events of `history` not seen yet.
    pub fn extend(&mut self, history: &[HistoryEvent]) {
        for ev in history.iter().skip(self.seen) {
            self.push(ev);
        }
        self.seen = self.seen.max(history.len());
    }

    fn push(&mut self, ev: &HistoryEvent) {
        let key = || (ev.path.clone(), ev.iterations.clone());
        let kind = if is_attempt_failure(ev.kind)
            || matches!(
                ev.kind,
                EventType::ExecutionFailed
                    | EventType::ExecutionTimedOut
                    | EventType::ExecutionAborted
            ) {
            self.failed.insert(key(), ());
            Some(TimelineKind::Failure)
        } else if is_attempt_start(ev.kind) && self.failed.remove(&key()).is_some() {
            Some(TimelineKind::Retry)
        } else if is_state_exited(ev.kind) && self.failed.remove(&key()).is_some() {
            Some(TimelineKind::Catch)
        } else if ev.kind == EventType::WaitStateEntered {
            Some(TimelineKind::Wait)
        } else {
            if is_state_entered(ev.kind) {
                self.failed.remove(&key());
            }
            None
        };
        if let Some(kind) = kind {
            self.marks.push(TimelineMark { event: ev.id, kind });
        }
    }
}

/// The marks of a whole history, in event order.
pub fn timeline(history: &[HistoryEvent]) -> Vec<TimelineMark> {
    let mut t = Timeline::default();
    t.extend(history);
    t.marks
}

/// The overlay after some prefix of a history (see the module doc).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Overlay {
    /// The last event included (0: before the first).
    pub event: u32,
    /// Virtual milliseconds from `ExecutionStarted` to that event.
    pub elapsed_ms: i64,
    /// `RUNNING`, or how the execution ended.
    pub status: &'static str,
    /// In order of first visit.
    pub states: Vec<StateMark>,
    pub edges: Vec<EdgeTaken>,
    pub maps: Vec<MapProgress>,
}

type Key = (Arc<str>, Arc<[u32]>);

/// One state's tally: visits, retries, and how many of its iterations are at each mark (the
/// combined mark is the highest with a count, so it needs no rescan as iterations move on).
#[derive(Clone, Debug, Default)]
struct Tally {
    visits: u32,
    retries: u32,
    at: [u32; 5],
}

/// Builds an [`Overlay`] event by event: stepping forward or running on feeds only the new
/// events, so a long run's overlay costs O(new events) per frame, not O(history).
#[derive(Clone, Debug, Default)]
pub struct OverlayBuilder {
    follow: Option<Vec<u32>>,
    marks: FxHashMap<Key, Mark>,
    order: Vec<Arc<str>>,
    tally: FxHashMap<Arc<str>, Tally>,
    failed_in_visit: FxHashMap<Key, ()>,
    edges: Vec<EdgeTaken>,
    edge_at: FxHashMap<(Arc<str>, Arc<str>), usize>,
    maps: Vec<MapProgress>,
    status: &'static str,
    first_ms: Option<i64>,
    last: (u32, i64),
    /// Events taken so far (a prefix of the history).
    seen: usize,
}

impl OverlayBuilder {
    pub fn new(follow: Option<&[u32]>) -> OverlayBuilder {
        OverlayBuilder {
            follow: follow.map(<[u32]>::to_vec),
            status: "RUNNING",
            ..OverlayBuilder::default()
        }
    }

    /// Events taken so far.
    pub fn seen(&self) -> usize {
        self.seen
    }

    pub fn follows(&self) -> Option<&[u32]> {
        self.follow.as_deref()
    }

    /// Takes `history[self.seen()..]` (`history` is the same history, longer).
    pub fn extend(&mut self, history: &[HistoryEvent]) {
        for i in self.seen..history.len() {
            self.push(history, i);
        }
        self.seen = self.seen.max(history.len());
    }

    fn set(&mut self, ev: &HistoryEvent, mark: Mark, visit: bool, retry: bool) {
        let t = match self.tally.get_mut(&ev.path) {
            Some(t) => t,
            None => {
                self.order.push(ev.path.clone());
                self.tally.entry(ev.path.clone()).or_default()
            }
        };
        t.visits += u32::from(visit);
        t.retries += u32::from(retry);
        if let Some(old) = self
            .marks
            .insert((ev.path.clone(), ev.iterations.clone()), mark)
        {
            t.at[old as usize] = t.at[old as usize].saturating_sub(1);
        }
        t.at[mark as usize] += 1;
    }

    fn push(&mut self, history: &[HistoryEvent], i: usize) {
        let ev = &history[i];
        self.first_ms.get_or_insert(ev.timestamp_ms);
        self.last = (ev.id, ev.timestamp_ms);
        match ev.kind {
            EventType::ExecutionSucceeded => self.status = "SUCCEEDED",
            EventType::ExecutionFailed => self.status = "FAILED",
            EventType::ExecutionTimedOut => self.status = "TIMED_OUT",
            EventType::ExecutionAborted => self.status = "ABORTED",
            _ => {}
        }
        map_progress(&mut self.maps, ev);
        if ev.path.is_empty() || !follows(&ev.iterations, self.follow.as_deref()) {
            return;
        }
        let key = || (ev.path.clone(), ev.iterations.clone());
        if is_state_entered(ev.kind) {
            self.failed_in_visit.remove(&key());
            let mark = if ev.kind == EventType::FailStateEntered {
                Mark::Failed
            } else {
                Mark::Active
            };
            self.set(ev, mark, true, false);
            let prev = (ev.previous_event_id as usize)
                .checked_sub(1)
                .and_then(|i| history.get(i));
            if let Some(p) = prev.filter(|p| is_state_exited(p.kind) && !p.path.is_empty()) {
                let pair = (p.path.clone(), ev.path.clone());
                match self.edge_at.get(&pair) {
                    Some(&i) => self.edges[i].count += 1,
                    None => {
                        self.edge_at.insert(pair, self.edges.len());
                        self.edges.push(EdgeTaken {
                            from: p.path.clone(),
                            to: ev.path.clone(),
                            count: 1,
                        });
                    }
                }
            }
        } else if is_state_exited(ev.kind) {
            let caught = self.failed_in_visit.remove(&key()).is_some();
            let mark = if caught {
                Mark::Caught
            } else {
                Mark::Succeeded
            };
            self.set(ev, mark, false, false);
        } else if is_attempt_failure(ev.kind) {
            self.failed_in_visit.insert(key(), ());
            self.set(ev, Mark::Failed, false, false);
        } else if is_attempt_start(ev.kind) && self.failed_in_visit.remove(&key()).is_some() {
            self.set(ev, Mark::Retrying, false, true);
        }
    }

    /// The overlay after the events taken so far.
    pub fn overlay(&self) -> Overlay {
        let ended_badly = matches!(self.status, "FAILED" | "TIMED_OUT" | "ABORTED");
        let states = self
            .order
            .iter()
            .filter_map(|path| {
                let t = self.tally.get(path)?;
                let highest = (0..5).rev().find(|&m| t.at[m] > 0)?;
                let mut mark = MARKS[highest];
                // A failed execution stopped whatever was still running.
                if ended_badly && matches!(mark, Mark::Active | Mark::Retrying) {
                    mark = Mark::Failed;
                }
                Some(StateMark {
                    path: path.clone(),
                    mark,
                    visits: t.visits,
                    retries: t.retries,
                })
            })
            .collect();
        Overlay {
            event: self.last.0,
            elapsed_ms: self.first_ms.map_or(0, |f| self.last.1 - f),
            status: self.status,
            states,
            edges: self.edges.clone(),
            maps: self.maps.clone(),
        }
    }
}

/// [`Mark`]s by their discriminant (precedence order).
const MARKS: [Mark; 5] = [
    Mark::Succeeded,
    Mark::Caught,
    Mark::Failed,
    Mark::Retrying,
    Mark::Active,
];

impl Overlay {
    /// The overlay after `history` (pass the prefix up to the cursor). `follow`: Map iteration
    /// indexes (outermost first) to show one iteration's path alone.
    pub fn at(history: &[HistoryEvent], follow: Option<&[u32]>) -> Overlay {
        let mut b = OverlayBuilder::new(follow);
        b.extend(history);
        b.overlay()
    }

    pub fn mark(&self, path: &str) -> Option<Mark> {
        self.states
            .iter()
            .find(|s| &*s.path == path)
            .map(|s| s.mark)
    }

    /// States running now.
    pub fn active(&self) -> impl Iterator<Item = &str> {
        self.states
            .iter()
            .filter(|s| s.mark == Mark::Active)
            .map(|s| &*s.path)
    }
}

/// Whether an event with these iteration indexes belongs to the followed iteration: one is a
/// prefix of the other (events outside every Map have none).
fn follows(iterations: &[u32], follow: Option<&[u32]>) -> bool {
    match follow {
        None => true,
        Some(f) => {
            let n = iterations.len().min(f.len());
            iterations[..n] == f[..n]
        }
    }
}

fn map_progress(maps: &mut Vec<MapProgress>, ev: &HistoryEvent) {
    let slot = |maps: &mut Vec<MapProgress>| -> usize {
        match maps.iter().position(|m| m.path == ev.path) {
            Some(i) => i,
            None => {
                maps.push(MapProgress {
                    path: ev.path.clone(),
                    ..MapProgress::default()
                });
                maps.len() - 1
            }
        }
    };
    match (ev.kind, &ev.details) {
        (EventType::MapStateStarted, EventDetails::MapStarted { length }) => {
            let i = slot(maps);
            maps[i] = MapProgress {
                path: ev.path.clone(),
                total: u32::try_from(*length).unwrap_or(u32::MAX),
                ..MapProgress::default()
            };
        }
        (EventType::MapIterationStarted, _) => {
            let i = slot(maps);
            maps[i].running += 1;
        }
        (EventType::MapIterationSucceeded, _) => {
            let i = slot(maps);
            maps[i].running = maps[i].running.saturating_sub(1);
            maps[i].succeeded += 1;
        }
        (EventType::MapIterationFailed, _) => {
            let i = slot(maps);
            maps[i].running = maps[i].running.saturating_sub(1);
            maps[i].failed += 1;
        }
        (EventType::MapIterationAborted, _) => {
            let i = slot(maps);
            maps[i].running = maps[i].running.saturating_sub(1);
            maps[i].aborted += 1;
        }
        _ => {}
    }
}
