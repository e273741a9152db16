//! Map states and their configuration objects: `ItemProcessor` (or the legacy `Iterator`) with
//! `ProcessorConfig`, `ItemsPath`/`Items`, `ItemSelector` (or the legacy `Parameters`),
//! concurrency and tolerated failures, `Label`, and the Distributed Map's `ItemReader`,
//! `ItemBatcher` and `ResultWriter`, whose fields are checked against their own allowed lists.
//!
//! Not owned here: the processor's states ([`super::machine`]), Retry/Catch ([`super::retry`]),
//! and running a Map ([`crate::exec`]).

use std::sync::Arc;

use indexmap::IndexMap;

use super::Cx;
use super::fields::Fields;
use super::machine::BranchKind;
use super::query_language::{field_language, ql_name};
use crate::diag::Code;
use crate::model::{
    Branch, ItemBatcher, ItemReader, Map, MapMode, ProcessorConfig, QueryLanguage, ResultWriter,
    Spanned, Target,
};
use crate::syntax::{Kind, Member};
use crate::template::Template;

impl Cx {
    pub(super) fn map(&mut self, f: &Fields, ql: QueryLanguage) -> Map {
        let (proc_member, legacy) = match (f.get("ItemProcessor"), f.get("Iterator")) {
            (Some(p), Some(i)) => {
                self.push(
                    Code::MutuallyExclusiveFields,
                    "fields 'ItemProcessor' and 'Iterator' are mutually exclusive (Iterator is the legacy name)",
                    &f.ptr("Iterator"),
                    i.key_span,
                );
                (Some(p), false)
            }
            (Some(p), None) => (Some(p), false),
            (None, Some(i)) => (Some(i), true),
            (None, None) => {
                self.missing(f, "ItemProcessor");
                (None, false)
            }
        };
        let empty_branch = |span| Branch {
            start_at: Target {
                name: Arc::from(""),
                span,
                id: None,
            },
            states: IndexMap::new(),
            comment: None,
            processor_config: None,
            span,
        };
        let processor = match proc_member {
            Some(m) => {
                let kind = if legacy {
                    BranchKind::Iterator
                } else {
                    BranchKind::Processor
                };
                let key = if legacy { "Iterator" } else { "ItemProcessor" };
                self.branch(&m.value, &f.ptr(key), m.key_span, kind)
                    .unwrap_or_else(|| empty_branch(m.value.span))
            }
            None => empty_branch(f.anchor),
        };
        if f.has("Parameters")
            && f.has("ItemSelector")
            && let Some(m) = f.get("Parameters")
        {
            self.push(
                Code::MutuallyExclusiveFields,
                "fields 'ItemSelector' and 'Parameters' are mutually exclusive (Parameters is the legacy name)",
                &f.ptr("Parameters"),
                m.key_span,
            );
        }
        let item_selector = if f.has("ItemSelector") {
            self.template(f, "ItemSelector", ql)
        } else {
            self.template(f, "Parameters", ql)
        };
        let non_negative = |cx: &mut Cx, m: &Member, ptr: &str| {
            cx.int(m, ptr, 0, u64::from(u32::MAX), Code::InvalidMaxConcurrency)
        };
        let max_concurrency =
            self.dynamic(f, ql, "MaxConcurrency", "MaxConcurrencyPath", non_negative);
        let count = |cx: &mut Cx, m: &Member, ptr: &str| {
            cx.int(
                m,
                ptr,
                0,
                u64::from(u32::MAX),
                Code::InvalidToleratedFailure,
            )
        };
        let tolerated_failure_count = self.dynamic(
            f,
            ql,
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            count,
        );
        let percentage = |cx: &mut Cx, m: &Member, ptr: &str| -> Option<f64> {
            let Kind::Number(n) = &m.value.kind else {
                cx.wrong_type(m, ptr, "a number");
                return None;
            };
            match n.as_f64() {
                Some(v) if (0.0..=100.0).contains(&v) => Some(v),
                _ => {
                    cx.push(
                        Code::InvalidToleratedFailure,
                        format!("ToleratedFailurePercentage must be from 0 to 100, not {n}"),
                        ptr,
                        m.value.span,
                    );
                    None
                }
            }
        };
        let tolerated_failure_percentage = self.dynamic(
            f,
            ql,
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            percentage,
        );
        let label = self.string(f, "Label").map(|(s, ptr)| {
            let bad = s.value.chars().count() > 40
                || s.value.is_empty()
                || s.value.chars().any(|c| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c));
            if bad {
                self.push(
                    Code::InvalidLabelName,
                    "Label must be 1 to 40 characters with no whitespace, brackets, wildcards, punctuation (\"#%\\^|~`$&,;:/) or control characters",
                    &ptr.s(),
                    s.span,
                );
            }
            Spanned::new(s.value.to_string(), s.span)
        });
        let item_reader = self.item_reader(f, ql);
        let item_batcher = self.item_batcher(f, ql);
        let result_writer = self.result_writer(f, ql);
        let (retry, catch) = self.retry_catch(f, ql);
        Map {
            processor,
            legacy_iterator: legacy,
            items_path: self.nullable_path(f, "ItemsPath", true),
            items: self.template(f, "Items", ql),
            item_selector,
            item_reader,
            item_batcher,
            result_writer,
            max_concurrency,
            tolerated_failure_count,
            tolerated_failure_percentage,
            label,
            retry,
            catch,
        }
    }

    pub(super) fn processor_config(&mut self, f: &Fields) -> Option<ProcessorConfig> {
        let m = f.get("ProcessorConfig")?;
        let pf = self.fields(
            &m.value,
            &f.ptr("ProcessorConfig"),
            m.key_span,
            "ProcessorConfig",
            Code::DuplicateKey,
        )?;
        let mut config = ProcessorConfig {
            mode: MapMode::Inline,
            execution_type: None,
        };
        for m in &pf.members {
            if !matches!(m.key.as_str(), "Mode" | "ExecutionType") {
                self.push(
                    Code::UnknownField,
                    format!("Field '{}' is not supported in ProcessorConfig", m.key),
                    &pf.ptr(&m.key),
                    m.key_span,
                );
            }
        }
        if let Some((s, ptr)) = self.string(&pf, "Mode") {
            match &*s.value {
                "INLINE" => {}
                "DISTRIBUTED" => config.mode = MapMode::Distributed,
                other => self.push(
                    Code::InvalidValue,
                    format!("Mode must be INLINE or DISTRIBUTED, not '{other}'"),
                    &ptr.s(),
                    s.span,
                ),
            }
        }
        if let Some((s, ptr)) = self.string(&pf, "ExecutionType") {
            if !matches!(&*s.value, "STANDARD" | "EXPRESS") {
                self.push(
                    Code::InvalidValue,
                    format!(
                        "ExecutionType must be STANDARD or EXPRESS, not '{}'",
                        s.value
                    ),
                    &ptr.s(),
                    s.span,
                );
            }
            config.execution_type = Some(Spanned::new(s.value.to_string(), s.span));
        }
        Some(config)
    }

    /// Fields of a sub-object (ItemReader, ItemBatcher, ResultWriter), checked against `allowed` and
    /// the query language.
    pub(super) fn sub_fields<'a>(
        &mut self,
        f: &Fields<'a>,
        key: &str,
        allowed: &[&str],
        ql: QueryLanguage,
    ) -> Option<(Fields<'a>, &'a Member)> {
        let m = f.get(key)?;
        let sf = self.fields(&m.value, &f.ptr(key), m.key_span, key, Code::DuplicateKey)?;
        Some((self.only_allowed(sf, allowed, ql, key), m))
    }

    /// Keeps the members of `f` that are allowed in `place` and in the query language `ql`,
    /// reporting every other one.
    pub(super) fn only_allowed<'a>(
        &mut self,
        f: Fields<'a>,
        allowed: &[&str],
        ql: QueryLanguage,
        place: &str,
    ) -> Fields<'a> {
        let mut usable = Vec::new();
        for m in &f.members {
            let key = m.key.as_str();
            if !allowed.contains(&key) {
                self.push(
                    Code::UnknownField,
                    format!("Field '{key}' is not supported in {place}"),
                    &f.ptr(key),
                    m.key_span,
                );
            } else if let Some(lang) = field_language(key)
                && lang != ql
            {
                self.push(
                    Code::QueryLanguageField,
                    format!(
                        "field '{key}' is only supported for the '{}' QueryLanguage",
                        ql_name(lang)
                    ),
                    &f.ptr(key),
                    m.key_span,
                );
            } else {
                usable.push(*m);
            }
        }
        Fields {
            members: usable,
            ptr: f.ptr,
            anchor: f.anchor,
        }
    }

    pub(super) fn item_reader(&mut self, f: &Fields, ql: QueryLanguage) -> Option<ItemReader> {
        let (rf, m) = self.sub_fields(
            f,
            "ItemReader",
            &["Resource", "ReaderConfig", "Parameters", "Arguments"],
            ql,
        )?;
        let resource = match self.string(&rf, "Resource") {
            Some((s, _)) => s,
            None => {
                if !rf.has("Resource") {
                    self.missing(&rf, "Resource");
                }
                Spanned::new(Arc::from(""), rf.anchor)
            }
        };
        let reader_config = self.config(&rf, "ReaderConfig");
        let parameters = self.request_template(&rf, ql);
        Some(ItemReader {
            resource,
            reader_config,
            parameters,
            span: m.value.span,
        })
    }

    /// A `ReaderConfig` / `WriterConfig` object, kept as written (duplicate keys reported).
    pub(super) fn config(&mut self, f: &Fields, key: &str) -> Option<Spanned<crate::value::Value>> {
        f.get(key).map(|c| {
            self.check_duplicates(&c.value, &f.ptr(key));
            Spanned::new(c.value.to_value(), c.value.span)
        })
    }

    /// An ItemReader's / ResultWriter's request: `Arguments` (JSONata) when present, else
    /// `Parameters`.
    pub(super) fn request_template(&mut self, f: &Fields, ql: QueryLanguage) -> Option<Template> {
        if f.has("Arguments") {
            self.template(f, "Arguments", ql)
        } else {
            self.template(f, "Parameters", ql)
        }
    }

    pub(super) fn item_batcher(&mut self, f: &Fields, ql: QueryLanguage) -> Option<ItemBatcher> {
        let allowed = [
            "MaxItemsPerBatch",
            "MaxItemsPerBatchPath",
            "MaxInputBytesPerBatch",
            "MaxInputBytesPerBatchPath",
            "BatchInput",
        ];
        let (bf, m) = self.sub_fields(f, "ItemBatcher", &allowed, ql)?;
        let positive = |cx: &mut Cx, m: &Member, ptr: &str| {
            cx.int(m, ptr, 0, u64::from(u32::MAX), Code::InvalidValue)
        };
        Some(ItemBatcher {
            max_items_per_batch: self.dynamic(
                &bf,
                ql,
                "MaxItemsPerBatch",
                "MaxItemsPerBatchPath",
                positive,
            ),
            max_input_bytes_per_batch: self.dynamic(
                &bf,
                ql,
                "MaxInputBytesPerBatch",
                "MaxInputBytesPerBatchPath",
                positive,
            ),
            batch_input: self.template(&bf, "BatchInput", ql),
            span: m.value.span,
        })
    }

    pub(super) fn result_writer(&mut self, f: &Fields, ql: QueryLanguage) -> Option<ResultWriter> {
        let (wf, m) = self.sub_fields(
            f,
            "ResultWriter",
            &["Resource", "Parameters", "Arguments", "WriterConfig"],
            ql,
        )?;
        let resource = self.string(&wf, "Resource").map(|(s, _)| s);
        let writer_config = self.config(&wf, "WriterConfig");
        let parameters = self.request_template(&wf, ql);
        Some(ResultWriter {
            resource,
            parameters,
            writer_config,
            span: m.value.span,
        })
    }
}
