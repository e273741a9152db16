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

/// The marks of a whole history, in event order.
pub fn timeline(history: &[HistoryEvent]) -> Vec<TimelineMark> {
    let mut failed: FxHashMap<Key, ()> = FxHashMap::default();
    let mut out = Vec::new();
    for ev in history {
        let key = || (ev.path.clone(), ev.iterations.clone());
        let kind = if is_attempt_failure(ev.kind)
            || matches!(
                ev.kind,
                EventType::ExecutionFailed | EventType::ExecutionTimedOut
            ) {
            failed.insert(key(), ());
            Some(TimelineKind::Failure)
        } else if is_attempt_start(ev.kind) && failed.remove(&key()).is_some() {
            Some(TimelineKind::Retry)
        } else if is_state_exited(ev.kind) && failed.remove(&key()).is_some() {
            Some(TimelineKind::Catch)
        } else if ev.kind == EventType::WaitStateEntered {
            Some(TimelineKind::Wait)
        } else {
            if is_state_entered(ev.kind) {
                failed.remove(&key());
            }
            None
        };
        if let Some(kind) = kind {
            out.push(TimelineMark { event: ev.id, kind });
        }
    }
    out
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

impl Overlay {
    /// The overlay after `history` (pass the prefix up to the cursor). `follow`: Map iteration
    /// indexes (outermost first) to show one iteration's path alone.
    pub fn at(history: &[HistoryEvent], follow: Option<&[u32]>) -> Overlay {
        let mut marks: FxHashMap<Key, Mark> = FxHashMap::default();
        let mut order: Vec<Arc<str>> = Vec::new();
        let mut counts: FxHashMap<Arc<str>, (u32, u32)> = FxHashMap::default();
        let mut failed_in_visit: FxHashMap<Key, ()> = FxHashMap::default();
        let mut edges: Vec<EdgeTaken> = Vec::new();
        let mut edge_at: FxHashMap<(Arc<str>, Arc<str>), usize> = FxHashMap::default();
        let mut maps: Vec<MapProgress> = Vec::new();
        let mut status = "RUNNING";

        for ev in history {
            match ev.kind {
                EventType::ExecutionSucceeded => status = "SUCCEEDED",
                EventType::ExecutionFailed => status = "FAILED",
                EventType::ExecutionTimedOut => status = "TIMED_OUT",
                _ => {}
            }
            map_progress(&mut maps, ev);
            if ev.path.is_empty() || !follows(&ev.iterations, follow) {
                continue;
            }
            let key = || (ev.path.clone(), ev.iterations.clone());
            let mut set = |mark: Mark, visit: bool, retry: bool| {
                let c = counts.entry(ev.path.clone()).or_insert_with(|| {
                    order.push(ev.path.clone());
                    (0, 0)
                });
                c.0 += u32::from(visit);
                c.1 += u32::from(retry);
                marks.insert(key(), mark);
            };
            if is_state_entered(ev.kind) {
                failed_in_visit.remove(&key());
                let mark = if ev.kind == EventType::FailStateEntered {
                    Mark::Failed
                } else {
                    Mark::Active
                };
                set(mark, true, false);
                let prev = (ev.previous_event_id as usize)
                    .checked_sub(1)
                    .and_then(|i| history.get(i));
                if let Some(p) = prev.filter(|p| is_state_exited(p.kind) && !p.path.is_empty()) {
                    let pair = (p.path.clone(), ev.path.clone());
                    match edge_at.get(&pair) {
                        Some(&i) => edges[i].count += 1,
                        None => {
                            edge_at.insert(pair, edges.len());
                            edges.push(EdgeTaken {
                                from: p.path.clone(),
                                to: ev.path.clone(),
                                count: 1,
                            });
                        }
                    }
                }
            } else if is_state_exited(ev.kind) {
                let caught = failed_in_visit.remove(&key()).is_some();
                set(
                    if caught {
                        Mark::Caught
                    } else {
                        Mark::Succeeded
                    },
                    false,
                    false,
                );
            } else if is_attempt_failure(ev.kind) {
                failed_in_visit.insert(key(), ());
                set(Mark::Failed, false, false);
            } else if is_attempt_start(ev.kind) && failed_in_visit.remove(&key()).is_some() {
                set(Mark::Retrying, false, true);
            }
        }

        // Combine iterations per state: the highest-precedence mark wins.
        let mut combined: FxHashMap<&str, Mark> = FxHashMap::default();
        for ((path, _), mark) in &marks {
            let m = combined.entry(path).or_insert(*mark);
            *m = (*m).max(*mark);
        }
        let ended_badly = matches!(status, "FAILED" | "TIMED_OUT");
        let states = order
            .iter()
            .map(|path| {
                let (visits, retries) = counts.get(path).copied().unwrap_or((0, 0));
                let mut mark = combined.get(&**path).copied().unwrap_or(Mark::Succeeded);
                if ended_badly && matches!(mark, Mark::Active | Mark::Retrying) {
                    mark = Mark::Failed;
                }
                StateMark {
                    path: path.clone(),
                    mark,
                    visits,
                    retries,
                }
            })
            .collect();
        let (event, elapsed_ms) = match (history.first(), history.last()) {
            (Some(first), Some(last)) => (last.id, last.timestamp_ms - first.timestamp_ms),
            _ => (0, 0),
        };
        Overlay {
            event,
            elapsed_ms,
            status,
            states,
            edges,
            maps,
        }
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
