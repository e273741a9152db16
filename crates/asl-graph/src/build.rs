//! Builds a [`Graph`] from a neutral description of scopes and states, and the short texts drawn
//! on it (task captions, retry badges, error lists).
//!
//! Owns ids, state paths, Start/End markers and edge wiring, so every source of definitions (the
//! asl-core model in [`crate::from_model`], or a bare JSON reader) yields the same drawing. It does
//! not read ASL itself.

use crate::graph::{Edge, EdgeKind, Graph, Node, NodeKind, Scope};

/// One state, described for drawing.
#[derive(Clone, Debug, Default)]
pub struct StateSpec {
    /// The state's name.
    pub name: String,
    /// Its node kind (never Start/End).
    pub kind: Option<NodeKind>,
    /// Second line under the name.
    pub caption: String,
    /// Retry badge and its tooltip.
    pub retry: Option<(String, String)>,
    /// Outgoing transitions, in drawing order: (target state index, kind, label).
    pub transitions: Vec<(usize, EdgeKind, String)>,
    /// Transitions to states that do not exist: (target name, kind, label). Each missing name
    /// gets one [`NodeKind::Missing`] node in the scope, and these edges end there.
    pub dangling: Vec<(String, EdgeKind, String)>,
    /// Tooltips for transitions whose label is a summary: (index into `transitions`, full text).
    pub titles: Vec<(usize, String)>,
    /// True if the state ends its scope (`End: true`, Succeed, Fail).
    pub terminal: bool,
    /// Nested scopes (Parallel branches, Map processor).
    pub children: Vec<ScopeSpec>,
}

/// One scope: states and the index of the `StartAt` state (if it resolves).
#[derive(Clone, Debug, Default)]
pub struct ScopeSpec {
    /// States in definition order.
    pub states: Vec<StateSpec>,
    /// Index of the start state.
    pub start: Option<usize>,
    /// The `StartAt` name when no state has it (drawn as a dangling edge from Start, top scope).
    pub missing_start: Option<String>,
}

/// Build the drawing: the top scope gets Start and End markers; nested scopes do not (their entry
/// is where the container's edges meet them, as in the AWS console). Fail states get no edge to
/// the End marker: the red capsule ends the drawing by itself, and an edge to End would pull every
/// Fail state down to the last row, far from the Choice or Catch that leads to it (the developer
/// guide's ETL sample: five Fail states side by side at the bottom, edges up to 2,500 px long).
pub fn build(top: &ScopeSpec, comment: &str) -> Graph {
    let (mut root, missing) = scope(top, "", "", "");
    let n = root.nodes.len();
    let mut start = Node::new("start", NodeKind::Start, "Start");
    start.path = String::new();
    let end = Node::new("end", NodeKind::End, "End");
    root.nodes.push(start);
    root.nodes.push(end);
    let (s, e) = (n, n + 1);
    let mut edges = Vec::new();
    let dangling_start = top
        .missing_start
        .as_ref()
        .and_then(|name| missing.iter().position(|m| m == name))
        .map(|k| n - missing.len() + k);
    if let Some(st) = top.start.filter(|&i| i < n).or(dangling_start) {
        edges.push(Edge {
            id: "e-start".into(),
            from: s,
            to: st,
            kind: EdgeKind::Next,
            label: String::new(),
            title: String::new(),
        });
    }
    for (i, st) in top.states.iter().enumerate() {
        if st.terminal && st.kind != Some(NodeKind::Fail) {
            edges.push(Edge {
                id: format!("e-end-{i}"),
                from: i,
                to: e,
                kind: EdgeKind::Next,
                label: String::new(),
                title: String::new(),
            });
        }
    }
    // Marker edges first, so the Start edge leads the breadth-first order.
    edges.append(&mut root.edges);
    root.edges = edges;
    root.entry = s;
    Graph {
        root,
        comment: comment.to_string(),
    }
}

/// One scope's nodes and edges, and the names of its missing targets (their nodes come last).
fn scope(
    spec: &ScopeSpec,
    id_prefix: &str,
    path_prefix: &str,
    edge_prefix: &str,
) -> (Scope, Vec<String>) {
    let mut s = Scope {
        entry: spec.start.unwrap_or(0),
        ..Scope::default()
    };
    let n = spec.states.len();
    for (i, st) in spec.states.iter().enumerate() {
        let id = format!("{id_prefix}n{i}");
        let path = format!("{path_prefix}{}", st.name);
        let mut node = Node::new(
            id.clone(),
            st.kind.unwrap_or(NodeKind::Pass),
            st.name.clone(),
        );
        node.caption = st.caption.clone();
        if let Some((badge, title)) = &st.retry {
            node.retry = Some(badge.clone());
            node.retry_title = Some(title.clone());
        }
        for (b, child) in st.children.iter().enumerate() {
            let cid = format!("{id}-{b}-");
            let cpath = format!("{path}/{b}/");
            node.children.push(scope(child, &cid, &cpath, &cid).0);
        }
        node.path = path;
        s.nodes.push(node);
    }
    for (i, st) in spec.states.iter().enumerate() {
        for (k, (to, kind, label)) in st.transitions.iter().enumerate() {
            if *to < n {
                s.edges.push(Edge {
                    id: format!("{edge_prefix}e{i}-{k}"),
                    from: i,
                    to: *to,
                    kind: *kind,
                    label: label.clone(),
                    title: st
                        .titles
                        .iter()
                        .find(|(j, _)| *j == k)
                        .map(|(_, t)| t.clone())
                        .unwrap_or_default(),
                });
            }
        }
    }
    // Missing targets, one node each, in order of first mention (the StartAt first).
    let mut missing: Vec<String> = Vec::new();
    let mentions = spec.missing_start.iter().chain(
        spec.states
            .iter()
            .flat_map(|st| st.dangling.iter().map(|(name, _, _)| name)),
    );
    for name in mentions {
        if !missing.contains(name) {
            missing.push(name.clone());
        }
    }
    for (k, name) in missing.iter().enumerate() {
        s.nodes.push(Node::new(
            format!("{id_prefix}m{k}"),
            NodeKind::Missing,
            name.clone(),
        ));
    }
    for (i, st) in spec.states.iter().enumerate() {
        for (k, (name, kind, label)) in st.dangling.iter().enumerate() {
            let Some(m) = missing.iter().position(|x| x == name) else {
                continue;
            };
            s.edges.push(Edge {
                id: format!("{edge_prefix}e{i}-d{k}"),
                from: i,
                to: n + m,
                kind: *kind,
                label: label.clone(),
                title: String::new(),
            });
        }
    }
    (s, missing)
}

/// A readable caption for a Task's `Resource`, e.g. `Lambda: Invoke`, `DynamoDB: PutItem`.
///
/// Template placeholders show as written: `arn:${AWS::Partition}:states:::lambda:invoke` is
/// `Lambda: Invoke`, and a Resource that is only a placeholder (`${ProcessFunctionArn}`, a
/// function ARN filled in at deploy time: the one kind of resource given as a bare ARN, besides
/// activities) is `Lambda: ${ProcessFunctionArn}`.
pub fn task_caption(resource: &str) -> String {
    let found = asl_core::placeholder::find(resource);
    if let [only] = found.as_slice()
        && only.start == 0
        && only.end == resource.len()
    {
        let kind = if only.name.to_ascii_lowercase().contains("activity") {
            "Activity"
        } else {
            "Lambda"
        };
        return format!("{kind}: {resource}");
    }
    if !found.is_empty() {
        // `${AWS::Region}` holds colons: read the ARN with each placeholder as one opaque part.
        let mut masked = String::new();
        let mut last = 0;
        for f in &found {
            masked.push_str(&resource[last..f.start]);
            masked.push_str(&"\u{1}".repeat(f.end - f.start));
            last = f.end;
        }
        masked.push_str(&resource[last..]);
        let caption = task_caption(&masked);
        return found.iter().fold(caption, |c, f| {
            c.replacen(
                &"\u{1}".repeat(f.end - f.start),
                &resource[f.start..f.end],
                1,
            )
        });
    }
    let parts: Vec<&str> = resource.split(':').collect();
    // arn:aws:states:::service:action[.sync|.waitForTaskToken]
    if parts.len() >= 7 && parts[2] == "states" && parts[3].is_empty() && parts[4].is_empty() {
        let (service, action) = if parts[5] == "aws-sdk" && parts.len() >= 8 {
            (parts[6], parts[7..].join(":"))
        } else {
            (parts[5], parts[6..].join(":"))
        };
        let (action, suffix) = match action.split_once('.') {
            Some((a, "sync")) | Some((a, "sync:2")) => (a.to_string(), " (sync)"),
            Some((a, "waitForTaskToken")) => (a.to_string(), " (callback)"),
            Some((a, _)) => (a.to_string(), ""),
            None => (action, ""),
        };
        return format!(
            "{}: {}{}",
            service_name(service),
            capitalise(&action),
            suffix
        );
    }
    // arn:aws:lambda:region:account:function:name[:alias]
    if parts.len() >= 7 && parts[2] == "lambda" && parts[5] == "function" {
        return format!("Lambda: {}", parts[6]);
    }
    if parts.len() >= 7 && parts[2] == "states" && parts[5] == "activity" {
        return format!("Activity: {}", parts[6]);
    }
    "Task".to_string()
}

fn service_name(s: &str) -> String {
    match s {
        "lambda" => "Lambda",
        "sns" => "SNS",
        "sqs" => "SQS",
        "dynamodb" => "DynamoDB",
        "ecs" => "ECS",
        "eks" => "EKS",
        "states" => "Step Functions",
        "events" => "EventBridge",
        "glue" => "Glue",
        "batch" => "Batch",
        "s3" => "S3",
        "athena" => "Athena",
        "sagemaker" => "SageMaker",
        "codebuild" => "CodeBuild",
        "elasticmapreduce" => "EMR",
        "apigateway" => "API Gateway",
        "bedrock" => "Bedrock",
        "http" => "HTTP",
        "mediaconvert" => "MediaConvert",
        "ses" | "sesv2" => "SES",
        "ec2" => "EC2",
        "opensearch" => "OpenSearch",
        "kinesis" => "Kinesis",
        "secretsmanager" => "Secrets Manager",
        "ssm" => "Systems Manager",
        "cloudwatch" => "CloudWatch",
        "iam" => "IAM",
        "rds" => "RDS",
        "sts" => "STS",
        other => return capitalise(other),
    }
    .to_string()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => asl_core::text::to_uppercase(f.encode_utf8(&mut [0; 4])) + c.as_str(),
        None => String::new(),
    }
}

/// The retry badge (`↻ 3×`: the most attempts any retrier allows after the first try) and a tooltip
/// listing every retrier. `retriers` holds (error names, max attempts, interval s, backoff rate).
pub fn retry_badge(retriers: &[(Vec<String>, u64, u64, f64)]) -> Option<(String, String)> {
    if retriers.is_empty() {
        return None;
    }
    let max = retriers.iter().map(|r| r.1).max().unwrap_or(0);
    let title = retriers
        .iter()
        .map(|(errs, n, iv, rate)| {
            format!(
                "Retry {}: {n}× after {iv} s, backoff ×{}",
                errs.join(", "),
                asl_core::float_fmt::display(*rate)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    Some((format!("↻ {max}×"), title))
}

/// The label of a Catch edge: the caught error names.
pub fn catch_label(errors: &[String]) -> String {
    errors.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_for_common_resources() {
        assert_eq!(
            task_caption("arn:aws:states:::lambda:invoke"),
            "Lambda: Invoke"
        );
        assert_eq!(
            task_caption("arn:aws:states:::aws-sdk:dynamodb:putItem"),
            "DynamoDB: PutItem"
        );
        assert_eq!(task_caption("arn:aws:states:::sns:publish"), "SNS: Publish");
        assert_eq!(
            task_caption("arn:aws:states:::ecs:runTask.sync"),
            "ECS: RunTask (sync)"
        );
        assert_eq!(
            task_caption("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            "SQS: SendMessage (callback)"
        );
        assert_eq!(
            task_caption("arn:aws:lambda:us-east-1:123456789012:function:resize"),
            "Lambda: resize"
        );
        assert_eq!(task_caption("whatever"), "Task");
        // Template placeholders.
        assert_eq!(
            task_caption("${ProcessFunctionArn}"),
            "Lambda: ${ProcessFunctionArn}"
        );
        assert_eq!(
            task_caption("${CheckActivity}"),
            "Activity: ${CheckActivity}"
        );
        assert_eq!(
            task_caption("arn:${AWS::Partition}:states:::lambda:invoke.waitForTaskToken"),
            "Lambda: Invoke (callback)"
        );
        assert_eq!(
            task_caption("arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Name}"),
            "Lambda: ${Name}"
        );
    }

    #[test]
    fn retry_badge_shows_most_attempts() {
        let b = retry_badge(&[
            (vec!["States.Timeout".into()], 2, 1, 2.0),
            (vec!["States.ALL".into()], 5, 3, 1.5),
        ]);
        let (badge, title) = b.expect("badge");
        assert_eq!(badge, "↻ 5×");
        assert!(title.contains("States.Timeout") && title.contains("States.ALL"));
        assert!(retry_badge(&[]).is_none());
    }

    #[test]
    fn build_adds_markers_and_paths() {
        let branch = ScopeSpec {
            states: vec![StateSpec {
                name: "Transcode".into(),
                kind: Some(NodeKind::Task),
                terminal: true,
                ..Default::default()
            }],
            start: Some(0),
            missing_start: None,
        };
        let top = ScopeSpec {
            states: vec![StateSpec {
                name: "Process".into(),
                kind: Some(NodeKind::Parallel),
                terminal: true,
                children: vec![branch],
                ..Default::default()
            }],
            start: Some(0),
            missing_start: None,
        };
        let g = build(&top, "");
        assert_eq!(g.root.nodes.len(), 3);
        assert_eq!(
            g.root.nodes[0].children[0].nodes[0].path,
            "Process/0/Transcode"
        );
        assert_eq!(g.root.nodes[0].children[0].nodes[0].id, "n0-0-n0");
        assert_eq!(g.root.edges.len(), 2);
        assert_eq!(g.root.nodes[g.root.entry].kind, NodeKind::Start);
    }
}
