//! Building the SDK client: one hyper + rustls (ring) HTTP stack that serves both `http://`
//! and `https://` endpoints, standard-mode retries with backoff on 5xx and throttling, connect
//! and response timeouts so a dead server gives an error instead of a hang, and credentials from
//! the config or the standard AWS environment variables / shared credentials file.
//!
//! aws-config is not used: it would bring the SSO and STS clients into every build for little
//! gain here. What it would have supplied is done in [`credentials`]: explicit keys, then
//! `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, then the `[profile]`
//! of `~/.aws/credentials` (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_PROFILE`). Without any, requests
//! go unsigned (public buckets).

use std::time::Duration;

use aws_sdk_s3::config::retry::RetryConfig;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{
    BehaviorVersion, Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
    StalledStreamProtectionConfig,
};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

use crate::config::{S3Config, StaticCredentials};

/// Total tries of one request (the first one plus retries).
pub const MAX_ATTEMPTS: u32 = 3;

pub fn build_client(cfg: &S3Config) -> aws_sdk_s3::Client {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let retry = RetryConfig::standard()
        .with_max_attempts(MAX_ATTEMPTS)
        .with_initial_backoff(Duration::from_millis(200))
        .with_max_backoff(Duration::from_secs(5));
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(10))
        .read_timeout(Duration::from_secs(60))
        .build();
    let mut b = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .http_client(http)
        .region(Region::new(cfg.region.clone()))
        .force_path_style(cfg.path_style)
        .retry_config(retry)
        .timeout_config(timeouts)
        // Readers pause whenever the pipeline downstream is busy; that is not a stall.
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
        // The newer default checksums (CRC trailers, aws-chunked bodies) are not understood by
        // every S3-compatible service; send them only where an operation requires one.
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
    if let Some(url) = &cfg.endpoint_url {
        b = b.endpoint_url(url.clone());
    }
    match credentials(cfg) {
        Some(c) => {
            b = b.credentials_provider(Credentials::new(
                c.access_key_id,
                c.secret_access_key,
                c.session_token,
                None,
                "mirage",
            ))
        }
        None => b = b.allow_no_auth(),
    }
    aws_sdk_s3::Client::from_conf(b.build())
}

/// Explicit keys, else the environment, else the shared credentials file.
fn credentials(cfg: &S3Config) -> Option<StaticCredentials> {
    cfg.credentials
        .clone()
        .or_else(env_credentials)
        .or_else(file_credentials)
}

fn env_credentials() -> Option<StaticCredentials> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    Some(StaticCredentials {
        access_key_id: var("AWS_ACCESS_KEY_ID")?,
        secret_access_key: var("AWS_SECRET_ACCESS_KEY")?,
        session_token: var("AWS_SESSION_TOKEN"),
    })
}

fn file_credentials() -> Option<StaticCredentials> {
    let path = match std::env::var_os("AWS_SHARED_CREDENTIALS_FILE") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::path::PathBuf::from(std::env::var_os("HOME")?).join(".aws/credentials"),
    };
    let text = std::fs::read_to_string(path).ok()?;
    let profile = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".to_string());
    parse_credentials_file(&text, &profile)
}

/// The keys of `[profile]` in an INI-style credentials file.
pub(crate) fn parse_credentials_file(text: &str, profile: &str) -> Option<StaticCredentials> {
    let mut in_profile = false;
    let (mut id, mut secret, mut token) = (None, None, None);
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim();
            in_profile = name == profile || name.strip_prefix("profile ") == Some(profile);
            continue;
        }
        if !in_profile {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let v = v.trim().to_string();
            match k.trim() {
                "aws_access_key_id" => id = Some(v),
                "aws_secret_access_key" => secret = Some(v),
                "aws_session_token" => token = Some(v),
                _ => {}
            }
        }
    }
    Some(StaticCredentials {
        access_key_id: id?,
        secret_access_key: secret?,
        session_token: token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_profile() {
        let text = "[default]\naws_access_key_id = A\naws_secret_access_key=B\n\n\
                    [work]\n# comment\naws_access_key_id = C\naws_secret_access_key = D\naws_session_token = T\n";
        let d = parse_credentials_file(text, "default").unwrap();
        assert_eq!(
            (d.access_key_id.as_str(), d.secret_access_key.as_str()),
            ("A", "B")
        );
        let w = parse_credentials_file(text, "work").unwrap();
        assert_eq!(w.session_token.as_deref(), Some("T"));
        assert!(parse_credentials_file(text, "none").is_none());
    }
}
