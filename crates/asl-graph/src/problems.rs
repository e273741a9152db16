//! asl-core's diagnostics as problems on the states they concern, for the SVG's `has-error` /
//! `has-warning` classes and hover text.
//!
//! Owns the mapping from a diagnostic's JSON pointer to a state path (`/States/Process/Branches/0/
//! States/Transcode/Resource` → `Process/0/Transcode`); it does not validate anything, and
//! diagnostics about the machine as a whole (`/StartAt`, `/Comment`, the empty pointer) concern no
//! state and are left out (the caller lists them anyway).

use asl_core::Diagnostic;

use crate::svg::Problem;

/// One problem per diagnostic that points into a state, in the diagnostics' order.
pub fn problems(diagnostics: &[Diagnostic]) -> Vec<Problem> {
    diagnostics
        .iter()
        .filter_map(|d| {
            state_path(&d.pointer).map(|path| Problem {
                path,
                message: d.message.clone(),
                error: d.is_error(),
            })
        })
        .collect()
}

/// The path of the innermost state a JSON pointer is in, if any.
pub fn state_path(pointer: &str) -> Option<String> {
    let segs: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut path = String::new();
    let mut found = false;
    let mut k = 0;
    while k < segs.len() {
        // `States/<name>` enters a state of the current scope.
        if segs[k] == "States" && k + 1 < segs.len() {
            path.push_str(&segs[k + 1]);
            found = true;
            k += 2;
            // Into a nested scope: `Branches/<i>/States/…`, `ItemProcessor/States/…` or
            // `Iterator/States/…` (branch 0).
            match segs.get(k).map(String::as_str) {
                Some("Branches") if segs.get(k + 2).is_some_and(|s| s == "States") => {
                    let b = &segs[k + 1];
                    if segs.len() > k + 3 {
                        path.push('/');
                        path.push_str(b);
                        path.push('/');
                    }
                    k += 2;
                }
                Some("ItemProcessor" | "Iterator")
                    if segs.get(k + 1).is_some_and(|s| s == "States") && segs.len() > k + 2 =>
                {
                    path.push_str("/0/");
                    k += 1;
                }
                _ => break,
            }
        } else {
            break;
        }
    }
    found
        .then_some(path)
        .filter(|p| !p.is_empty() && !p.ends_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_map_to_state_paths() {
        assert_eq!(state_path("/States/A/Next").as_deref(), Some("A"));
        assert_eq!(state_path("/States/A").as_deref(), Some("A"));
        assert_eq!(
            state_path("/States/P/Branches/1/States/X/Resource").as_deref(),
            Some("P/1/X")
        );
        assert_eq!(
            state_path("/States/M/ItemProcessor/States/Y/Type").as_deref(),
            Some("M/0/Y")
        );
        assert_eq!(
            state_path("/States/M/Iterator/States/Y").as_deref(),
            Some("M/0/Y")
        );
        // Problems with a branch as a whole belong to its Parallel.
        assert_eq!(
            state_path("/States/P/Branches/0/StartAt").as_deref(),
            Some("P")
        );
        assert_eq!(state_path("/States/a~1b/Next").as_deref(), Some("a/b"));
        assert_eq!(state_path("/StartAt"), None);
        assert_eq!(state_path(""), None);
    }
}
