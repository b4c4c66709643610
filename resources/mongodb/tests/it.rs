//! The mongodb resource against a real MongoDB wire-protocol server (SecantusDB, started by
//! the test on a free port and killed by PID), driven through a Workspace with bash lines.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use mirage::Workspace;
use mirage_core::{MountMode, Resource, VPath};
use mirage_resource_mongodb::{MongoConfig, MongoResource};
use mirage_testkit::services::mongo::MongoServer;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime, Decimal128, Document, doc};

fn oid(n: u8) -> ObjectId {
    ObjectId::parse_str(format!("65a0000000000000000000{n:02x}")).unwrap()
}

/// shop.items (three documents of varied types, inserted out of `_id` order, one extra
/// index), shop.empty (no documents), crm.people (1000 documents with integer ids).
async fn seed(uri: &str) -> mongodb::Client {
    let client = mongodb::Client::with_uri_str(uri).await.unwrap();
    let shop = client.database("shop");
    let items = shop.collection::<Document>("items");
    let dec: Decimal128 = "9.99".parse().unwrap();
    let added = DateTime::parse_rfc3339_str("2024-01-02T03:04:05.678Z").unwrap();
    items
        .insert_many(vec![
            doc! {
                "_id": oid(3), "name": "fig \"dried\"", "price": 0.5, "qty": 0_i64,
                "tags": ["dried"], "added": added, "dims": {"w": 1, "h": 1}, "note": null,
            },
            doc! {
                "_id": oid(1), "name": "apple", "price": 1.25, "qty": 7_i64,
                "tags": ["fruit", "red"], "added": added, "dims": {"w": 3, "h": 4},
                "cost": dec,
            },
            doc! {
                "_id": oid(2), "name": "pear", "price": 2.0, "qty": 9_007_199_254_740_993_i64,
                "tags": [], "added": DateTime::from_millis(0), "dims": {"w": 2, "h": null},
            },
        ])
        .await
        .unwrap();
    items
        .create_index(
            mongodb::IndexModel::builder()
                .keys(doc! {"name": 1, "price": -1})
                .build(),
        )
        .await
        .unwrap();
    shop.create_collection("empty").await.unwrap();
    let people = client.database("crm").collection::<Document>("people");
    let docs: Vec<Document> = (0..1000)
        .map(|i| doc! {"_id": i, "n": format!("p{i}")})
        .collect();
    people.insert_many(docs).await.unwrap();
    client
}

fn resource(config: MongoConfig) -> Arc<dyn Resource> {
    Arc::new(MongoResource::new(config).unwrap())
}

fn workspace(config: MongoConfig, mode: MountMode) -> Workspace {
    Workspace::builder()
        .mount_arc("/m", resource(config), mode)
        .build()
        .unwrap()
}

/// Runs `line`, returning (stdout, stderr, status).
async fn run(ws: &Workspace, line: &str) -> (String, String, i32) {
    let out = ws.execute(line).await;
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status,
    )
}

async fn ok(ws: &Workspace, line: &str) -> String {
    let (out, err, status) = run(ws, line).await;
    assert_eq!((status, err.as_str()), (0, ""), "{line}");
    out
}

const ITEMS: &str = "/m/shop/collections/items";
const PEOPLE: &str = "/m/crm/collections/people/documents.jsonl";

const ITEM_LINES: [&str; 3] = [
    r#"{"_id":{"$oid":"65a000000000000000000001"},"name":"apple","price":1.25,"qty":7,"tags":["fruit","red"],"added":{"$date":"2024-01-02T03:04:05.678Z"},"dims":{"w":3,"h":4},"cost":{"$numberDecimal":"9.99"}}"#,
    r#"{"_id":{"$oid":"65a000000000000000000002"},"name":"pear","price":2.0,"qty":9007199254740993,"tags":[],"added":{"$date":"1970-01-01T00:00:00Z"},"dims":{"w":2,"h":null}}"#,
    r#"{"_id":{"$oid":"65a000000000000000000003"},"name":"fig \"dried\"","price":0.5,"qty":0,"tags":["dried"],"added":{"$date":"2024-01-02T03:04:05.678Z"},"dims":{"w":1,"h":1},"note":null}"#,
];

const ITEMS_SCHEMA: &str = r#"{
  "database": "shop",
  "collection": "items",
  "sample_size": 100,
  "sampled_documents": 3,
  "fields": {
    "_id": {
      "count": 3,
      "types": {
        "objectId": 3
      }
    },
    "name": {
      "count": 3,
      "types": {
        "string": 3
      }
    },
    "price": {
      "count": 3,
      "types": {
        "double": 3
      }
    },
    "qty": {
      "count": 3,
      "types": {
        "long": 3
      }
    },
    "tags": {
      "count": 3,
      "types": {
        "array": 3
      }
    },
    "tags[]": {
      "count": 3,
      "types": {
        "string": 3
      }
    },
    "added": {
      "count": 3,
      "types": {
        "date": 3
      }
    },
    "dims": {
      "count": 3,
      "types": {
        "object": 3
      }
    },
    "dims.w": {
      "count": 3,
      "types": {
        "int": 3
      }
    },
    "dims.h": {
      "count": 3,
      "types": {
        "int": 2,
        "null": 1
      }
    },
    "cost": {
      "count": 1,
      "types": {
        "decimal": 1
      }
    },
    "note": {
      "count": 1,
      "types": {
        "null": 1
      }
    }
  },
  "indexes": [
    {
      "v": 2,
      "key": {
        "_id": 1
      },
      "name": "_id_"
    },
    {
      "v": 2,
      "key": {
        "name": 1,
        "price": -1
      },
      "name": "name_1_price_-1"
    }
  ]
}
"#;

/// Open cursors on the server (SecantusDB reports them like mongod in serverStatus).
async fn open_cursors(client: &mongodb::Client) -> i64 {
    let status = client
        .database("admin")
        .run_command(doc! {"serverStatus": 1})
        .await
        .unwrap();
    let total = status
        .get_document("metrics")
        .and_then(|m| m.get_document("cursor"))
        .and_then(|c| c.get_document("open"))
        .map(|o| o.get("total").cloned());
    match total {
        Ok(Some(mongodb::bson::Bson::Int32(n))) => n as i64,
        Ok(Some(mongodb::bson::Bson::Int64(n))) => n,
        other => panic!("serverStatus without metrics.cursor.open.total: {other:?}"),
    }
}

async fn wait_for_no_cursor(client: &mongodb::Client) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while open_cursors(client).await != 0 {
        assert!(
            Instant::now() < deadline,
            "a cursor was left open on the server"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layout_documents_schema_and_commands() {
    let server = MongoServer::start().unwrap();
    let client = seed(&server.uri()).await;
    let ws = workspace(MongoConfig::new(server.uri()), MountMode::Read);

    // The tree.
    assert_eq!(ok(&ws, "ls /m").await, "crm\nshop\n");
    assert_eq!(ok(&ws, "ls /m/shop").await, "collections\n");
    assert_eq!(ok(&ws, "ls /m/shop/collections").await, "empty\nitems\n");
    assert_eq!(
        ok(&ws, &format!("ls {ITEMS}")).await,
        "documents.jsonl\nschema.json\n"
    );

    // Every document, sorted by _id, Relaxed Extended JSON in stored field order.
    let all = format!("{}\n", ITEM_LINES.join("\n"));
    assert_eq!(ok(&ws, &format!("cat {ITEMS}/documents.jsonl")).await, all);
    assert_eq!(
        ok(&ws, "cat /m/shop/collections/empty/documents.jsonl").await,
        ""
    );

    // head/tail/wc: the overrides (`-n2`, `-l`) and the built-ins (cwd form) agree.
    let first_two = format!("{}\n{}\n", ITEM_LINES[0], ITEM_LINES[1]);
    assert_eq!(
        ok(&ws, &format!("head -n2 {ITEMS}/documents.jsonl")).await,
        first_two
    );
    assert_eq!(
        ok(&ws, &format!("head -n 2 {ITEMS}/documents.jsonl")).await,
        first_two
    );
    assert_eq!(
        ok(&ws, &format!("cat {ITEMS}/documents.jsonl | head -n 2")).await,
        first_two
    );
    let last = format!("{}\n", ITEM_LINES[2]);
    assert_eq!(
        ok(&ws, &format!("tail -n1 {ITEMS}/documents.jsonl")).await,
        last
    );
    assert_eq!(
        ok(&ws, &format!("tail -n 1 {ITEMS}/documents.jsonl")).await,
        last
    );
    assert_eq!(
        ok(&ws, &format!("tail -n 9 {ITEMS}/documents.jsonl")).await,
        all
    );
    assert_eq!(
        ok(&ws, &format!("head -n0 {ITEMS}/documents.jsonl")).await,
        ""
    );
    assert_eq!(
        ok(&ws, &format!("wc -l {ITEMS}/documents.jsonl")).await,
        format!("3 {ITEMS}/documents.jsonl\n")
    );
    assert_eq!(
        ok(&ws, &format!("cd {ITEMS} && wc -l documents.jsonl")).await,
        "3 documents.jsonl\n"
    );
    assert_eq!(
        ok(&ws, &format!("wc -l < {ITEMS}/documents.jsonl")).await,
        "3\n"
    );
    assert_eq!(
        ok(&ws, &format!("wc -l {PEOPLE}")).await,
        format!("1000 {PEOPLE}\n")
    );
    // More than one server batch (getMore), in _id order.
    assert_eq!(ok(&ws, &format!("cat {PEOPLE} | wc -l")).await, "1000\n");
    assert_eq!(
        ok(&ws, &format!("sed -n '999,1000p' {PEOPLE}")).await,
        "{\"_id\":998,\"n\":\"p998\"}\n{\"_id\":999,\"n\":\"p999\"}\n"
    );
    assert_eq!(
        ok(&ws, &format!("tail -n 2 {PEOPLE}")).await,
        "{\"_id\":998,\"n\":\"p998\"}\n{\"_id\":999,\"n\":\"p999\"}\n"
    );

    // jq over the lines.
    assert_eq!(
        ok(
            &ws,
            &format!("jq -r 'select(.qty > 5) | .name' {ITEMS}/documents.jsonl")
        )
        .await,
        "apple\npear\n"
    );
    assert_eq!(
        ok(
            &ws,
            &format!("jq -c '.dims' {ITEMS}/documents.jsonl | head -n 1")
        )
        .await,
        "{\"w\":3,\"h\":4}\n"
    );

    // The schema.
    assert_eq!(
        ok(&ws, &format!("cat {ITEMS}/schema.json")).await,
        ITEMS_SCHEMA
    );
    assert_eq!(
        ok(
            &ws,
            &format!("jq -r '.fields | keys | length' {ITEMS}/schema.json")
        )
        .await,
        "12\n"
    );

    // Missing things.
    let missing = "/m/shop/collections/nope/documents.jsonl";
    assert_eq!(
        run(&ws, &format!("cat {missing}")).await,
        (
            String::new(),
            format!("cat: {missing}: No such file or directory\n"),
            1
        )
    );
    let (_, err, status) = run(&ws, &format!("wc -l {missing}")).await;
    assert_eq!(
        (err.as_str(), status),
        (
            "wc: /m/shop/collections/nope/documents.jsonl: No such file or directory\n",
            1
        )
    );
    let (_, err, status) = run(&ws, "ls /m/nodb").await;
    assert_eq!(
        (err.as_str(), status),
        (
            "ls: cannot access '/m/nodb': No such file or directory\n",
            2
        )
    );
    let (_, err, _) = run(&ws, &format!("cat {ITEMS}/other.json")).await;
    assert!(err.contains("No such file or directory"), "{err}");
    let (_, err, _) = run(&ws, &format!("cat {ITEMS}")).await;
    assert_eq!(err, format!("cat: {ITEMS}: Is a directory\n"));

    // Read-only mount: the workspace refuses the write before the resource sees it.
    let (_, err, status) = run(&ws, &format!("echo x > {ITEMS}/documents.jsonl")).await;
    assert_eq!(status, 1);
    assert!(err.contains("Read-only file system"), "{err}");

    // The stream holds one server batch at a time: the first chunk is the first batch, the
    // cursor stays open on the server while the stream lives and is killed once it is dropped.
    let direct = MongoResource::new(MongoConfig::new(server.uri())).unwrap();
    let path = VPath::new("/crm/collections/people/documents.jsonl");
    let mut stream = direct.read(&path, None).await.unwrap();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.iter().filter(|b| **b == b'\n').count(), 256);
    assert_eq!(open_cursors(&client).await, 1);
    drop(stream);
    wait_for_no_cursor(&client).await;
    // The same through the shell: head stops reading, cat's stream is dropped.
    let ws = workspace(MongoConfig::new(server.uri()), MountMode::Read);
    let (out, _, _) = run(&ws, &format!("cat {PEOPLE} | head -n 1")).await;
    assert_eq!(out, "{\"_id\":0,\"n\":\"p0\"}\n");
    wait_for_no_cursor(&client).await;
    // The overrides ask the server for a count / a limit instead of reading documents.
    let ws = workspace(MongoConfig::new(server.uri()), MountMode::Read);
    ok(&ws, &format!("wc -l {PEOPLE}")).await;
    ok(&ws, &format!("head -n3 {PEOPLE}")).await;
    let read = ws.stats().mount("/m").calls.bytes_read;
    assert!(read < 200, "wc -l and head -n3 read {read} bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configured_databases_cap_and_writes() {
    let server = MongoServer::start().unwrap();
    let _client = seed(&server.uri()).await;

    // Only the listed databases, even system ones when named.
    let mut config = MongoConfig::new(server.uri());
    config.databases = Some(vec!["crm".into(), "local".into()]);
    let ws = workspace(config, MountMode::Read);
    assert_eq!(ok(&ws, "ls /m").await, "crm\nlocal\n");
    let (_, err, _) = run(&ws, "ls /m/shop/collections").await;
    assert!(err.contains("No such file or directory"), "{err}");

    // The cap: the first max_documents lines, then an error, status 1.
    let mut config = MongoConfig::new(server.uri());
    config.max_documents = 5;
    let ws = workspace(config, MountMode::Write);
    let (out, err, status) = run(&ws, &format!("cat {PEOPLE}")).await;
    assert_eq!(out.lines().count(), 5);
    assert!(out.starts_with("{\"_id\":0,"), "{out}");
    assert_eq!(status, 1);
    assert!(
        err.starts_with(&format!("cat: {PEOPLE}: Input/output error: ")),
        "{err}"
    );
    assert!(err.contains("more than max_documents=5 documents"), "{err}");
    // Below the cap all is well; a count is not output, so wc -l still answers.
    assert_eq!(ok(&ws, &format!("head -n 3 {PEOPLE} | wc -l")).await, "3\n");
    assert_eq!(ok(&ws, &format!("head -n3 {PEOPLE} | wc -l")).await, "3\n");
    assert_eq!(
        ok(&ws, &format!("wc -l {PEOPLE}")).await,
        format!("1000 {PEOPLE}\n")
    );
    let (out, err, status) = run(&ws, &format!("tail -n7 {PEOPLE}")).await;
    assert_eq!((out.lines().count(), status), (5, 1), "{err}");
    assert!(out.starts_with("{\"_id\":993,"), "{out}");
    assert_eq!(
        err,
        format!(
            "tail: error reading '{PEOPLE}': Input/output error: mount /m: mongodb crm.people: \
             more than max_documents=5 documents; output stopped there (raise max_documents in \
             the mount config)\n"
        )
    );
    let (_, err, status) = run(&ws, &format!("tail -n 7 {PEOPLE}")).await;
    assert_eq!(status, 1);
    assert!(err.contains("max_documents=5"), "{err}");

    // Mounted read-write, a resource that cannot write is still read-only: the mount table
    // refuses before the backend is asked, redirections included.
    let (_, err, status) = run(&ws, &format!("echo x > {ITEMS}/documents.jsonl")).await;
    assert_eq!(status, 1);
    assert!(err.contains("Read-only file system"), "{err}");
    assert_eq!(
        ok(&ws, &format!("wc -l < {ITEMS}/documents.jsonl")).await,
        "3\n"
    );
    for line in [
        "mkdir /m/shop/new".to_string(),
        format!("rm {ITEMS}/schema.json"),
    ] {
        let (_, err, status) = run(&ws, &line).await;
        assert_eq!(status, 1, "{line}");
        assert!(err.contains("Read-only file system"), "{line}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_server_is_a_clear_network_error() {
    let port = mirage_testkit::services::free_port().unwrap();
    let uri = format!("mongodb://127.0.0.1:{port}");
    let ws = workspace(MongoConfig::new(uri), MountMode::Read);
    let started = Instant::now();
    let (out, err, status) = run(&ws, "cat /m/shop/collections/items/documents.jsonl").await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!((out.as_str(), status), ("", 1));
    assert!(
        err.starts_with("cat: /m/shop/collections/items/documents.jsonl: Network is unreachable: "),
        "{err}"
    );
    assert!(
        err.contains(&format!("mongodb 127.0.0.1:{port}: server unreachable")),
        "{err}"
    );
    let (_, err, status) = run(&ws, "ls /m").await;
    assert_ne!(status, 0);
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
}

#[test]
fn bad_configs_are_refused_at_build_time() {
    let err = |uri: &str| match MongoResource::new(MongoConfig::new(uri)) {
        Ok(_) => panic!("{uri} accepted"),
        Err(e) => e,
    };
    assert!(err("http://x").contains("uri"));
    assert!(err("mongodb+srv://cluster.example.com").contains("mongodb+srv"));

    // Registered for YAML configs under `resource: mongodb`, with its keys.
    let factories = mirage_core::resource_factories().unwrap();
    let f = factories
        .get("mongodb")
        .expect("mongodb factory registered");
    assert_eq!(
        f.config_keys,
        &["uri", "databases", "sample_size", "max_documents"]
    );
    let built = (f.build)(&serde_json::json!({"uri": "mongodb://127.0.0.1:1", "databases": ["a"]}));
    assert_eq!(
        built.map(|r| r.kind().to_string()),
        Ok("mongodb".to_string())
    );
}
