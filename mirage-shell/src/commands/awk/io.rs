//! Input records (main input over ARGV, `getline < file`) and output streams (`print > file`,
//! `>> file`, `close()`). Output files are buffered per name: the first flush of a `>` stream
//! truncates, later flushes append, as one open file descriptor would behave.

use std::collections::HashMap;

use mirage_core::{Reader, WriteMode, stream_from_bytes};
use tokio::io::AsyncBufReadExt;

use super::format::sprintf;
use super::interp::{AwkErr, Interp, R, Value};
use super::parser::{Expr, LValue, Redir};
use crate::commands::common::{open_operand, take_stdin};

/// Reads records separated by RS from one input.
pub struct RecordReader {
    reader: Reader,
    /// Bytes read ahead while looking for a regex RS.
    pending: Vec<u8>,
    eof: bool,
    rs_regex: Option<(String, regex::bytes::Regex)>,
}

impl RecordReader {
    pub fn new(reader: Reader) -> Self {
        RecordReader {
            reader,
            pending: Vec::new(),
            eof: false,
            rs_regex: None,
        }
    }

    /// A multi-character RS is a regex (gawk): read ahead until a match that cannot grow.
    async fn regex_record(&mut self, rs: &str) -> R<Option<String>> {
        if self.rs_regex.as_ref().is_none_or(|(src, _)| src != rs) {
            let re = regex::bytes::Regex::new(&super::builtins::translate_ere(rs))
                .map_err(|_| AwkErr::Fatal(format!("invalid regexp: /{rs}/")))?;
            self.rs_regex = Some((rs.to_string(), re));
        }
        loop {
            let found = self.rs_regex.as_ref().and_then(|(_, re)| {
                re.find_iter(&self.pending)
                    .find(|m| m.start() != m.end())
                    .map(|m| (m.start(), m.end()))
            });
            if let Some((start, end)) = found
                && (end < self.pending.len() || self.eof)
            {
                let rec = String::from_utf8_lossy(&self.pending[..start]).into_owned();
                self.pending.drain(..end);
                return Ok(Some(rec));
            }
            if self.eof {
                if self.pending.is_empty() {
                    return Ok(None);
                }
                let rec = String::from_utf8_lossy(&self.pending).into_owned();
                self.pending.clear();
                return Ok(Some(rec));
            }
            let n = self.reader.read_until(b'\n', &mut self.pending).await?;
            if n == 0 {
                self.eof = true;
            }
        }
    }

    /// The next record without its terminator; `None` at end of input.
    pub async fn next(&mut self, rs: &str) -> R<Option<String>> {
        self.next_into(rs, Vec::new()).await
    }

    /// `next`, filling `buf` (emptied first): the main loop hands back the previous record's
    /// allocation, so reading a record allocates nothing once lines stop growing.
    pub async fn next_into(&mut self, rs: &str, mut buf: Vec<u8>) -> R<Option<String>> {
        if rs.chars().count() > 1 {
            return self.regex_record(rs).await;
        }
        if !self.pending.is_empty() {
            // Left over from a regex RS: put it back in front of the stream.
            let rest = std::mem::take(&mut self.pending);
            let old = std::mem::replace(&mut self.reader, Box::pin(tokio::io::empty()));
            let chained = tokio::io::AsyncReadExt::chain(std::io::Cursor::new(rest), old);
            self.reader = Box::pin(tokio::io::BufReader::new(chained));
        }
        if rs.is_empty() {
            return self.paragraph().await;
        }
        buf.clear();
        let mut sb = [0u8; 4];
        let sep = rs.chars().next().unwrap_or('\n');
        let sep_bytes: &[u8] = sep.encode_utf8(&mut sb).as_bytes();
        let last = sep_bytes[sep_bytes.len() - 1];
        loop {
            let n = self.reader.read_until(last, &mut buf).await?;
            if n == 0 || buf.ends_with(sep_bytes) {
                break;
            }
        }
        if buf.is_empty() {
            return Ok(None);
        }
        if buf.ends_with(sep_bytes) {
            buf.truncate(buf.len() - sep_bytes.len());
        }
        Ok(Some(into_text(buf)))
    }

    /// Paragraph mode (RS=""): records are separated by blank lines.
    async fn paragraph(&mut self) -> R<Option<String>> {
        let mut acc: Vec<u8> = Vec::new();
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = self.reader.read_until(b'\n', &mut line).await?;
            if n == 0 {
                break;
            }
            if line == b"\n" {
                if acc.is_empty() {
                    continue;
                }
                break;
            }
            acc.extend_from_slice(&line);
        }
        if acc.is_empty() {
            return Ok(None);
        }
        while acc.last() == Some(&b'\n') {
            acc.pop();
        }
        Ok(Some(String::from_utf8_lossy(&acc).into_owned()))
    }
}

/// Operands `print` can copy without evaluating anything that could change OFS, ORS or the
/// record in between: `$N` with a constant N, variables, constants.
fn is_plain_operand(e: &Expr) -> bool {
    match e {
        Expr::LV(LValue::Field(index)) => matches!(**index, Expr::Num(_)),
        Expr::LV(LValue::Var(_)) | Expr::Num(_) | Expr::Str(_) => true,
        _ => false,
    }
}

/// A record's bytes as text: valid UTF-8 (nearly every record) is taken over without a copy;
/// invalid sequences become U+FFFD as before.
fn into_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A buffered output file.
struct OutFile {
    buf: Vec<u8>,
    mode: WriteMode,
}

#[derive(Default)]
pub struct IoState {
    /// Index of the next ARGV element to consider.
    pub argi: usize,
    pub main: Option<RecordReader>,
    /// Whether any file operand was opened (otherwise stdin is read).
    pub used_operand: bool,
    pub main_done: bool,
    readers: HashMap<String, RecordReader>,
    /// Exit statuses of commands read with `cmd | getline`, for `close`.
    cmd_status: HashMap<String, i32>,
    outputs: HashMap<String, OutFile>,
    /// `print | cmd`: what was printed, fed to the command when it is closed.
    pipes: Vec<(String, Vec<u8>)>,
    /// awk's own stdout while a `print | cmd` is pending: gawk's buffered stdout reaches the
    /// terminal after the commands closed at exit, or at the next fork or fflush.
    held: Vec<u8>,
    pub last_getline_status: f64,
}

const FLUSH_AT: usize = 1 << 16;

impl Interp<'_> {
    /// The next record of the main input, walking ARGV (and applying `var=value` operands).
    pub async fn next_main_record(&mut self) -> R<Option<String>> {
        loop {
            if self.io.main_done {
                return Ok(None);
            }
            // The default RS is answered without copying it out of the globals on every record.
            let rs: std::borrow::Cow<'static, str> = if self.special_is(super::globals::RS, "\n") {
                std::borrow::Cow::Borrowed("\n")
            } else {
                std::borrow::Cow::Owned(self.gstr("RS"))
            };
            if let Some(r) = self.io.main.as_mut() {
                let spare = std::mem::take(&mut self.spare_record);
                if let Some(rec) = r.next_into(&rs, spare).await? {
                    return Ok(Some(rec));
                }
                self.io.main = None;
            }
            let argc = self.gnum("ARGC") as usize;
            if self.io.argi == 0 {
                self.io.argi = 1;
            }
            if self.io.argi >= argc {
                if self.io.used_operand {
                    self.io.main_done = true;
                    return Ok(None);
                }
                self.io.used_operand = true;
                self.io.main = Some(RecordReader::new(take_stdin(self.ctx)));
                self.set_global("FNR", Value::Num(0.0));
                continue;
            }
            let id = self.global_array("ARGV");
            let arg = self.arrays[id]
                .get(&self.io.argi.to_string())
                .map(|v| v.to_str("%.6g"))
                .unwrap_or_default();
            self.io.argi += 1;
            if arg.is_empty() {
                continue;
            }
            if let Some((name, val)) = super::split_assignment(&arg) {
                self.set_global(&name, Value::from_input(val));
                continue;
            }
            self.io.used_operand = true;
            if arg != "-"
                && let Ok(st) = self.ctx.fs.stat(&self.ctx.path(&arg)).await
                && st.is_dir()
            {
                let msg = format!(
                    "awk: warning: command line argument `{arg}' is a directory: skipped\n"
                );
                self.ctx.stderr.write_str(&msg).await?;
                continue;
            }
            let reader = match open_operand(self.ctx, &arg).await {
                Ok(r) => r,
                Err(e) => {
                    return Err(AwkErr::Fatal(format!(
                        "cannot open file `{arg}' for reading: {e}"
                    )));
                }
            };
            self.set_global("FILENAME", Value::Str(arg));
            self.set_global("FNR", Value::Num(0.0));
            self.io.main = Some(RecordReader::new(reader));
        }
    }

    /// Drops the current input file (`nextfile`).
    pub fn skip_file(&mut self) {
        self.io.main = None;
    }

    /// `getline < name`: the next record of that file; `None` sets the status (0 EOF, -1 error).
    pub async fn read_from_file(&mut self, name: &str) -> R<Option<String>> {
        if !self.io.readers.contains_key(name) {
            let op = if name == "/dev/stdin" { "-" } else { name };
            match open_operand(self.ctx, op).await {
                Ok(r) => {
                    self.io
                        .readers
                        .insert(name.to_string(), RecordReader::new(r));
                }
                Err(_) => {
                    self.io.last_getline_status = -1.0;
                    return Ok(None);
                }
            }
        }
        let rs = self.gstr("RS");
        let Some(r) = self.io.readers.get_mut(name) else {
            return Ok(None);
        };
        let rec = r.next(&rs).await?;
        self.io.last_getline_status = 0.0;
        Ok(rec)
    }

    async fn eval_all(&mut self, args: &[Expr]) -> R<Vec<Value>> {
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.eval(a).await?);
        }
        Ok(vals)
    }

    pub async fn print(&mut self, args: &[Expr], redir: Option<&(Redir, Expr)>) -> R<()> {
        if args.iter().all(is_plain_operand) {
            return self.print_plain(args, redir).await;
        }
        let mut line = if args.is_empty() {
            self.record.clone()
        } else {
            let vals = self.eval_all(args).await?;
            let ofmt = self.gstr("OFMT");
            let ofs = self.gstr("OFS");
            let parts: Vec<String> = vals
                .iter()
                .map(|v| match v {
                    Value::Num(n) => super::format::num_to_str(*n, &ofmt),
                    other => other.to_str(&ofmt),
                })
                .collect();
            parts.join(&ofs)
        };
        line.push_str(&self.gstr("ORS"));
        self.emit(line.into_bytes(), redir).await
    }

    /// `print` of operands without side effects (`$N`, variables, constants), the bulk of awk
    /// one-liners: fields are copied straight into the output line, no value per operand.
    async fn print_plain(&mut self, args: &[Expr], redir: Option<&(Redir, Expr)>) -> R<()> {
        let mut line = String::new();
        if args.is_empty() {
            line.push_str(&self.record);
        }
        let ofmt = self.ofmt();
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                self.push_global("OFS", &mut line);
            }
            if let Expr::LV(LValue::Field(index)) = arg
                && let Expr::Num(n) = **index
                && n >= 0.0
            {
                let n = n as usize;
                if n == 0 {
                    line.push_str(&self.record);
                } else {
                    self.split_record();
                    if let Some(field) = self.fields.get(n - 1) {
                        line.push_str(field);
                    }
                }
                continue;
            }
            match self.eval(arg).await? {
                Value::Num(n) => line.push_str(&super::format::num_to_str(n, &ofmt)),
                other => line.push_str(&other.to_str(&ofmt)),
            }
        }
        self.push_global("ORS", &mut line);
        self.emit(line.into_bytes(), redir).await
    }

    pub async fn printf(&mut self, args: &[Expr], redir: Option<&(Redir, Expr)>) -> R<()> {
        let vals = self.eval_all(args).await?;
        let conv = self.convfmt();
        let fmt = vals.first().map(|v| v.to_str(&conv)).unwrap_or_default();
        let s = sprintf(&fmt, &vals[1..], &conv).map_err(AwkErr::Fatal)?;
        self.emit(s.into_bytes(), redir).await
    }

    async fn emit(&mut self, data: Vec<u8>, redir: Option<&(Redir, Expr)>) -> R<()> {
        let Some((kind, target)) = redir else {
            self.write_stdout(&data).await?;
            return Ok(());
        };
        let name = self.eval(target).await?.to_str(&self.convfmt());
        if *kind == Redir::Pipe {
            match self.io.pipes.iter_mut().find(|(n, _)| *n == name) {
                Some((_, buf)) => buf.extend_from_slice(&data),
                None => {
                    self.release_held().await?;
                    self.ctx.stdout.flush().await?;
                    self.io.pipes.push((name, data));
                }
            }
            return Ok(());
        }
        match name.as_str() {
            "/dev/stdout" | "-" => self.write_stdout(&data).await?,
            "/dev/stderr" => self.ctx.stderr.write_all(&data).await?,
            _ => {
                let mode = if *kind == Redir::Append {
                    WriteMode::Append
                } else {
                    WriteMode::Truncate
                };
                let file = self.io.outputs.entry(name.clone()).or_insert(OutFile {
                    buf: Vec::new(),
                    mode,
                });
                file.buf.extend_from_slice(&data);
                if file.buf.len() >= FLUSH_AT {
                    self.flush_file(&name).await?;
                }
            }
        }
        Ok(())
    }

    async fn flush_file(&mut self, name: &str) -> R<()> {
        let Some(file) = self.io.outputs.get_mut(name) else {
            return Ok(());
        };
        let data = std::mem::take(&mut file.buf);
        let mode = file.mode;
        file.mode = WriteMode::Append;
        let path = self.ctx.path(name);
        self.ctx
            .fs
            .write(&path, stream_from_bytes(data), mode)
            .await
            .map_err(|e| AwkErr::Fatal(format!("can't redirect to `{name}' ({e})")))?;
        Ok(())
    }

    /// `cmd | getline`: the next record of the command's output; the command runs (through
    /// Mirage's shell, over the same mounts, cwd and environment) when first read.
    pub async fn read_from_cmd(&mut self, cmd: &str) -> R<Option<String>> {
        if !self.io.readers.contains_key(cmd) {
            self.release_held().await?;
            let (status, out) = self.run_shell(cmd, Vec::new(), true).await?;
            self.io.cmd_status.insert(cmd.to_string(), status);
            let reader = mirage_core::stream_reader(stream_from_bytes(out));
            self.io
                .readers
                .insert(cmd.to_string(), RecordReader::new(reader));
        }
        let rs = self.gstr("RS");
        let Some(r) = self.io.readers.get_mut(cmd) else {
            return Ok(None);
        };
        let rec = r.next(&rs).await?;
        self.io.last_getline_status = 0.0;
        Ok(rec)
    }

    /// Runs `sh -c cmd` with `input` as stdin; stdout is captured when `capture`, else it goes
    /// to awk's stdout. Stderr is awk's.
    async fn run_shell(&mut self, cmd: &str, input: Vec<u8>, capture: bool) -> R<(i32, Vec<u8>)> {
        use mirage_core::Output;
        let Some(sh) = self.ctx.commands.resolve("sh", None, None) else {
            return Err(AwkErr::Fatal(
                "mirage: awk: no shell to run commands".into(),
            ));
        };
        let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let stdout = if capture {
            Output::unbuffered(Box::pin(crate::commands::capture::SharedBuf(buf.clone())))
        } else {
            std::mem::replace(&mut self.ctx.stdout, Output::sink())
        };
        let mut child = mirage_core::CommandContext {
            name: "sh".to_string(),
            stdin: mirage_core::stream_reader(stream_from_bytes(input)),
            stdin_size: None,
            stdout,
            stderr: std::mem::replace(&mut self.ctx.stderr, Output::sink()),
            cwd: self.ctx.cwd.clone(),
            env: self.ctx.env.clone(),
            fs: self.ctx.fs.clone(),
            commands: self.ctx.commands.clone(),
            shell_prefix: None,
        };
        let args = vec!["-c".to_string(), cmd.to_string()];
        let status = crate::exec::run_command(sh, &mut child, args).await;
        self.ctx.stderr = child.stderr;
        if !capture {
            self.ctx.stdout = child.stdout;
        }
        let out = buf
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default();
        Ok((status, out))
    }

    /// Writes awk's own output to stdout, behind output held for pending pipes.
    pub async fn write_stdout(&mut self, data: &[u8]) -> R<()> {
        if self.io.pipes.is_empty() && self.io.held.is_empty() {
            self.ctx.stdout.write_all(data).await?;
        } else {
            self.io.held.extend_from_slice(data);
        }
        Ok(())
    }

    /// Writes out what was held back (see `IoState::held`) and flushes stdout.
    pub async fn release_held(&mut self) -> R<()> {
        let held = std::mem::take(&mut self.io.held);
        if !held.is_empty() {
            self.ctx.stdout.write_all(&held).await?;
        }
        self.ctx.stdout.flush().await?;
        Ok(())
    }

    /// `system(cmd)`: runs the command with awk's stdout; its exit status.
    pub async fn system(&mut self, cmd: &str) -> R<i32> {
        self.release_held().await?;
        Ok(self.run_shell(cmd, Vec::new(), false).await?.0)
    }

    /// Flushes the output files (before `system()`, as gawk does).
    pub async fn flush_outputs(&mut self) -> R<()> {
        let names: Vec<String> = self.io.outputs.keys().cloned().collect();
        for n in names {
            self.flush_file(&n).await?;
        }
        Ok(())
    }

    /// Feeds what was printed to `print | cmd` to the command; its exit status.
    async fn close_pipe(&mut self, cmd: &str) -> R<Option<i32>> {
        let Some(pos) = self.io.pipes.iter().position(|(n, _)| n == cmd) else {
            return Ok(None);
        };
        let (_, data) = self.io.pipes.remove(pos);
        let (status, _) = self.run_shell(cmd, data, false).await?;
        Ok(Some(status))
    }

    /// `close(name)`: flushes and forgets an output file or input reader.
    pub async fn close_stream(&mut self, name: &str) -> R<f64> {
        if self.io.pipes.iter().any(|(n, _)| n == name) {
            // gawk flushes its own stdout before waiting for the command.
            self.release_held().await?;
        }
        if let Some(st) = self.close_pipe(name).await? {
            return Ok(f64::from(st));
        }
        if let Some(st) = self.io.cmd_status.remove(name) {
            self.io.readers.remove(name);
            return Ok(f64::from(st));
        }
        if self.io.outputs.contains_key(name) {
            self.flush_file(name).await?;
            self.io.outputs.remove(name);
            return Ok(0.0);
        }
        if self.io.readers.remove(name).is_some() {
            return Ok(0.0);
        }
        Ok(-1.0)
    }

    /// Flushes every output file (at exit).
    pub async fn close_all(&mut self) -> R<()> {
        while let Some(name) = self.io.pipes.first().map(|(n, _)| n.clone()) {
            self.close_pipe(&name).await?;
        }
        self.release_held().await?;
        let names: Vec<String> = self.io.outputs.keys().cloned().collect();
        for n in names {
            self.flush_file(&n).await?;
        }
        self.io.outputs.clear();
        Ok(())
    }
}
