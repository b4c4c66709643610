//! A private OpenSSH server for one test: `/usr/sbin/sshd -D -e` on a free 127.0.0.1 port with a
//! host key and a client key generated into a temporary directory, logging in as the user
//! running the tests (key only, no PAM), serving SFTP with `internal-sftp`. Stopping it kills
//! the listener and every per-connection process it forked (by PID), so a test can also use
//! [`SshServer::stop`] to cut the server off in the middle of a transfer.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::free_port;

const SSHD: &str = "/usr/sbin/sshd";
const INSTALL_HINT: &str = "run scripts/install-test-deps.sh to install it";

pub struct SshServer {
    child: Option<Child>,
    port: u16,
    user: String,
    /// Keys, config, authorized_keys, known_hosts and the server log.
    dir: tempfile::TempDir,
}

impl SshServer {
    /// Generates keys, writes a config and starts sshd. Fails (never skips) when OpenSSH is
    /// missing.
    pub fn start() -> Result<Self, String> {
        if !Path::new(SSHD).exists() {
            return Err(format!(
                "cannot start the SSH test server: {SSHD} is missing; {INSTALL_HINT}"
            ));
        }
        let user = current_user()?;
        let dir = tempfile::Builder::new()
            .prefix("mirage-sshd-")
            .tempdir()
            .map_err(|e| format!("temporary directory for sshd: {e}"))?;
        let d = dir.path();
        keygen(&d.join("host_ed25519"), "mirage-test-host")?;
        keygen(&d.join("client_ed25519"), "mirage-test-client")?;
        copy(&d.join("client_ed25519.pub"), &d.join("authorized_keys"))?;
        ensure_privsep_dir()?;

        let port = free_port()?;
        let config = format!(
            "Port {port}\n\
             ListenAddress 127.0.0.1\n\
             HostKey {host_key}\n\
             PidFile {pid}\n\
             AuthorizedKeysFile {keys}\n\
             PubkeyAuthentication yes\n\
             PasswordAuthentication no\n\
             KbdInteractiveAuthentication no\n\
             UsePAM no\n\
             StrictModes no\n\
             PermitRootLogin prohibit-password\n\
             AllowUsers {user}\n\
             MaxStartups 100\n\
             MaxSessions 100\n\
             Subsystem sftp internal-sftp\n",
            host_key = d.join("host_ed25519").display(),
            pid = d.join("sshd.pid").display(),
            keys = d.join("authorized_keys").display(),
        );
        let config_path = d.join("sshd_config");
        fs::write(&config_path, config).map_err(|e| format!("writing sshd_config: {e}"))?;
        let host_pub = fs::read_to_string(d.join("host_ed25519.pub"))
            .map_err(|e| format!("reading the host key: {e}"))?;
        fs::write(
            d.join("known_hosts"),
            format!("[127.0.0.1]:{port} {}\n", host_pub.trim()),
        )
        .map_err(|e| format!("writing known_hosts: {e}"))?;

        let log = fs::File::create(d.join("sshd.log"))
            .map_err(|e| format!("creating the sshd log: {e}"))?;
        let child = Command::new(SSHD)
            .arg("-D")
            .arg("-e")
            .arg("-f")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .map_err(|e| format!("cannot start {SSHD} ({e}); {INSTALL_HINT}"))?;
        let mut server = SshServer {
            child: Some(child),
            port,
            user,
            dir,
        };
        if let Err(e) = server.wait_ready() {
            let log = server.log();
            server.stop();
            return Err(format!("sshd did not come up: {e}\n{log}"));
        }
        Ok(server)
    }

    /// Waits for the port, failing early if sshd exited (bad config, missing privsep dir).
    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                return Err(format!("sshd exited with {status}"));
            }
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        Err(format!(
            "nothing listens on 127.0.0.1:{} after 10 s",
            self.port
        ))
    }

    pub fn host(&self) -> &'static str {
        "127.0.0.1"
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The account tests log in as: the user running them.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The client private key the server accepts (unencrypted Ed25519).
    pub fn key_path(&self) -> PathBuf {
        self.dir.path().join("client_ed25519")
    }

    /// A known_hosts file listing this server's host key as `[127.0.0.1]:PORT`.
    pub fn known_hosts_path(&self) -> PathBuf {
        self.dir.path().join("known_hosts")
    }

    /// The one line of [`known_hosts_path`](Self::known_hosts_path).
    pub fn known_hosts_line(&self) -> String {
        fs::read_to_string(self.known_hosts_path())
            .map(|s| s.trim_end().to_string())
            .unwrap_or_default()
    }

    /// A new key pair the server does not know; returns the private key's path.
    pub fn stranger_key(&self) -> Result<PathBuf, String> {
        let path = self.dir.path().join(format!(
            "stranger_{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        keygen(&path, "mirage-test-stranger")?;
        Ok(path)
    }

    /// A fresh empty directory to serve as one test's remote root (the server is local, so
    /// the test can also look at it directly).
    pub fn fresh_root(&self) -> Result<tempfile::TempDir, String> {
        tempfile::Builder::new()
            .prefix("mirage-sftp-root-")
            .tempdir()
            .map_err(|e| format!("temporary remote root: {e}"))
    }

    /// A config block for the `ssh` resource serving `root` from this server with the test
    /// key and known_hosts. Add or replace keys as a test needs.
    pub fn config(&self, root: &Path) -> serde_json::Value {
        serde_json::json!({
            "host": self.host(),
            "port": self.port,
            "user": self.user,
            "private_key": self.key_path().to_string_lossy(),
            "known_hosts": self.known_hosts_path().to_string_lossy(),
            "root": root.to_string_lossy(),
        })
    }

    /// What sshd logged so far (for failure messages).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("sshd.log")).unwrap_or_default()
    }

    /// The listener's PID while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Kills the listener and the per-connection processes it forked (all by PID), then reaps
    /// the listener. Open connections drop at once. Later calls do nothing.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // Collect the tree before killing: once the listener is gone its children are
        // re-parented and can no longer be told apart from anyone else's processes.
        let forked = descendants(child.id());
        let _ = child.kill();
        for pid in forked {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let _ = child.wait();
    }
}

impl Drop for SshServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The login name of the user running the tests.
fn current_user() -> Result<String, String> {
    if let Ok(u) = std::env::var("USER")
        && !u.is_empty()
    {
        return Ok(u);
    }
    let out = Command::new("id")
        .arg("-un")
        .output()
        .map_err(|e| format!("cannot run `id -un`: {e}"))?;
    let name = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if name.is_empty() {
        Err("cannot tell which user runs the tests (`id -un` printed nothing)".into())
    } else {
        Ok(name)
    }
}

/// An unencrypted Ed25519 key pair at `path` and `path.pub`.
fn keygen(path: &Path, comment: &str) -> Result<(), String> {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run ssh-keygen ({e}); {INSTALL_HINT}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ssh-keygen failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

/// sshd refuses to start without its privilege separation directory, which only exists on
/// hosts where the system sshd ran once.
fn ensure_privsep_dir() -> Result<(), String> {
    let dir = Path::new("/run/sshd");
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| {
        format!(
            "sshd needs {} and it cannot be created ({e}); create it as root (mkdir -p /run/sshd)",
            dir.display()
        )
    })
}

/// Every process below `root`, found through the parent PIDs in /proc.
fn descendants(root: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // `pid (comm) state ppid ...`; comm may contain spaces, so split after the `)`.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|s| s.parse::<u32>().ok());
            if let Some(ppid) = ppid {
                parents.push((pid, ppid));
            }
        }
    }
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for &(pid, ppid) in &parents {
            if ppid == p && !found.contains(&pid) {
                found.push(pid);
                frontier.push(pid);
            }
        }
    }
    found
}
