//! The lints' registry: each lint's code, title, one-paragraph explanation and AWS docs link.
//!
//! Owns [`LINTS`] and [`info`]; front ends show the explanation beside a warning and link to
//! the page. Whether a lint runs on the definition alone or after a run is [`LintInfo::after_run`].

use crate::diag::Code;

/// What a lint is about, for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintInfo {
    pub code: Code,
    pub title: &'static str,
    pub explanation: &'static str,
    pub docs_url: &'static str,
    /// Needs a finished run (its history or input), not just the definition.
    pub after_run: bool,
}

/// Every lint, in documentation order.
pub const LINTS: &[LintInfo] = &[
    LintInfo {
        code: Code::LintPayloadGrows,
        title: "Payload grows in a loop",
        explanation: "This state copies the whole state input (`$`) into its result, and it runs again and again (in a loop or a Map), so the document nests one level deeper and grows with every pass until it crosses the 256 KiB limit and the execution fails with States.DataLimitExceeded. Keep only what the next state needs with ResultSelector, put the result beside the input with a ResultPath such as `$.result` (overwritten on each pass), or store large data in S3 and pass its key.",
        docs_url: "https://docs.aws.amazon.com/step-functions/latest/dg/avoid-exec-failures.html",
        after_run: false,
    },
    LintInfo {
        code: Code::LintPayloadNearLimit,
        title: "Payload near the 256 KiB limit",
        explanation: "In the last run this state's output came within 50% of the 256 KiB (262,144 bytes) limit on a state's input and output. Real inputs vary, and under load a bigger one fails the execution with States.DataLimitExceeded. Trim results with ResultSelector/OutputPath, or store large data in S3 and pass a reference (bucket and key) instead.",
        docs_url: "https://docs.aws.amazon.com/step-functions/latest/dg/avoid-exec-failures.html",
        after_run: true,
    },
    LintInfo {
        code: Code::LintRetryMultiplies,
        title: "Retries multiply",
        explanation: "This state has its own Retry and sits inside a Parallel or Map state that retries too. When the outer state retries, it runs everything inside it again, inner retries included, so a persistent failure is attempted the product of the two policies' attempts. Keep retry policy in one place: usually on the task, with the outer state catching instead of retrying.",
        docs_url: "https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html",
        after_run: false,
    },
    LintInfo {
        code: Code::LintLambdaRetryBroad,
        title: "Lambda retries on top of Lambda's own",
        explanation: "This Lambda invocation retries on States.ALL or Lambda.* errors. Lambda retries asynchronous invocations and event-source batches by itself (twice by default), so a failing function can run the product of both policies' attempts (3 × 3 = 9 with the defaults). Retry only the errors worth retrying here, and keep retry policy in one place.",
        docs_url: "https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html",
        after_run: false,
    },
    LintInfo {
        code: Code::LintLambdaTransientRetry,
        title: "No retry on transient Lambda errors",
        explanation: "AWS recommends that every Lambda invocation retry the transient service errors Lambda.ServiceException, Lambda.AWSLambdaException and Lambda.SdkClientException (and Lambda.TooManyRequestsException, raised when the function is throttled): without it an occasional hiccup of the Lambda service fails the whole execution. The quick fix inserts the retrier the Step Functions console adds by default.",
        docs_url: "https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html",
        after_run: false,
    },
    LintInfo {
        code: Code::LintSecretInDefinition,
        title: "Secret in the definition",
        explanation: "This key looks like a secret (a password, token, API key or authorization header) and has a literal value. The definition is readable by anyone who can describe the state machine, and every value a state receives is stored in the execution history (kept 90 days for Standard workflows). Fetch the secret at run time from AWS Secrets Manager (an aws-sdk:secretsmanager:getSecretValue task) or use an EventBridge connection for HTTP tasks.",
        docs_url: "https://docs.aws.amazon.com/step-functions/latest/dg/data-protection.html",
        after_run: false,
    },
    LintInfo {
        code: Code::LintSecretInInput,
        title: "Secret in the execution input",
        explanation: "The execution input has a key that looks like a secret (this warning's pointer is into the input, not the definition). The input is stored in the execution history (kept 90 days for Standard workflows) and shown in the console to anyone who can read executions. Pass a reference (a Secrets Manager secret name) and fetch the value in the task that needs it.",
        docs_url: "https://docs.aws.amazon.com/step-functions/latest/dg/data-protection.html",
        after_run: true,
    },
    LintInfo {
        code: Code::LintCostHotSpot,
        title: "Cost hot spot",
        explanation: "This Standard run made many state transitions, and Standard workflows bill every one of them (retries included). High-volume inner loops are usually far cheaper as an Express workflow (billed per request and duration), called from the Standard one, or as a Distributed Map with Express child executions. The estimate beside it prices the alternative for this very run.",
        docs_url: "https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html",
        after_run: true,
    },
];

/// The registry entry of a lint code (`None` for codes that are not lints).
pub fn info(code: Code) -> Option<&'static LintInfo> {
    LINTS.iter().find(|l| l.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lint_is_a_warning_with_docs() {
        for l in LINTS {
            assert_eq!(l.code.severity(), crate::Severity::Warning, "{}", l.code);
            assert!(l.docs_url.starts_with("https://docs.aws.amazon.com/"));
            assert!(l.explanation.len() > 100);
            assert!(l.code.aws_code().is_none());
        }
        let lint_codes = crate::Code::ALL.iter().filter(|c| c.is_lint()).count();
        assert_eq!(lint_codes, LINTS.len());
    }
}
