//! The GNU-recorded bash fixtures replayed on every mount kind the facade ships by default: RAM,
//! Disk and Redis. The replay machinery (case loading, seeding, comparison, the
//! known-divergences ratchet, `MIRAGE_FIXTURE_FILTER`) lives in `mirage_testkit::fixtures`,
//! shared with the resource crates that replay the same cases on their own backends.

use std::sync::Arc;

use mirage::{DiskResource, MountMode, RamResource, Workspace};
use mirage_testkit::fixtures::{Seed, replay_all};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gnu_fixtures_on_ram() {
    let seed = Arc::new(Seed::load());
    replay_all("ram", || {
        let seed = seed.clone();
        async move {
            let ram = RamResource::new();
            seed.write_into(&ram)
                .await
                .unwrap_or_else(|e| panic!("seeding ram: {e}"));
            let ws = Workspace::builder()
                .mount("/data", ram)
                .build()
                .expect("workspace over ram");
            (ws, ())
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gnu_fixtures_on_disk() {
    let seed = Arc::new(Seed::load());
    replay_all("disk", || {
        let seed = seed.clone();
        async move {
            let tmp = seed.disk();
            let disk = DiskResource::new(tmp.path()).expect("disk resource over the seed copy");
            let ws = Workspace::builder()
                .mount("/data", disk)
                .build()
                .expect("workspace over disk");
            // The directory must outlive the case.
            (ws, tmp)
        }
    })
    .await;
}

/// The same replay on a Redis mount: one server for the whole run, a fresh key prefix (so a
/// fresh, empty tree) seeded per case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gnu_fixtures_on_redis() {
    let server = crate::redis::server();
    let url = server.url();
    let seed = Arc::new(Seed::load());
    replay_all("redis", || {
        let seed = seed.clone();
        let url = url.clone();
        async move {
            let redis =
                crate::redis::redis_mount(&url, &crate::redis::unique_prefix("fixture"), None);
            seed.write_into(redis.as_ref())
                .await
                .unwrap_or_else(|e| panic!("seeding redis: {e}"));
            let ws = Workspace::builder()
                .mount_arc("/data", redis, MountMode::Write)
                .build()
                .expect("workspace over redis");
            (ws, ())
        }
    })
    .await;
    drop(server);
}
