//! `tsort`: topological sort of the pairs read from a file, following GNU's algorithm
//! (Knuth's T1-T7 over nodes kept in byte order) so ties and loop reports come out the same.
//! Loops are reported on stderr, one relation is dropped to break each, and the exit is 1.

use async_trait::async_trait;
use mirage_core::{Command, CommandContext, CommandResult};
use std::collections::BTreeMap;

use super::support::{HELP, VERSION, parse_opts, read_all, refuse_help, usage_error};
use crate::commands::getopt::{LongOpt, OptSpec};
use crate::commands::quoting::lquote;

pub struct Tsort;

const SPEC: OptSpec = OptSpec {
    short: "w",
    long: &[HELP, VERSION] as &[LongOpt],
    stop_at_operand: false,
};

#[derive(Default)]
struct Node {
    name: Vec<u8>,
    count: usize,
    /// Successors, most recently recorded first (GNU prepends).
    succ: Vec<usize>,
    qlink: Option<usize>,
    printed: bool,
}

struct Graph {
    nodes: Vec<Node>,
    /// Node indices in byte order of their names (GNU's tree walk order).
    order: Vec<usize>,
    loop_at: Option<usize>,
}

impl Graph {
    /// GNU's `detect_loop` for node `k`; returns the loop members when one is found.
    fn detect(&mut self, k: usize) -> Option<Vec<usize>> {
        if self.nodes[k].count == 0 {
            return None;
        }
        let Some(start) = self.loop_at else {
            self.loop_at = Some(k);
            return None;
        };
        let pos = self.nodes[k].succ.iter().position(|&s| s == start)?;
        if self.nodes[k].qlink.is_none() {
            self.nodes[k].qlink = Some(start);
            self.loop_at = Some(k);
            return None;
        }
        let mut members = Vec::new();
        let mut cur = self.loop_at;
        while let Some(l) = cur {
            let next = self.nodes[l].qlink;
            members.push(l);
            if l == k {
                let s = self.nodes[k].succ.remove(pos);
                self.nodes[s].count -= 1;
                cur = next;
                break;
            }
            self.nodes[l].qlink = None;
            cur = next;
        }
        while let Some(l) = cur {
            cur = self.nodes[l].qlink.take();
        }
        self.loop_at = None;
        Some(members)
    }
}

#[async_trait]
impl Command for Tsort {
    async fn run(&self, ctx: &mut CommandContext, args: Vec<String>) -> CommandResult {
        let parsed = match parse_opts(ctx, &SPEC, &args, 1).await {
            Ok(p) => p,
            Err(s) => return Ok(s),
        };
        if let Some(s) = refuse_help(ctx, &parsed).await? {
            return Ok(s);
        }
        if parsed.operands.len() > 1 {
            let m = format!("extra operand {}", lquote(&parsed.operands[1]));
            return usage_error(ctx, &m, 1).await;
        }
        let file = parsed
            .operands
            .first()
            .cloned()
            .unwrap_or_else(|| "-".into());
        let data = match read_all(ctx, &file).await {
            Ok(d) => d,
            Err(e) => {
                ctx.error(format!("{file}: {e}")).await?;
                return Ok(1);
            }
        };
        let tokens: Vec<&[u8]> = data
            .split(|b| matches!(b, b' ' | b'\t' | b'\n'))
            .filter(|t| !t.is_empty())
            .collect();
        if tokens.len() % 2 == 1 {
            ctx.error(format!("{file}: input contains an odd number of tokens"))
                .await?;
            return Ok(1);
        }
        let mut index: BTreeMap<&[u8], usize> = BTreeMap::new();
        let mut g = Graph {
            nodes: Vec::new(),
            order: Vec::new(),
            loop_at: None,
        };
        for pair in tokens.chunks(2) {
            let a = node(&mut index, pair[0], &mut g);
            let b = node(&mut index, pair[1], &mut g);
            if a != b {
                g.nodes[b].count += 1;
                g.nodes[a].succ.insert(0, b);
            }
        }
        g.order = index.values().copied().collect();
        let mut remaining = g.nodes.len();
        let mut status = 0;
        let mut out = Vec::new();
        while remaining > 0 {
            let mut queue: std::collections::VecDeque<usize> = g
                .order
                .iter()
                .copied()
                .filter(|&k| g.nodes[k].count == 0 && !g.nodes[k].printed)
                .collect();
            for &k in &queue {
                g.nodes[k].printed = true;
            }
            while let Some(h) = queue.pop_front() {
                out.extend_from_slice(&g.nodes[h].name);
                out.push(b'\n');
                remaining -= 1;
                let succ = g.nodes[h].succ.clone();
                for s in succ {
                    g.nodes[s].count -= 1;
                    if g.nodes[s].count == 0 {
                        g.nodes[s].printed = true;
                        queue.push_back(s);
                    }
                }
            }
            if remaining > 0 {
                status = 1;
                ctx.stdout.write_all(&out).await?;
                out.clear();
                ctx.stdout.flush().await?;
                'walks: loop {
                    for k in g.order.clone() {
                        if let Some(members) = g.detect(k) {
                            ctx.error(format!("{file}: input contains a loop:")).await?;
                            for m in members {
                                let name = String::from_utf8_lossy(&g.nodes[m].name).into_owned();
                                ctx.error(name).await?;
                            }
                            break 'walks;
                        }
                    }
                    if g.loop_at.is_none() {
                        break;
                    }
                }
            }
        }
        ctx.stdout.write_all(&out).await?;
        Ok(status)
    }
}

fn node<'a>(index: &mut BTreeMap<&'a [u8], usize>, t: &'a [u8], g: &mut Graph) -> usize {
    if let Some(&i) = index.get(t) {
        return i;
    }
    let i = g.nodes.len();
    g.nodes.push(Node {
        name: t.to_vec(),
        ..Node::default()
    });
    index.insert(t, i);
    i
}
