//! The character devices every shell script expects under `/dev`: `null` (reads nothing,
//! swallows writes), `zero` (endless zero bytes), `urandom` and `random` (endless random
//! bytes), `full` (reads zeros, refuses writes: "No space left on device"). A workspace mounts
//! this at `/dev` unless something else is mounted there, so `cat /dev/null > log`, `grep -n
//! pat file /dev/null` and `head -c 16 /dev/urandom | xxd` work as on a real system. Nothing
//! touches the host: the random bytes come from a generator seeded once per stream.

use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use bytes::Bytes;
use futures::StreamExt;

use crate::error::{ErrorKind, FsError, FsResult};
use crate::path::VPath;
use crate::resource::{CacheHints, Capabilities, Resource, WriteMode};
use crate::stat::{DirEntry, FileStat};
use crate::stream::{ByteRange, ByteStream, empty_stream};

/// Bytes per chunk of an endless device: large enough that `head -c 100M /dev/zero` is quick,
/// small enough that `head -c 1` stops after little work.
const CHUNK: usize = 64 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Device {
    Null,
    Zero,
    Full,
    Random,
}

impl Device {
    const ALL: [(&'static str, Device); 5] = [
        ("full", Device::Full),
        ("null", Device::Null),
        ("random", Device::Random),
        ("urandom", Device::Random),
        ("zero", Device::Zero),
    ];

    fn named(path: &VPath) -> Option<Device> {
        let name = path.as_str().strip_prefix('/')?;
        Device::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| *d)
    }
}

/// See the module documentation.
#[derive(Default)]
pub struct DeviceResource;

impl DeviceResource {
    pub fn new() -> Self {
        DeviceResource
    }
}

#[async_trait]
impl Resource for DeviceResource {
    fn kind(&self) -> &str {
        "devices"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            write: true,
            append: true,
            ..Capabilities::read_only()
        }
    }

    fn cache_hints(&self) -> CacheHints {
        // Endless streams must never be cached.
        CacheHints::NONE
    }

    async fn stat(&self, path: &VPath) -> FsResult<FileStat> {
        if path.is_root() {
            return Ok(FileStat {
                mode: Some(0o755),
                ..FileStat::dir()
            });
        }
        match Device::named(path) {
            Some(_) => Ok(FileStat::char_device()),
            None => Err(FsError::not_found()),
        }
    }

    async fn list(&self, path: &VPath) -> FsResult<Vec<DirEntry>> {
        if !path.is_root() {
            return Err(match Device::named(path) {
                Some(_) => FsError::not_dir(),
                None => FsError::not_found(),
            });
        }
        Ok(Device::ALL
            .iter()
            .map(|(name, _)| DirEntry {
                name: (*name).to_string(),
                stat: FileStat::char_device(),
            })
            .collect())
    }

    async fn read(&self, path: &VPath, _range: Option<ByteRange>) -> FsResult<ByteStream> {
        match Device::named(path) {
            None if path.is_root() => Err(FsError::is_dir()),
            None => Err(FsError::not_found()),
            Some(Device::Null) => Ok(empty_stream()),
            Some(Device::Zero | Device::Full) => {
                let zeros = Bytes::from(vec![0u8; CHUNK]);
                Ok(futures::stream::repeat_with(move || Ok(zeros.clone())).boxed())
            }
            Some(Device::Random) => {
                let mut rng = SplitMix64::seeded();
                Ok(futures::stream::repeat_with(move || {
                    let mut chunk = vec![0u8; CHUNK];
                    rng.fill(&mut chunk);
                    Ok(Bytes::from(chunk))
                })
                .boxed())
            }
        }
    }

    async fn write(&self, path: &VPath, mut data: ByteStream, _mode: WriteMode) -> FsResult<u64> {
        let device = match Device::named(path) {
            Some(d) => d,
            None if path.is_root() => return Err(FsError::is_dir()),
            // No new files in /dev.
            None => return Err(FsError::new(ErrorKind::PermissionDenied)),
        };
        let mut written = 0u64;
        while let Some(chunk) = data.next().await {
            let chunk = chunk?;
            if device == Device::Full && !chunk.is_empty() {
                return Err(FsError::with_detail(
                    ErrorKind::Other,
                    "No space left on device",
                ));
            }
            written += chunk.len() as u64;
        }
        Ok(written)
    }
}

/// A small, fast generator (SplitMix64) for `/dev/urandom`'s bytes: not for cryptography,
/// which nothing in a virtual shell needs; seeded from the clock and a per-process counter.
struct SplitMix64(u64);

impl SplitMix64 {
    fn seeded() -> Self {
        use std::sync::atomic::{AtomicU64, Ordering};
        static STREAMS: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let n = STREAMS.fetch_add(1, Ordering::Relaxed);
        SplitMix64(nanos ^ (u64::from(std::process::id()) << 32) ^ n.wrapping_mul(0x9E37_79B9))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let word = self.next().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::stream_from_bytes;

    async fn first_bytes(r: &DeviceResource, path: &str, n: usize) -> Vec<u8> {
        let mut s = r.read(&VPath::new(path), None).await.unwrap();
        let mut out = Vec::new();
        while out.len() < n {
            match s.next().await {
                Some(Ok(b)) => out.extend_from_slice(&b),
                _ => break,
            }
        }
        out.truncate(n);
        out
    }

    #[tokio::test]
    async fn devices_read_and_write_like_the_kernel_ones() {
        let r = DeviceResource::new();
        assert!(first_bytes(&r, "/null", 10).await.is_empty());
        assert_eq!(first_bytes(&r, "/zero", 100_000).await, vec![0u8; 100_000]);
        let a = first_bytes(&r, "/urandom", 64).await;
        let b = first_bytes(&r, "/urandom", 64).await;
        assert_eq!(a.len(), 64);
        assert_ne!(a, b, "two streams must not repeat each other");
        assert!(a.iter().any(|&x| x != 0));
        let n = r
            .write(
                &VPath::new("/null"),
                stream_from_bytes(vec![1u8; 5000]),
                WriteMode::Truncate,
            )
            .await
            .unwrap();
        assert_eq!(n, 5000);
        let full = r
            .write(
                &VPath::new("/full"),
                stream_from_bytes(vec![1u8; 1]),
                WriteMode::Append,
            )
            .await;
        assert!(full.is_err());
        let new_file = r
            .write(
                &VPath::new("/mine"),
                stream_from_bytes(vec![1u8; 1]),
                WriteMode::Truncate,
            )
            .await;
        assert_eq!(
            new_file.map_err(|e| e.kind),
            Err(ErrorKind::PermissionDenied)
        );
        assert!(r.stat(&VPath::new("/null")).await.unwrap().is_char_device());
        assert!(r.stat(&VPath::new("/nope")).await.is_err());
        let names: Vec<String> = r
            .list(&VPath::root())
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["full", "null", "random", "urandom", "zero"]);
    }
}
