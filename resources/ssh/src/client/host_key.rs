//! Host key checking against a known_hosts file, the way `ssh` does it with
//! `StrictHostKeyChecking yes`: a listed key is trusted, a key that contradicts the file is
//! refused (someone may be in the middle), and an unlisted key is refused unless the config says
//! `accept_unknown_host_key: true`. A refusal's reason is kept so the connection error can say
//! which of these happened instead of russh's bare "unknown key".

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use russh::client;
use russh::keys::known_hosts::known_host_keys_path;
use russh::keys::{HashAlg, PublicKey, PublicKeyOrCertificate};

/// The russh client handler: it only judges the server's key.
pub(crate) struct HostKeyCheck {
    pub host: String,
    pub port: u16,
    pub known_hosts: PathBuf,
    pub accept_unknown: bool,
    /// Why the key was refused, read by the connector after the handshake failed.
    pub refusal: Arc<Mutex<Option<String>>>,
}

impl HostKeyCheck {
    /// `Ok` to trust the key, `Err(reason)` to refuse it.
    fn judge(&self, offered: &PublicKeyOrCertificate) -> Result<(), String> {
        let key = match offered {
            PublicKeyOrCertificate::PublicKey { key, .. } => key,
            PublicKeyOrCertificate::Certificate(_) if self.accept_unknown => return Ok(()),
            PublicKeyOrCertificate::Certificate(_) => {
                return Err(
                    "the server offered a host certificate; certificate authorities are not \
                     supported (list the host key in known_hosts)"
                        .to_string(),
                );
            }
        };
        let listed =
            known_host_keys_path(&self.host, self.port, &self.known_hosts).map_err(|e| {
                format!(
                    "cannot read known_hosts {}: {e}",
                    self.known_hosts.display()
                )
            })?;
        if listed.iter().any(|(_, k)| k == key) {
            return Ok(());
        }
        let fp = fingerprint(key);
        if let Some((line, _)) = listed
            .iter()
            .find(|(_, k)| k.algorithm() == key.algorithm())
        {
            return Err(format!(
                "host key mismatch: the server's {} key {fp} differs from the one in {} line \
                 {line}; refusing to connect (the host may have been reinstalled, or someone is \
                 intercepting the connection)",
                key.algorithm(),
                self.known_hosts.display()
            ));
        }
        if self.accept_unknown {
            return Ok(());
        }
        let note = if !self.known_hosts.exists() {
            " (no such file)".to_string()
        } else if listed.is_empty() {
            String::new()
        } else {
            let kinds: Vec<String> = listed
                .iter()
                .map(|(_, k)| k.algorithm().to_string())
                .collect();
            format!(" (it lists only {} keys for this host)", kinds.join(", "))
        };
        Err(format!(
            "host key verification failed: the server's {} key {fp} is not in {}{note}; add \
             it (ssh-keyscan) or set `accept_unknown_host_key: true`",
            key.algorithm(),
            self.known_hosts.display(),
        ))
    }
}

/// `SHA256:...`, as `ssh-keygen -lf` prints it.
fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

impl client::Handler for HostKeyCheck {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        server_public_key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        match self.judge(server_public_key) {
            Ok(()) => Ok(true),
            Err(reason) => {
                if let Ok(mut slot) = self.refusal.lock() {
                    *slot = Some(reason);
                }
                Ok(false)
            }
        }
    }
}
