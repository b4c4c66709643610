//! `hexdump` (util-linux): the default two-byte hex words and `-C` canonical hex+ASCII, with
//! `-x` (wider hex words), `-n LENGTH`, `-s OFFSET` and `-v`; identical lines are squeezed to `*` as in the real tool.
//! Other formats (`-b`, `-c`, `-d`, `-o`, `-e`) are refused.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};
use tokio::io::AsyncReadExt;

use crate::commands::common::{open_operand, unsupported};

pub struct Hexdump;

struct Dumper {
    canonical: bool,
    /// `-x`: two-byte hex words in wider columns.
    words: bool,
    squeeze: bool,
    offset: u64,
    line: Vec<u8>,
    prev: Option<Vec<u8>>,
    starred: bool,
    out: Vec<u8>,
}

impl Dumper {
    fn emit(&mut self) {
        let line = std::mem::take(&mut self.line);
        if line.is_empty() {
            return;
        }
        if self.squeeze && line.len() == 16 && self.prev.as_deref() == Some(&line[..]) {
            if !self.starred {
                self.out.extend_from_slice(b"*\n");
                self.starred = true;
            }
            self.offset += 16;
            return;
        }
        self.starred = false;
        let mut s = String::new();
        if self.canonical {
            s.push_str(&format!("{:08x}  ", self.offset));
            for i in 0..16 {
                match line.get(i) {
                    Some(b) => s.push_str(&format!("{b:02x} ")),
                    None => s.push_str("   "),
                }
                if i == 7 {
                    s.push(' ');
                }
            }
            s.push_str(" |");
            for &b in &line {
                s.push(if (0x20..0x7f).contains(&b) {
                    b as char
                } else {
                    '.'
                });
            }
            s.push_str("|\n");
        } else {
            s.push_str(&format!("{:07x}", self.offset));
            let pad = if self.words { "    " } else { " " };
            for i in 0..8 {
                match (line.get(2 * i), line.get(2 * i + 1)) {
                    (Some(&a), Some(&b)) => {
                        s.push_str(&format!("{pad}{:04x}", u16::from(b) << 8 | u16::from(a)))
                    }
                    (Some(&a), None) => s.push_str(&format!("{pad}{a:04x}")),
                    _ => s.push_str(&" ".repeat(pad.len() + 4)),
                }
            }
            s.push('\n');
        }
        self.out.extend_from_slice(s.as_bytes());
        self.offset += line.len() as u64;
        self.prev = Some(line);
    }
}

fn number(v: &str) -> Option<u64> {
    let v = v.trim();
    if let Some(h) = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else if v.len() > 1 && v.starts_with('0') {
        u64::from_str_radix(&v[1..], 8).ok()
    } else {
        v.parse().ok()
    }
}

#[async_trait]
impl Command for Hexdump {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let (mut canonical, mut squeeze, mut words) = (false, true, false);
        let (mut length, mut skip) = (None::<u64>, 0u64);
        let mut files = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            i += 1;
            if a == "--" {
                files.extend(args[i..].iter().cloned());
                break;
            }
            if !a.starts_with('-') || a == "-" {
                files.push(a.clone());
                continue;
            }
            let mut chars = a[1..].chars();
            while let Some(c) = chars.next() {
                match c {
                    'C' => canonical = true,
                    'x' => words = true,
                    'v' => squeeze = false,
                    'n' | 's' => {
                        let rest: String = chars.by_ref().collect();
                        let v = if rest.is_empty() {
                            let v = args.get(i).cloned();
                            i += 1;
                            v
                        } else {
                            Some(rest)
                        };
                        let Some(n) = v.as_deref().and_then(number) else {
                            return unsupported(ctx, &format!("-{c} {}", v.unwrap_or_default()))
                                .await;
                        };
                        if c == 'n' {
                            length = Some(n);
                        } else {
                            skip = n;
                        }
                    }
                    _ => return unsupported(ctx, &format!("-{c}")).await,
                }
            }
        }
        if files.is_empty() {
            files.push("-".to_string());
        }
        let mut d = Dumper {
            canonical,
            words,
            squeeze,
            offset: skip,
            line: Vec::new(),
            prev: None,
            starred: false,
            out: Vec::new(),
        };
        let (mut to_skip, mut left) = (skip, length.unwrap_or(u64::MAX));
        let (mut failed, mut opened) = (0usize, 0usize);
        let mut buf = vec![0u8; 64 * 1024];
        for f in &files {
            if left == 0 {
                break;
            }
            if f == "/dev/null" {
                opened += 1;
                continue;
            }
            let mut reader = match open_operand(ctx, f).await {
                Ok(r) => r,
                Err(e) => {
                    ctx.error(format!("{f}: {e}")).await?;
                    failed += 1;
                    continue;
                }
            };
            opened += 1;
            loop {
                let n = match reader.read(&mut buf).await {
                    Ok(n) => n,
                    Err(e) => {
                        ctx.error(format!("{f}: {e}")).await?;
                        failed += 1;
                        break;
                    }
                };
                if n == 0 {
                    break;
                }
                let mut chunk = &buf[..n];
                let drop = (to_skip.min(chunk.len() as u64)) as usize;
                to_skip -= drop as u64;
                chunk = &chunk[drop..];
                let take = (left.min(chunk.len() as u64)) as usize;
                left -= take as u64;
                for &b in &chunk[..take] {
                    d.line.push(b);
                    if d.line.len() == 16 {
                        d.emit();
                    }
                }
                if d.out.len() > 32 * 1024 {
                    ctx.stdout.write_all(&std::mem::take(&mut d.out)).await?;
                }
                if left == 0 {
                    break;
                }
            }
        }
        d.emit();
        if d.prev.is_some() || d.starred {
            let end = if canonical {
                format!("{:08x}\n", d.offset)
            } else {
                format!("{:07x}\n", d.offset)
            };
            d.out.extend_from_slice(end.as_bytes());
        }
        ctx.stdout.write_all(&d.out).await?;
        if opened == 0 && failed > 0 {
            ctx.error("all input file arguments failed").await?;
            return Ok(1);
        }
        Ok(if failed > 0 { 1 } else { 0 })
    }
}
