//! SDK errors as [`FsError`]s: what a shell user needs (`No such file or directory`,
//! `Permission denied`, a network failure naming the server), with the service's own code and
//! message kept in the detail.

use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use mirage_core::{ErrorKind, FsError};

/// What went wrong, before it becomes an [`FsError`]: callers check for `NotFound` and
/// `InvalidRange` themselves.
pub(crate) struct S3Failure {
    pub status: Option<u16>,
    pub code: Option<String>,
    pub error: FsError,
}

impl S3Failure {
    pub fn is_not_found(&self) -> bool {
        self.error.kind == ErrorKind::NotFound
    }
}

/// Classifies one failed call `op` on the mount described by `label`.
pub(crate) fn classify<E, R>(label: &str, op: &str, e: SdkError<E, R>) -> S3Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + HasStatus + 'static,
{
    let status = e.raw_response().map(|r| r.status_code());
    let code = e.code().map(str::to_string);
    let message = e.message().map(str::to_string);
    let error = match &e {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
            FsError::with_detail(ErrorKind::Network, format!("{label}: {op}: {}", causes(&e)))
        }
        SdkError::ConstructionFailure(_) => {
            FsError::with_detail(ErrorKind::Other, format!("{label}: {op}: {}", causes(&e)))
        }
        SdkError::ResponseError(_) => FsError::with_detail(
            ErrorKind::Network,
            format!("{label}: {op}: bad response: {}", causes(&e)),
        ),
        _ => {
            let detail = format!(
                "{label}: {op}: HTTP {}{}{}",
                status.map(|s| s.to_string()).unwrap_or_else(|| "?".into()),
                code.as_deref().map(|c| format!(" {c}")).unwrap_or_default(),
                message
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default(),
            );
            let kind = match (status, code.as_deref()) {
                (_, Some("NoSuchBucket")) => ErrorKind::Other,
                (_, Some("NoSuchKey" | "NotFound" | "NoSuchUpload")) | (Some(404), _) => {
                    ErrorKind::NotFound
                }
                (
                    _,
                    Some(
                        "AccessDenied"
                        | "InvalidAccessKeyId"
                        | "SignatureDoesNotMatch"
                        | "ExpiredToken"
                        | "InvalidToken"
                        | "AllAccessDisabled",
                    ),
                )
                | (Some(401 | 403), _) => ErrorKind::PermissionDenied,
                (Some(400), _) => ErrorKind::InvalidInput,
                (Some(s), _) if s >= 500 => ErrorKind::Other,
                _ => ErrorKind::Other,
            };
            FsError::with_detail(kind, detail)
        }
    };
    S3Failure {
        status,
        code,
        error,
    }
}

/// The error and its sources, `: `-joined, without the debug dumps the SDK appends.
fn causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(c) = cur {
        let s = c.to_string();
        if parts.last() != Some(&s) {
            parts.push(s);
        }
        cur = c.source();
    }
    parts.join(": ")
}

/// Shorthand: classify and keep only the [`FsError`].
pub(crate) fn fs_err<E, R>(label: &str, op: &str, e: SdkError<E, R>) -> FsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + HasStatus + 'static,
{
    classify(label, op, e).error
}

/// The HTTP status of a raw response, whatever the SDK's response type.
pub(crate) trait HasStatus {
    fn status_code(&self) -> u16;
}

impl HasStatus for aws_sdk_s3::config::http::HttpResponse {
    fn status_code(&self) -> u16 {
        self.status().as_u16()
    }
}
