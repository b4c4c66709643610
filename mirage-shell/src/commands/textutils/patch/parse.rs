//! Reading a patch: the input is consumed one file section at a time (the headers, then the
//! unified hunks that follow them), so a long multi-file diff never sits in memory whole.

use std::io;

use mirage_core::Reader;

use crate::commands::common::read_line;

/// One line of a hunk side: `b' '` context, `b'-'` removed, `b'+'` added. `text` keeps its
/// `\n` unless the patch marked it with `\ No newline at end of file`.
#[derive(Clone, Debug)]
pub struct Line {
    pub kind: u8,
    pub text: Vec<u8>,
}

/// One `@@ -a,b +c,d @@` hunk, split into the two sides GNU patch works with: the pattern
/// (context and removed lines) and the replacement (context and added lines).
#[derive(Clone, Debug)]
pub struct Hunk {
    pub first: usize,
    pub newfirst: usize,
    pub pattern: Vec<Line>,
    pub replacement: Vec<Line>,
    pub prefix_context: usize,
    pub suffix_context: usize,
    /// The text after the closing `@@` (usually ` function name`), kept for rejects.
    pub function: Vec<u8>,
}

impl Hunk {
    /// `-R`: the new side becomes the old one.
    pub fn swap(&mut self) {
        std::mem::swap(&mut self.first, &mut self.newfirst);
        std::mem::swap(&mut self.pattern, &mut self.replacement);
        for l in self.pattern.iter_mut().chain(self.replacement.iter_mut()) {
            l.kind = match l.kind {
                b'-' => b'+',
                b'+' => b'-',
                k => k,
            };
        }
    }
}

/// A file name from a `---`/`+++` header: `name` is the path as written (before `-p`),
/// `header` the whole text after the tag (name and timestamp), for reject files.
#[derive(Clone, Debug, Default)]
pub struct Name {
    pub name: Option<String>,
    pub header: String,
}

/// Everything that applies to one file.
#[derive(Debug, Default)]
pub struct Section {
    /// The lines before the first hunk, for `can't find file to patch`.
    pub leading: Vec<Vec<u8>>,
    /// Line number of the first `@@`.
    pub hunk_line: usize,
    pub old: Name,
    pub new: Name,
    pub index: Option<String>,
    pub git: bool,
    pub git_old: Option<String>,
    pub git_new: Option<String>,
    pub new_file: bool,
    pub deleted_file: bool,
    pub hunks: Vec<Hunk>,
    /// A hunk that could not be read: reported once the file is named, as GNU does.
    pub error: Option<ParseError>,
}

impl Section {
    /// GNU's `pch_says_nonexistent`: whether side `new` (false: old side) is `/dev/null`.
    pub fn nonexistent(&self, new: bool) -> bool {
        match (self.git, new) {
            (true, true) => self.deleted_file,
            (true, false) => self.new_file,
            (false, true) => self.new.name.is_none(),
            (false, false) => self.old.name.is_none(),
        }
    }
}

/// Why reading the patch stopped.
#[derive(Debug)]
pub enum ParseError {
    Io(io::Error),
    /// `patch: **** MESSAGE` and exit status 2.
    Fatal(String),
    /// A kind of patch Mirage refuses (`mirage: patch: ...`, status 2).
    Unsupported(String),
}

impl From<io::Error> for ParseError {
    fn from(e: io::Error) -> Self {
        ParseError::Io(e)
    }
}

pub struct PatchInput {
    reader: Reader,
    peeked: Option<Vec<u8>>,
    line_no: usize,
    strip_cr: bool,
    /// Set when CR stripping was switched on and the caller has yet to say so.
    pub announce_strip: bool,
    /// The input ended inside a line (GNU drops that line and says so).
    pub partial: bool,
}

impl PatchInput {
    pub fn new(reader: Reader) -> Self {
        PatchInput {
            reader,
            peeked: None,
            line_no: 0,
            strip_cr: false,
            announce_strip: false,
            partial: false,
        }
    }

    /// How many lines were read so far.
    pub fn lines_read(&self) -> usize {
        self.line_no
    }

    async fn next(&mut self) -> io::Result<Option<Vec<u8>>> {
        if let Some(l) = self.peeked.take() {
            self.line_no += 1;
            return Ok(Some(l));
        }
        let mut buf = Vec::new();
        if self.partial || !read_line(&mut self.reader, &mut buf).await? {
            return Ok(None);
        }
        if !buf.ends_with(b"\n") {
            self.partial = true;
            return Ok(None);
        }
        self.line_no += 1;
        Ok(Some(buf))
    }

    async fn peek(&mut self) -> io::Result<Option<&Vec<u8>>> {
        if self.peeked.is_none() {
            let mut buf = Vec::new();
            if !self.partial && read_line(&mut self.reader, &mut buf).await? {
                if buf.ends_with(b"\n") {
                    self.peeked = Some(buf);
                } else {
                    self.partial = true;
                }
            }
        }
        Ok(self.peeked.as_ref())
    }

    fn unstrip(&self, mut line: Vec<u8>) -> Vec<u8> {
        if self.strip_cr && line.ends_with(b"\r\n") {
            line.remove(line.len() - 2);
        }
        line
    }

    /// Reads the next file section; `None` at the end of the input (or when only trailing
    /// text without hunks is left).
    pub async fn section(&mut self) -> Result<Option<Section>, ParseError> {
        let mut s = Section::default();
        self.strip_cr = false;
        loop {
            // A git header is a file patch even without hunks (an empty file created or
            // deleted): it ends at the next `diff --git` or at the end of the input.
            let Some(line) = self.next().await? else {
                s.hunk_line = self.line_no;
                return Ok(s.git.then_some(s));
            };
            let body = trim_eol(&line);
            if body.starts_with(b"diff --git ") && s.git {
                self.peeked = Some(line);
                self.line_no -= 1;
                s.hunk_line = self.line_no;
                return Ok(Some(s));
            }
            if let Some(rest) = body.strip_prefix(b"diff --git ") {
                s.git = true;
                s.new_file = false;
                s.deleted_file = false;
                let (a, b) = git_names(rest);
                s.git_old = a;
                s.git_new = b;
            } else if s.git && body.starts_with(b"new file mode") {
                s.new_file = true;
            } else if s.git && body.starts_with(b"deleted file mode") {
                s.deleted_file = true;
            } else if s.git
                && (body.starts_with(b"rename from ")
                    || body.starts_with(b"copy from ")
                    || body.starts_with(b"old mode "))
            {
                return Err(ParseError::Unsupported(
                    "git renames, copies and mode changes are not supported".into(),
                ));
            } else if body.starts_with(b"GIT binary patch") || body.starts_with(b"Binary files ") {
                return Err(ParseError::Unsupported(
                    "binary diffs are not supported".into(),
                ));
            } else if let Some(rest) = body.strip_prefix(b"Index: ") {
                s.index = Some(String::from_utf8_lossy(rest).trim().to_string());
            } else if body.starts_with(b"*** ") && !body.starts_with(b"*** ***") {
                if let Some(next) = self.peek().await?
                    && next.starts_with(b"--- ")
                {
                    return Err(ParseError::Unsupported(
                        "context diffs are not supported".into(),
                    ));
                }
            } else if is_normal_command(body) && s.leading.is_empty() {
                return Err(ParseError::Unsupported(
                    "normal diffs are not supported".into(),
                ));
            } else if let Some(rest) = body.strip_prefix(b"--- ") {
                let is_header = matches!(self.peek().await?, Some(n) if n.starts_with(b"+++ "));
                if is_header {
                    if !self.strip_cr && line.ends_with(b"\r\n") {
                        self.strip_cr = true;
                        self.announce_strip = true;
                    }
                    let old = header_name(rest);
                    s.leading.push(line.clone());
                    let plus = self.next().await?.unwrap_or_default();
                    let new = header_name(trim_eol(&plus).get(4..).unwrap_or_default());
                    s.leading.push(plus);
                    if matches!(self.peek().await?, Some(n) if n.starts_with(b"@@ -")) {
                        s.old = old;
                        s.new = new;
                        s.hunk_line = self.line_no + 1;
                        break;
                    }
                    continue;
                }
            }
            s.leading.push(line);
        }
        while matches!(self.peek().await?, Some(n) if n.starts_with(b"@@ -")) {
            match self.hunk().await {
                Ok(hunk) => s.hunks.push(hunk),
                Err(ParseError::Io(e)) => return Err(ParseError::Io(e)),
                Err(e) => {
                    s.error = Some(e);
                    break;
                }
            }
        }
        Ok(Some(s))
    }

    async fn hunk(&mut self) -> Result<Hunk, ParseError> {
        let header = self.next().await?.unwrap_or_default();
        let header = self.unstrip(header);
        let header_no = self.line_no;
        let malformed = |no: usize, line: &[u8]| {
            ParseError::Fatal(format!(
                "malformed patch at line {no}: {}",
                String::from_utf8_lossy(line)
            ))
        };
        let header = if header.ends_with(b"\n") {
            header
        } else {
            [header.as_slice(), b"\n"].concat()
        };
        let Some((first, old_len, newfirst, new_len, function)) = hunk_header(&header) else {
            return Err(malformed(header_no, &header));
        };
        let mut lines: Vec<Line> = Vec::new();
        let (mut old_left, mut new_left) = (old_len, new_len);
        while old_left > 0 || new_left > 0 {
            let Some(raw) = self.next().await? else {
                return Err(malformed(self.line_no, b" \n"));
            };
            let raw = self.unstrip(raw);
            let (kind, text) = match raw.first() {
                Some(b'\n') => (b' ', b"\n".to_vec()),
                Some(&k @ (b' ' | b'-' | b'+')) => (k, raw[1..].to_vec()),
                Some(b'\\') => {
                    if let Some(last) = lines.last_mut()
                        && last.text.ends_with(b"\n")
                    {
                        last.text.pop();
                    }
                    continue;
                }
                _ => return Err(malformed(self.line_no, &raw)),
            };
            let fits = match kind {
                b' ' => old_left > 0 && new_left > 0,
                b'-' => old_left > 0,
                _ => new_left > 0,
            };
            if !fits {
                return Err(malformed(self.line_no, &raw));
            }
            if kind != b'+' {
                old_left -= 1;
            }
            if kind != b'-' {
                new_left -= 1;
            }
            lines.push(Line { kind, text });
        }
        if matches!(self.peek().await?, Some(n) if n.starts_with(b"\\")) {
            self.next().await?;
            if let Some(last) = lines.last_mut()
                && last.text.ends_with(b"\n")
            {
                last.text.pop();
            }
        }
        let prefix_context = lines.iter().take_while(|l| l.kind == b' ').count();
        let suffix_context = if prefix_context == lines.len() {
            0
        } else {
            lines.iter().rev().take_while(|l| l.kind == b' ').count()
        };
        let pattern: Vec<Line> = lines.iter().filter(|l| l.kind != b'+').cloned().collect();
        let replacement: Vec<Line> = lines.into_iter().filter(|l| l.kind != b'-').collect();
        Ok(Hunk {
            first: if old_len == 0 { first + 1 } else { first },
            newfirst: if new_len == 0 { newfirst + 1 } else { newfirst },
            pattern,
            replacement,
            prefix_context,
            suffix_context,
            function,
        })
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let l = line.strip_suffix(b"\n").unwrap_or(line);
    l.strip_suffix(b"\r").unwrap_or(l)
}

/// `diff --git a/X b/Y`: the two names (unquoted, simple names only).
fn git_names(rest: &[u8]) -> (Option<String>, Option<String>) {
    let text = String::from_utf8_lossy(rest).to_string();
    // The names are the same length in the usual case: split at " b/" nearest the middle.
    let mut best: Option<(usize, usize)> = None;
    for (i, _) in text.match_indices(" b/") {
        let score = (i as isize * 2 - text.len() as isize).unsigned_abs();
        if best.is_none_or(|(_, s)| score < s) {
            best = Some((i, score));
        }
    }
    match best {
        Some((i, _)) => (Some(text[..i].to_string()), Some(text[i + 1..].to_string())),
        None => (None, None),
    }
}

/// The name in a `---`/`+++` header: up to a tab (the timestamp follows it), else up to the
/// first blank; `/dev/null` means no file.
fn header_name(rest: &[u8]) -> Name {
    let header = String::from_utf8_lossy(trim_eol(rest)).to_string();
    let name = match header.split_once('\t') {
        Some((n, _)) => n.to_string(),
        None => header.split(' ').next().unwrap_or_default().to_string(),
    };
    let name = name.trim_end().to_string();
    Name {
        name: (name != "/dev/null" && !name.is_empty()).then_some(name),
        header,
    }
}

/// `@@ -a[,b] +c[,d] @@ text`
#[allow(clippy::type_complexity)]
fn hunk_header(line: &[u8]) -> Option<(usize, usize, usize, usize, Vec<u8>)> {
    let body = trim_eol(line);
    let rest = body.strip_prefix(b"@@ -")?;
    let text = std::str::from_utf8(rest).ok();
    let (ranges, function) = match text {
        Some(t) => {
            let end = t.find(" @@")?;
            (&t[..end], rest[end + 3..].to_vec())
        }
        None => {
            let end = rest.windows(3).position(|w| w == b" @@")?;
            (
                std::str::from_utf8(&rest[..end]).ok()?,
                rest[end + 3..].to_vec(),
            )
        }
    };
    let (old, new) = ranges.split_once(" +")?;
    // Line numbers beyond any real file are refused so offsets stay far from overflow.
    let num = |t: &str| -> Option<usize> { t.parse::<usize>().ok().filter(|&n| n < 1 << 40) };
    let range = |r: &str| -> Option<(usize, usize)> {
        match r.split_once(',') {
            Some((a, b)) => Some((num(a)?, num(b)?)),
            None => Some((num(r)?, 1)),
        }
    };
    let (a, b) = range(old)?;
    let (c, d) = range(new)?;
    Some((a, b, c, d, function))
}

/// A normal diff command such as `3c3` or `5,7d4`.
fn is_normal_command(line: &[u8]) -> bool {
    let Ok(t) = std::str::from_utf8(line) else {
        return false;
    };
    let Some(pos) = t.find(['a', 'c', 'd']) else {
        return false;
    };
    let range = |r: &str| {
        let mut parts = r.splitn(2, ',');
        parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    range(&t[..pos]) && range(&t[pos + 1..])
}
