//! `mapfile` / `readarray`: read lines of stdin into an indexed array.

use std::collections::BTreeMap;

use tokio::io::AsyncBufReadExt;

use super::io::Io;
use super::run::{Exec, shell_error};
use super::state::{ShellState, Value};

pub async fn mapfile(st: &mut ShellState, io: &mut Io, name: &str, args: Vec<String>) -> Exec {
    let mut strip = false;
    let mut delim = b'\n';
    let mut count: Option<usize> = None;
    let mut skip = 0usize;
    let mut origin = 0usize;
    let mut array = "MAPFILE".to_string();
    let mut i = 0;
    let value_of = |i: usize| args.get(i + 1).cloned();
    while i < args.len() {
        let a = args[i].as_str();
        let number = |v: Option<String>| v.and_then(|v| v.parse::<usize>().ok());
        match a {
            "-t" => strip = true,
            "-d" => {
                delim = value_of(i).and_then(|d| d.bytes().next()).unwrap_or(0);
                i += 1;
            }
            "-n" | "-s" | "-O" => {
                let Some(n) = number(value_of(i)) else {
                    shell_error(
                        st,
                        &io.stderr,
                        &format!(
                            "{name}: {}: invalid number",
                            value_of(i).unwrap_or_default()
                        ),
                    )
                    .await;
                    return Ok(1);
                };
                match a {
                    "-n" => count = (n > 0).then_some(n),
                    "-s" => skip = n,
                    _ => origin = n,
                }
                i += 1;
            }
            "-u" | "-C" | "-c" => {
                shell_error(
                    st,
                    &io.stderr,
                    &format!("{name}: {a}: not supported by mirage"),
                )
                .await;
                return Ok(2);
            }
            other => array = other.to_string(),
        }
        i += 1;
    }
    let mut items: BTreeMap<usize, String> = match (origin, st.get(&array)) {
        (o, Some(Value::Array(a))) if o > 0 => a,
        _ => BTreeMap::new(),
    };
    let mut buf = Vec::new();
    let mut index = origin;
    let mut read = 0usize;
    loop {
        if count.is_some_and(|c| read >= c + skip) {
            break;
        }
        buf.clear();
        let n = io
            .stdin
            .read_until(delim, &mut buf)
            .await
            .unwrap_or_default();
        if n == 0 {
            break;
        }
        read += 1;
        if read <= skip {
            continue;
        }
        if strip && buf.last() == Some(&delim) {
            buf.pop();
        }
        items.insert(index, String::from_utf8_lossy(&buf).into_owned());
        index += 1;
    }
    st.set_value(&array, Value::Array(items));
    Ok(0)
}
