//! The embedding API: mounts, sessions, command registration and overrides, config, features.

use std::sync::Arc;

use mirage::core::{CommandScope, MountMode, VPath, WriteMode, stream_from_bytes};
use mirage::{Command, CommandContext, CommandResult, RamResource, Workspace, async_trait};

fn ram_ws() -> Workspace {
    Workspace::builder()
        .mount("/data", RamResource::new())
        .mount("/mem", RamResource::new())
        .build()
        .unwrap()
}

#[tokio::test]
async fn default_session_keeps_state_between_lines() {
    let ws = ram_ws();
    assert_eq!(
        ws.execute("cd /data; x=5; f() { echo f$1; }; export Y=1")
            .await
            .status,
        0
    );
    let out = ws.execute("pwd; echo $x; f 1").await;
    assert_eq!(String::from_utf8_lossy(&out.stdout), "/data\n5\nf1\n");
}

#[tokio::test]
async fn sessions_are_isolated_and_run_concurrently() {
    let ws = ram_ws();
    let mut a = ws.session();
    let mut b = ws.session();
    a.execute("cd /data; v=a").await;
    b.execute("cd /mem; v=b").await;
    let (oa, ob) = futures::join!(a.execute("pwd; echo $v"), b.execute("pwd; echo $v"));
    assert_eq!(String::from_utf8_lossy(&oa.stdout), "/data\na\n");
    assert_eq!(String::from_utf8_lossy(&ob.stdout), "/mem\nb\n");
}

#[tokio::test]
async fn mount_points_are_listed_and_entered() {
    let ws = Workspace::builder()
        .mount("/data", RamResource::new())
        .mount("/svc/s3", RamResource::new())
        .build()
        .unwrap();
    let out = ws.execute("cd /svc && pwd && cd s3 && pwd").await;
    assert_eq!(String::from_utf8_lossy(&out.stdout), "/svc\n/svc/s3\n");
    let names: Vec<String> = ws
        .fs()
        .list(&VPath::root())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    // The devices (`/dev/null`...) are mounted in every workspace.
    assert_eq!(names, vec!["data", "dev", "svc"]);
}

#[tokio::test]
async fn devices_are_mounted_unless_dev_is_taken() {
    let ws = Workspace::builder()
        .mount("/data", RamResource::new())
        .build()
        .unwrap();
    let out = ws
        .execute("head -c 4 /dev/zero | od -An -tx1; cat /dev/null > /data/e; wc -c < /data/e")
        .await;
    assert_eq!(String::from_utf8_lossy(&out.stdout), " 00 00 00 00\n0\n");
    // A user's own /dev mount wins.
    let ws = Workspace::builder()
        .mount("/dev", RamResource::new())
        .build()
        .unwrap();
    let out = ws.execute("echo mine > /dev/f; cat /dev/f; ls /dev").await;
    assert_eq!(String::from_utf8_lossy(&out.stdout), "mine\nf\n");
}

/// A command that prints a summary line: used as a workspace-wide command.
struct Summarize;

#[async_trait]
impl Command for Summarize {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        ctx.stdout
            .write_str(&format!("summary of {}\n", args.join(",")))
            .await?;
        Ok(0)
    }
}

/// An override that tags which registration answered.
struct Tagged(&'static str);

#[async_trait]
impl Command for Tagged {
    async fn run(&self, ctx: &mut CommandContext, _args: Vec<String>) -> CommandResult {
        ctx.stdout.write_str(self.0).await?;
        Ok(0)
    }
}

#[tokio::test]
async fn added_command_is_visible_everywhere() {
    let mut ws = ram_ws();
    ws.command("summarize", Summarize);
    let out = ws.execute("summarize a b; cd /mem; summarize c").await;
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "summary of a,b\nsummary of c\n"
    );
}

#[tokio::test]
async fn scoped_override_resolution_order() {
    let mut ws = ram_ws();
    ws.execute("echo x > /data/t.parquet; echo y > /data/t.txt; echo z > /mem/t.parquet")
        .await;
    ws.command_for(
        "cat",
        CommandScope::resource("ram").filetype("parquet"),
        Tagged("ram+parquet\n"),
    );
    let out = ws.execute("cat /data/t.parquet; cat /data/t.txt").await;
    // name+resource+filetype wins for parquet; plain cat still serves other files.
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ram+parquet\ny\n");
    ws.command_for("cat", CommandScope::resource("ram"), Tagged("ram\n"));
    let out = ws.execute("cat /data/t.txt; cat /mem/t.parquet").await;
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ram\nram+parquet\n");
}

#[tokio::test]
async fn read_only_mount_refuses_writes_before_touching_backend() {
    let ram = RamResource::new();
    use mirage::Resource;
    ram.write(
        &VPath::new("/keep.txt"),
        stream_from_bytes("keep\n"),
        WriteMode::Truncate,
    )
    .await
    .unwrap();
    let ws = Workspace::builder()
        .mount_arc("/ro", Arc::new(ram.clone()), MountMode::Read)
        .build()
        .unwrap();
    let out = ws.execute("echo new > /ro/keep.txt").await;
    assert_eq!(out.status, 1);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "bash: line 1: /ro/keep.txt: Read-only file system\n"
    );
    let out = ws.execute("cat /ro/keep.txt").await;
    assert_eq!(out.stdout, b"keep\n");
}

#[tokio::test]
async fn unknown_command_and_syntax_error() {
    let ws = ram_ws();
    let out = ws.execute("nosuchcmd arg").await;
    assert_eq!(
        (
            out.status,
            String::from_utf8_lossy(&out.stderr).into_owned()
        ),
        (
            127,
            "bash: line 1: nosuchcmd: command not found\n".to_string()
        )
    );
    let out = ws.execute("echo before > /data/s; if then").await;
    assert_eq!(out.status, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("syntax error near unexpected token `then'")
    );
    // Nothing ran: the file was not created.
    assert_eq!(ws.execute("test -e /data/s").await.status, 1);
    // As bash reads a line one complete command at a time, the commands on the lines before
    // a syntax error run, then the error names its line; an `exit` before it wins.
    let out = ws
        .execute("echo before > /data/s\nif then\necho after")
        .await;
    assert_eq!(
        (
            out.status,
            String::from_utf8_lossy(&out.stderr).into_owned()
        ),
        (
            2,
            "bash: -c: line 2: syntax error near unexpected token `then'\n\
             bash: -c: line 2: `if then'\n"
                .to_string()
        )
    );
    assert_eq!(ws.execute("cat /data/s").await.stdout, b"before\n");
    let out = ws.execute("exit 3\nif then").await;
    assert_eq!((out.status, out.stderr), (3, Vec::new()));
}

#[tokio::test]
async fn registered_resources_equal_enabled_features() {
    assert_eq!(
        mirage::config::registered_resources(),
        mirage::enabled_resource_features()
    );
}

#[tokio::test]
async fn yaml_config_builds_mounts_and_refuses_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f.txt"), "from disk\n").unwrap();
    let root = dir.path().to_string_lossy().into_owned();
    let lookup = move |name: &str| {
        if name == "ROOT" {
            Some(root.clone())
        } else {
            None
        }
    };
    let yaml = "mounts:\n  /data:\n    resource: disk\n    mode: read\n    config: { root: \"${ROOT}\" }\n  /mem:\n    resource: ram\n";
    let ws = mirage::config::builder_from_yaml(yaml, &lookup)
        .unwrap()
        .build()
        .unwrap();
    let out = ws
        .execute("cat /data/f.txt; echo x > /data/g; echo $?")
        .await;
    assert_eq!(String::from_utf8_lossy(&out.stdout), "from disk\n1\n");

    let err = |y: &str| {
        mirage::config::builder_from_yaml(y, &lookup)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(err("mount: {}\n"), "config: unknown keys: `mount`");
    assert!(err("mounts:\n  /x:\n    resource: nosuch\n").contains("unknown resource `nosuch`"));
    assert_eq!(
        err("mounts:\n  /x:\n    resource: disk\n    config: { root: \"${A}/${B}\" }\n"),
        "config: undefined variables: A, B"
    );
    assert!(
        err("mounts:\n  /x:\n    resource: disk\n    config: { root: /tmp, bogus: 1 }\n")
            .contains("unknown config keys for `disk`: `bogus`")
    );
    assert!(
        err("mounts:\n  /x:\n    resource: ram\n    flavour: x\n")
            .contains("unknown keys: `flavour`")
    );
}

#[tokio::test]
async fn binary_data_passes_through_pipes_untouched() {
    let ws = ram_ws();
    use mirage::Resource;
    let data: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    let ram = RamResource::new();
    ram.write(
        &VPath::new("/bin.dat"),
        stream_from_bytes(data.clone()),
        WriteMode::Truncate,
    )
    .await
    .unwrap();
    let ws2 = Workspace::builder().mount("/b", ram).build().unwrap();
    let out = ws2.execute("cat /b/bin.dat | cat | cat").await;
    assert_eq!(out.stdout, data);
    drop(ws);
}

/// `yes`-like infinite producer: the pipeline must end when the consumer stops reading.
struct Forever;

#[async_trait]
impl Command for Forever {
    async fn run(&self, ctx: &mut CommandContext, _args: Vec<String>) -> CommandResult {
        let chunk = vec![b'y'; 8192];
        loop {
            ctx.stdout.write_all(&chunk).await?;
            ctx.stdout.write_all(b"\n").await?;
        }
    }
}

#[tokio::test]
async fn pipeline_stops_early_when_reader_finishes() {
    let mut ws = ram_ws();
    ws.command("forever", Forever);
    let out = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        ws.execute("forever | head -c 5; echo ${PIPESTATUS[@]}"),
    )
    .await
    .expect("pipeline did not stop");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "yyyyy141 0\n");
}

#[tokio::test]
async fn runaway_recursion_is_stopped_not_crashed() {
    let ws = ram_ws();
    // The test thread has a small stack: deep nesting must grow its own.
    let out = ws.execute("f() { f; }; f; echo unreachable").await;
    assert_eq!(out.status, 1);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "environment: line 1: f: maximum function nesting level exceeded (200)\n"
    );
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn deeply_nested_subshells_run() {
    let ws = ram_ws();
    let line = format!("{}echo deep{}", "( ".repeat(120), " )".repeat(120));
    let out = ws.execute(&line).await;
    assert_eq!((out.status, out.stdout), (0, b"deep\n".to_vec()));
}

/// Writes one line, then waits for the test's go-ahead before writing the next.
struct Gate(Arc<tokio::sync::Notify>);

#[async_trait]
impl Command for Gate {
    async fn run(&self, ctx: &mut CommandContext, _args: Vec<String>) -> CommandResult {
        ctx.stdout.write_str("first\n").await?;
        ctx.stdout.flush().await?;
        self.0.notified().await;
        ctx.stdout.write_str("second\n").await?;
        ctx.stderr.write_str("warn\n").await?;
        Ok(3)
    }
}

#[tokio::test]
async fn stream_delivers_output_while_the_line_runs() {
    use futures::StreamExt;
    use mirage::OutputEvent;
    let gate = Arc::new(tokio::sync::Notify::new());
    let mut ws = ram_ws();
    ws.command("gate", Gate(gate.clone()));
    let mut events = ws.execute_stream("gate");
    let first = tokio::time::timeout(std::time::Duration::from_secs(10), events.next())
        .await
        .expect("output arrived before the command ended");
    assert_eq!(first, Some(OutputEvent::Stdout(b"first\n".to_vec())));
    gate.notify_one();
    let rest: Vec<OutputEvent> = events.collect().await;
    let stdout: Vec<u8> = rest
        .iter()
        .filter_map(|e| {
            if let OutputEvent::Stdout(b) = e {
                Some(b.clone())
            } else {
                None
            }
        })
        .flatten()
        .collect();
    let stderr: Vec<u8> = rest
        .iter()
        .filter_map(|e| {
            if let OutputEvent::Stderr(b) = e {
                Some(b.clone())
            } else {
                None
            }
        })
        .flatten()
        .collect();
    assert_eq!((stdout, stderr), (b"second\n".to_vec(), b"warn\n".to_vec()));
    assert_eq!(rest.last(), Some(&OutputEvent::Exit(3)));
}
