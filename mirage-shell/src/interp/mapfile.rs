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
    let usage = format!(
        "{name}: usage: {name} [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]\n"
    );
    let mut i = 0;
    let mut operands_only = false;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        if operands_only || !a.starts_with('-') || a == "-" {
            array = a.to_string();
            continue;
        }
        if a == "--" {
            operands_only = true;
            continue;
        }
        // Options cluster (`-tn 2`) and take their value attached or as the next word.
        for (at, c) in a[1..].char_indices() {
            if c == 't' {
                strip = true;
                continue;
            }
            if !"dnsOuCc".contains(c) {
                shell_error(st, &io.stderr, &format!("{name}: -{c}: invalid option")).await;
                write_text(&io.stderr, &usage).await;
                return Ok(2);
            }
            let attached = &a[1 + at + c.len_utf8()..];
            let value = if attached.is_empty() {
                let Some(v) = args.get(i) else {
                    let msg = format!("{name}: -{c}: option requires an argument");
                    shell_error(st, &io.stderr, &msg).await;
                    write_text(&io.stderr, &usage).await;
                    return Ok(2);
                };
                i += 1;
                v.clone()
            } else {
                attached.to_string()
            };
            match c {
                'd' => delim = value.bytes().next().unwrap_or(0),
                'n' | 's' | 'O' => {
                    let Ok(n) = value.parse::<usize>() else {
                        let what = match c {
                            'n' => "invalid line count",
                            's' => "invalid line count",
                            _ => "invalid array origin",
                        };
                        shell_error(st, &io.stderr, &format!("{name}: {value}: {what}")).await;
                        return Ok(1);
                    };
                    match c {
                        'n' => count = (n > 0).then_some(n),
                        's' => skip = n,
                        _ => origin = n,
                    }
                }
                _ => {
                    shell_error(
                        st,
                        &io.stderr,
                        &format!("{name}: -{c}: not supported by mirage"),
                    )
                    .await;
                    return Ok(2);
                }
            }
            break;
        }
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

async fn write_text(w: &super::io::SharedWriter, text: &str) {
    use tokio::io::AsyncWriteExt;
    let _ = w.clone().write_all(text.as_bytes()).await;
}
