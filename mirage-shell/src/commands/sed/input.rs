//! The input side of sed: operands read one after another as one stream (or one file at a time
//! with `-s`/`-i`), one line kept read ahead so `$` is known before the last line runs.

use std::collections::VecDeque;
use std::io;

use mirage_core::{CommandContext, ErrorKind, Reader};
use tokio::io::AsyncBufReadExt;

use crate::commands::common::open_operand;

/// One input line without its separator, and whether the separator was there.
pub struct Line {
    pub data: Vec<u8>,
    pub nl: bool,
}

pub struct Input {
    files: VecDeque<String>,
    cur: Option<Reader>,
    /// Name of the file the read-ahead line came from (`-` for stdin), for `F`.
    next_name: String,
    pub cur_name: String,
    next: Option<Line>,
    sep: u8,
    /// Stay inside the current file (`-s`, `-i`): `$` is each file's last line.
    separate: bool,
    /// Set when an operand could not be opened (sed then exits 2).
    pub failed: bool,
    /// Editing in place: stdin is no file, and directories are refused as GNU words it.
    in_place: bool,
    /// Set on an error GNU treats as fatal (a directory operand): sed stops with status 4.
    pub fatal: bool,
}

impl Input {
    pub fn new(files: Vec<String>, sep: u8, separate: bool, in_place: bool) -> Self {
        Input {
            files: files.into(),
            cur: None,
            next_name: String::new(),
            cur_name: String::new(),
            next: None,
            sep,
            separate,
            failed: false,
            in_place,
            fatal: false,
        }
    }

    /// True when no further line exists (in this file when separate).
    pub fn is_last(&self) -> bool {
        self.next.is_none()
    }

    /// Opens the next operand and reads ahead its first line (separate mode's file switch).
    pub async fn start_next_file(&mut self, ctx: &mut CommandContext) -> io::Result<bool> {
        self.cur = None;
        if !self.open_next(ctx).await? {
            return Ok(false);
        }
        self.fill(ctx).await?;
        Ok(true)
    }

    /// The name of the operand currently open.
    pub fn current_operand(&self) -> &str {
        &self.next_name
    }

    async fn open_next(&mut self, ctx: &mut CommandContext) -> io::Result<bool> {
        while let Some(name) = self.files.pop_front() {
            if self.in_place && name == "-" {
                ctx.error("can't read -: No such file or directory").await?;
                self.failed = true;
                continue;
            }
            match open_operand(ctx, &name).await {
                Err(e) if e.kind == ErrorKind::IsADirectory => {
                    let msg = if self.in_place {
                        format!("couldn't edit {name}: not a regular file")
                    } else {
                        format!("read error on {name}: {e}")
                    };
                    ctx.error(msg).await?;
                    self.fatal = true;
                    self.files.clear();
                    return Ok(false);
                }
                Ok(r) => {
                    self.cur = Some(r);
                    self.next_name = name;
                    return Ok(true);
                }
                Err(e) => {
                    ctx.error(format!("can't read {name}: {e}")).await?;
                    self.failed = true;
                    if self.separate {
                        continue;
                    }
                }
            }
        }
        Ok(false)
    }

    /// Reads ahead one line, moving to the next operand when this one ends (unless separate).
    pub async fn fill(&mut self, ctx: &mut CommandContext) -> io::Result<()> {
        while self.next.is_none() {
            if let Some(r) = &mut self.cur {
                let mut buf = Vec::new();
                let n = r.read_until(self.sep, &mut buf).await?;
                if n > 0 {
                    let nl = buf.last() == Some(&self.sep);
                    if nl {
                        buf.pop();
                    }
                    self.next = Some(Line { data: buf, nl });
                    return Ok(());
                }
                self.cur = None;
                if self.separate {
                    return Ok(());
                }
            }
            if !self.open_next(ctx).await? {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Takes the next line (already read ahead) and reads ahead the one after it.
    pub async fn read(&mut self, ctx: &mut CommandContext) -> io::Result<Option<Line>> {
        if self.next.is_none() && self.cur.is_none() && !self.separate {
            self.fill(ctx).await?;
        }
        let Some(line) = self.next.take() else {
            return Ok(None);
        };
        self.cur_name = self.next_name.clone();
        self.fill(ctx).await?;
        Ok(Some(line))
    }
}
