//! The driver client, made on first use, and the translation of driver errors into FsErrors
//! that name the server.

use std::time::Duration;

use mirage_core::{ErrorKind as Kind, FsError};
use mongodb::Client;
use mongodb::error::{Error as DriverError, ErrorKind};
use mongodb::options::{ClientOptions, ConnectionString, HostInfo};
use tokio::sync::OnceCell;

/// How long an operation waits for a usable server (and a TCP connect) unless the URI sets
/// `serverSelectionTimeoutMS` / `connectTimeoutMS`. The driver's 30 s default would make an
/// agent's `ls` on a dead server look like a hang.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// MongoDB's "Unauthorized" and "AuthenticationFailed" command error codes.
const UNAUTHORIZED: i32 = 13;
const AUTHENTICATION_FAILED: i32 = 18;

/// A lazily connected client plus the server name used in error messages.
pub struct Connection {
    uri: String,
    /// `host:port[,host:port...]` without credentials.
    server: String,
    client: OnceCell<Client>,
}

impl Connection {
    /// Validates the URI without touching the network.
    pub fn new(uri: &str) -> Result<Self, String> {
        let parsed = ConnectionString::parse(uri).map_err(|e| {
            let mut message = format!("config key `uri`: {}", short_message(&e));
            if uri.starts_with("mongodb+srv://") {
                message.push_str(" (mongodb+srv:// needs DNS SRV lookups, which this build leaves out; list the hosts in a mongodb:// URI)");
            }
            message
        })?;
        let server = match &parsed.host_info {
            HostInfo::HostIdentifiers(hosts) => hosts
                .iter()
                .map(|h| h.to_string())
                .collect::<Vec<_>>()
                .join(","),
            HostInfo::DnsRecord(name) => name.clone(),
            _ => "server".to_string(),
        };
        Ok(Connection {
            uri: uri.to_string(),
            server,
            client: OnceCell::new(),
        })
    }

    /// The hosts of the URI, for messages.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The client, created on first call. Creating it does not contact the server; the first
    /// operation does (and fails within the server selection timeout).
    pub async fn client(&self) -> Result<&Client, FsError> {
        self.client
            .get_or_try_init(|| async {
                let mut options = ClientOptions::parse(self.uri.as_str())
                    .await
                    .map_err(|e| self.error(e))?;
                options
                    .server_selection_timeout
                    .get_or_insert(DEFAULT_TIMEOUT);
                options.connect_timeout.get_or_insert(DEFAULT_TIMEOUT);
                options.app_name.get_or_insert_with(|| "mirage".to_string());
                Client::with_options(options).map_err(|e| self.error(e))
            })
            .await
    }

    /// A driver error as an FsError: unreachable -> Network naming the server, refused
    /// credentials -> PermissionDenied, a namespace the server does not know -> NotFound,
    /// anything else -> an I/O error with the driver's message.
    pub fn error(&self, e: DriverError) -> FsError {
        let server = &self.server;
        match e.kind.as_ref() {
            ErrorKind::ServerSelection { message, .. } => {
                let cause = likely_cause(message);
                FsError::with_detail(
                    Kind::Network,
                    format!("mongodb {server}: server unreachable ({cause})"),
                )
            }
            ErrorKind::Io(io) => {
                FsError::with_detail(Kind::Network, format!("mongodb {server}: {io}"))
            }
            ErrorKind::ConnectionPoolCleared { .. } | ErrorKind::Shutdown => {
                FsError::with_detail(Kind::Network, format!("mongodb {server}: connection lost"))
            }
            ErrorKind::Authentication { .. } => FsError::permission_denied(),
            ErrorKind::Command(c) if c.code == UNAUTHORIZED || c.code == AUTHENTICATION_FAILED => {
                FsError::permission_denied()
            }
            // NamespaceNotFound
            ErrorKind::Command(c) if c.code == 26 => FsError::not_found(),
            _ => FsError::with_detail(
                Kind::Other,
                format!("mongodb {server}: {}", short_message(&e)),
            ),
        }
    }
}

/// The driver's topology dump is long; keep the part an agent can act on.
fn likely_cause(message: &str) -> &'static str {
    let m = message.to_ascii_lowercase();
    if m.contains("connection refused") {
        "connection refused"
    } else if m.contains("timed out") || m.contains("timeout") {
        "no answer within the server selection timeout"
    } else if m.contains("dns") || m.contains("lookup") || m.contains("resolve") {
        "host name does not resolve"
    } else if m.contains("tls") || m.contains("certificate") {
        "TLS handshake failed"
    } else {
        "no usable server within the server selection timeout"
    }
}

/// The driver's Display with its `Kind: ..., labels: {}` wrapping trimmed to one line.
fn short_message(e: &DriverError) -> String {
    let text = e.to_string();
    let line = text.lines().next().unwrap_or_default();
    let line = line.strip_prefix("Kind: ").unwrap_or(line);
    match line.rfind(", labels: ") {
        Some(i) => line[..i].to_string(),
        None => line.to_string(),
    }
}
