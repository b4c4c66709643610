//! The page engine of `pr`: which column reads next, where each column starts, when a page
//! is full, and how headers, trailers, separators and numbers are laid out. Positions follow
//! GNU's model: only printable ASCII advances the position (tabs to the next stop, backspace
//! moves back), so the output matches byte for byte.

use std::io;

use mirage_core::{CommandContext, Reader};
use tokio::io::AsyncBufReadExt;

use super::{OpenError, open};
use crate::commands::files::time::Stamp;
use crate::commands::files::time::date_format::{strftime, tm_of};

const EOF: i32 = -1;
const FF: i32 = 0x0c;
const NL: i32 = b'\n' as i32;
/// `start_position` of a column that may begin anywhere (no truncation).
const ANYWHERE: i64 = 0;
const LINES_PER_HEADER: i64 = 5;
const LINES_PER_FOOTER: i64 = 5;

pub enum Stop {
    Io(io::Error),
    Fatal(String),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Io(e)
    }
}

/// Everything the options decide.
pub struct Layout {
    pub columns: i64,
    pub across: bool,
    pub parallel: bool,
    pub storing_columns: bool,
    pub balance_columns: bool,
    pub lines_per_page: i64,
    pub extremities: bool,
    pub keep_ff: bool,
    pub form_feed: bool,
    pub double_space: bool,
    pub chars_per_line: i64,
    pub truncate_lines: bool,
    pub join_lines: bool,
    pub untabify_input: bool,
    pub input_tab_char: u8,
    pub input_tab_width: i64,
    pub tabify_output: bool,
    pub output_tab_char: u8,
    pub output_tab_width: i64,
    pub margin: i64,
    pub numbered: bool,
    pub number_separator: u8,
    pub number_digits: i64,
    pub skip_count: bool,
    pub start_line_num: i64,
    pub use_col_separator: bool,
    pub col_sep: Vec<u8>,
    pub first_page: u64,
    pub last_page: u64,
    pub date_format: String,
    pub custom_header: Option<String>,
    pub esc_sequence: bool,
    pub cntrl_prefix: bool,
    pub ignore_failed_opens: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            columns: 1,
            across: false,
            parallel: false,
            storing_columns: true,
            balance_columns: false,
            lines_per_page: 66,
            extremities: true,
            keep_ff: false,
            form_feed: false,
            double_space: false,
            chars_per_line: 72,
            truncate_lines: false,
            join_lines: false,
            untabify_input: false,
            input_tab_char: b'\t',
            input_tab_width: 8,
            tabify_output: false,
            output_tab_char: b'\t',
            output_tab_width: 8,
            margin: 0,
            numbered: false,
            number_separator: b'\t',
            number_digits: 5,
            skip_count: true,
            start_line_num: 1,
            use_col_separator: false,
            col_sep: Vec::new(),
            first_page: 0,
            last_page: u64::MAX,
            date_format: String::new(),
            custom_header: None,
            esc_sequence: false,
            cntrl_prefix: false,
            ignore_failed_opens: false,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Open,
    FfFound,
    OnHold,
    Closed,
}

/// One input stream read a byte at a time, with one byte of push-back.
struct Source {
    reader: Reader,
    pending: Option<i32>,
    done: bool,
}

impl Source {
    async fn getc(&mut self) -> io::Result<i32> {
        if let Some(c) = self.pending.take() {
            return Ok(c);
        }
        if self.done {
            return Ok(EOF);
        }
        let buf = self.reader.fill_buf().await?;
        let Some(&c) = buf.first() else {
            self.done = true;
            return Ok(EOF);
        };
        self.reader.consume(1);
        Ok(i32::from(c))
    }

    fn ungetc(&mut self, c: i32) {
        if c != EOF {
            self.pending = Some(c);
        }
    }
}

struct Column {
    src: usize,
    status: Status,
    /// Characters go to the page store (columns down) rather than straight out.
    stores: bool,
    /// Lines come from the page store rather than from the file.
    prints_stored: bool,
    current_line: usize,
    lines_stored: i64,
    lines_to_print: i64,
    start_position: i64,
    numbered: bool,
    full_page_printed: bool,
}

pub struct State {
    pub layout: Layout,
    pub failed_opens: bool,
    lines_per_body: i64,
    chars_per_column: i64,
    number_width: i64,
    line_count: i64,
    line_number: i64,
    page_number: u64,
    cols: Vec<Column>,
    srcs: Vec<Source>,
    files_ready: i64,
    print_a_ff: bool,
    print_a_header: bool,
    output_position: i64,
    input_position: i64,
    spaces_not_printed: i64,
    separators_not_printed: i64,
    padding_not_printed: i64,
    pad_vertically: bool,
    align_empty_cols: bool,
    empty_line: bool,
    ff_only: bool,
    last_line: bool,
    date_text: String,
    file_text: String,
    header_width_available: i64,
    /// Columns down: the text of the page's stored lines, where each starts, and the
    /// position reached at its end.
    buff: Vec<u8>,
    line_vector: Vec<usize>,
    end_vector: Vec<i64>,
    out: Vec<u8>,
    /// Blank lines that end the page (`pad_down`), written after `out` without being held.
    pending_newlines: i64,
    now: Option<Stamp>,
}

fn tab_width(width: i64, pos: i64) -> i64 {
    if width <= 0 {
        return 1;
    }
    width - pos.rem_euclid(width)
}

fn is_print(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

/// `mbswidth`: display columns of a UTF-8 string (ASCII and most scripts one each).
fn text_width(s: &str) -> i64 {
    s.chars().count() as i64
}

impl State {
    pub fn new(layout: Layout) -> Self {
        State {
            layout,
            failed_opens: false,
            lines_per_body: 0,
            chars_per_column: 0,
            number_width: 0,
            line_count: 1,
            line_number: 0,
            page_number: 0,
            cols: Vec::new(),
            srcs: Vec::new(),
            files_ready: 0,
            print_a_ff: false,
            print_a_header: false,
            output_position: 0,
            input_position: 0,
            spaces_not_printed: 0,
            separators_not_printed: 0,
            padding_not_printed: 0,
            pad_vertically: false,
            align_empty_cols: false,
            empty_line: false,
            ff_only: false,
            last_line: false,
            date_text: String::new(),
            file_text: String::new(),
            header_width_available: 0,
            buff: Vec::new(),
            line_vector: Vec::new(),
            end_vector: Vec::new(),
            out: Vec::new(),
            pending_newlines: 0,
            now: None,
        }
    }

    async fn flush(&mut self, ctx: &mut CommandContext) -> io::Result<()> {
        if !self.out.is_empty() {
            let data = std::mem::take(&mut self.out);
            ctx.stdout.write_all(&data).await?;
        }
        const CHUNK: [u8; 4096] = [b'\n'; 4096];
        while self.pending_newlines > 0 {
            let n = self.pending_newlines.min(CHUNK.len() as i64);
            ctx.stdout.write_all(&CHUNK[..n as usize]).await?;
            self.pending_newlines -= n;
        }
        Ok(())
    }

    /// Prints one file, or (`-m`) several side by side; none means standard input.
    pub async fn print_files(
        &mut self,
        ctx: &mut CommandContext,
        files: &[String],
    ) -> Result<(), Stop> {
        self.init_parameters(files.len())?;
        if !self.init_fps(ctx, files).await? {
            return Ok(());
        }
        if self.layout.first_page > 1 {
            let first = self.layout.first_page;
            if !self.skip_to_page(ctx, first).await? {
                self.flush(ctx).await?;
                return Ok(());
            }
            self.page_number = first;
        } else {
            self.page_number = 1;
        }
        self.init_funcs();
        self.line_number = self.line_count;
        while self.print_page().await? {
            self.flush(ctx).await?;
        }
        self.flush(ctx).await?;
        Ok(())
    }

    fn init_parameters(&mut self, number_of_files: usize) -> Result<(), Stop> {
        let l = &mut self.layout;
        self.lines_per_body = l.lines_per_page - LINES_PER_HEADER - LINES_PER_FOOTER;
        if self.lines_per_body <= 0 {
            l.extremities = false;
            l.keep_ff = true;
        }
        if !l.extremities {
            self.lines_per_body = l.lines_per_page;
        }
        if l.double_space {
            self.lines_per_body /= 2;
        }
        if number_of_files == 0 {
            l.parallel = false;
        }
        if l.parallel {
            l.columns = number_of_files as i64;
        }
        if l.storing_columns {
            l.balance_columns = true;
        }
        if l.columns > 1 {
            if !l.use_col_separator {
                l.col_sep = if l.join_lines {
                    b"\t".to_vec()
                } else {
                    b" ".to_vec()
                };
                l.use_col_separator = true;
            } else if !l.join_lines && l.col_sep.as_slice() == b"\t" {
                l.col_sep = b" ".to_vec();
            }
            l.truncate_lines = true;
            if l.col_sep.as_slice() != b"\t" {
                l.untabify_input = true;
            }
            l.tabify_output = true;
        } else {
            l.storing_columns = false;
        }
        if l.join_lines {
            l.truncate_lines = false;
        }
        let mut chars_used_by_number = 0;
        if l.numbered {
            self.line_count = l.start_line_num;
            self.number_width = if l.number_separator == b'\t' {
                l.number_digits + tab_width(8, l.number_digits)
            } else {
                l.number_digits + 1
            };
            if l.parallel {
                chars_used_by_number = self.number_width;
            }
        }
        let sep_len = l.col_sep.len() as i64;
        let sep_chars = (l.columns - 1).saturating_mul(sep_len);
        let useful = (l.chars_per_line - chars_used_by_number)
            .saturating_sub(sep_chars)
            .max(0);
        self.chars_per_column = useful / l.columns.max(1);
        if self.chars_per_column < 1 {
            return Err(Stop::Fatal("page width too narrow".into()));
        }
        Ok(())
    }

    async fn init_fps(&mut self, ctx: &mut CommandContext, files: &[String]) -> Result<bool, Stop> {
        self.cols.clear();
        self.srcs.clear();
        let mut total = 0;
        if self.layout.parallel {
            for f in files {
                match self.open_source(ctx, f).await? {
                    Some(_) => {
                        let src = self.srcs.len() - 1;
                        self.cols.push(Self::new_column(src));
                        total += 1;
                    }
                    None => self.layout.columns -= 1,
                }
            }
            if self.layout.columns == 0 {
                return Ok(false);
            }
            self.init_header("", None);
        } else {
            let name = files.first().map_or("-", String::as_str);
            let stamp = match self.open_source(ctx, name).await? {
                Some(s) => s,
                None => return Ok(false),
            };
            total += 1;
            let header_name = if files.is_empty() { "" } else { name };
            self.init_header(header_name, stamp);
            for _ in 0..self.layout.columns {
                self.cols.push(Self::new_column(0));
            }
        }
        self.files_ready = total;
        Ok(true)
    }

    fn new_column(src: usize) -> Column {
        Column {
            src,
            status: Status::Open,
            stores: false,
            prints_stored: false,
            current_line: 0,
            lines_stored: 0,
            lines_to_print: 0,
            start_position: 0,
            numbered: false,
            full_page_printed: false,
        }
    }

    /// Opens `name` as a new source; `Ok(None)` when it could not be opened (reported).
    async fn open_source(
        &mut self,
        ctx: &mut CommandContext,
        name: &str,
    ) -> Result<Option<Option<Stamp>>, Stop> {
        match open(ctx, name).await {
            Ok(o) => {
                self.srcs.push(Source {
                    reader: o.reader,
                    pending: None,
                    done: false,
                });
                Ok(Some(o.stamp))
            }
            Err(OpenError::Soft(m)) => {
                self.failed_opens = true;
                if !self.layout.ignore_failed_opens {
                    self.flush(ctx).await?;
                    ctx.error(&m).await?;
                }
                Ok(None)
            }
            Err(OpenError::Hard(m)) => Err(Stop::Fatal(m)),
        }
    }

    fn init_header(&mut self, filename: &str, stamp: Option<Stamp>) {
        let t = match stamp {
            Some(s) if filename != "-" => s,
            _ => *self.now.get_or_insert_with(Stamp::now),
        };
        self.date_text = strftime(&self.layout.date_format, &tm_of(t));
        let from_file = stamp.is_some() && filename != "-";
        self.file_text = match &self.layout.custom_header {
            Some(h) => h.clone(),
            None if from_file => filename.to_string(),
            None => String::new(),
        };
        self.header_width_available =
            self.layout.chars_per_line - text_width(&self.date_text) - text_width(&self.file_text);
    }

    fn init_funcs(&mut self) {
        let l = &self.layout;
        let sep_len = l.col_sep.len() as i64;
        let mut h = l.margin;
        let mut h_next = if !l.truncate_lines {
            ANYWHERE
        } else if l.parallel && l.numbered {
            h + self.chars_per_column + self.number_width
        } else {
            h + self.chars_per_column
        };
        h += sep_len;
        let n = self.cols.len();
        for (i, p) in self.cols.iter_mut().enumerate() {
            let last = i + 1 == n;
            if last {
                let store = l.storing_columns && l.balance_columns;
                p.stores = store;
                p.prints_stored = store;
            } else {
                p.stores = l.storing_columns;
                p.prints_stored = l.storing_columns;
            }
            p.numbered = l.numbered && (!l.parallel || i == 0);
            p.start_position = h;
            if !last {
                if !l.truncate_lines {
                    h = ANYWHERE;
                    h_next = ANYWHERE;
                } else {
                    h = h_next + sep_len;
                    h_next = h + self.chars_per_column;
                }
            }
        }
    }

    fn cols_ready_to_print(&self) -> usize {
        self.cols
            .iter()
            .filter(|q| {
                q.status == Status::Open
                    || q.status == Status::FfFound
                    || (self.layout.storing_columns && q.lines_stored > 0 && q.lines_to_print > 0)
            })
            .count()
    }

    async fn getc(&mut self, p: usize) -> io::Result<i32> {
        let src = self.cols[p].src;
        match self.srcs.get_mut(src) {
            Some(s) => s.getc().await,
            None => Ok(EOF),
        }
    }

    fn ungetc(&mut self, p: usize, c: i32) {
        let src = self.cols[p].src;
        if let Some(s) = self.srcs.get_mut(src) {
            s.ungetc(c);
        }
    }

    fn close_file(&mut self, p: usize) {
        if self.cols[p].status == Status::Closed {
            return;
        }
        if !self.layout.parallel {
            for q in &mut self.cols {
                q.status = Status::Closed;
                if q.lines_stored == 0 {
                    q.lines_to_print = 0;
                }
            }
        } else {
            self.cols[p].status = Status::Closed;
            self.cols[p].lines_to_print = 0;
        }
        self.files_ready -= 1;
    }

    fn hold_file(&mut self, p: usize) {
        if !self.layout.parallel {
            let status = if self.layout.storing_columns {
                Status::FfFound
            } else {
                Status::OnHold
            };
            for q in &mut self.cols {
                q.status = status;
            }
        } else {
            self.cols[p].status = Status::OnHold;
        }
        self.cols[p].lines_to_print = 0;
        self.files_ready -= 1;
    }

    fn reset_status(&mut self) {
        for p in &mut self.cols {
            if p.status == Status::OnHold {
                p.status = Status::Open;
                self.files_ready += 1;
            }
        }
        if self.layout.storing_columns {
            self.files_ready = match self.cols.first() {
                Some(c) if c.status == Status::Closed => 0,
                _ => 1,
            };
        }
    }

    async fn init_page(&mut self) -> io::Result<()> {
        {
            if self.layout.storing_columns {
                self.store_columns().await?;
                let n = self.cols.len();
                for (i, p) in self.cols.iter_mut().enumerate() {
                    if i + 1 < n || self.layout.balance_columns {
                        p.lines_to_print = p.lines_stored;
                    } else if p.status == Status::Open {
                        p.lines_to_print = self.lines_per_body;
                    } else {
                        p.lines_to_print = 0;
                    }
                }
            } else {
                let body = self.lines_per_body;
                for p in &mut self.cols {
                    p.lines_to_print = if p.status == Status::Open { body } else { 0 };
                }
            }
        }
        Ok(())
    }

    fn align_column(&mut self, p: usize) {
        self.padding_not_printed = self.cols[p].start_position;
        let sep_len = self.layout.col_sep.len() as i64;
        if sep_len < self.padding_not_printed {
            self.pad_across_to(self.padding_not_printed - sep_len);
            self.padding_not_printed = ANYWHERE;
        }
        if self.layout.use_col_separator {
            self.print_sep_string();
        }
        if self.cols[p].numbered {
            self.add_line_number(p);
        }
    }

    /// Prints one page; false when there is nothing more to print.
    async fn print_page(&mut self) -> io::Result<bool> {
        self.init_page().await?;
        if self.cols_ready_to_print() == 0 {
            return Ok(false);
        }
        if self.layout.extremities {
            self.print_a_header = true;
        }
        self.pad_vertically = false;
        let mut pv = false;
        let mut lines_left = self.lines_per_body;
        if self.layout.double_space {
            lines_left *= 2;
        }
        let parallel = self.layout.parallel;
        while lines_left > 0 && self.cols_ready_to_print() > 0 {
            self.output_position = 0;
            self.spaces_not_printed = 0;
            self.separators_not_printed = 0;
            self.pad_vertically = false;
            self.align_empty_cols = false;
            self.empty_line = true;
            for j in 0..self.cols.len() {
                self.input_position = 0;
                let p = &self.cols[j];
                if p.lines_to_print > 0 || p.status == Status::FfFound {
                    self.ff_only = false;
                    self.padding_not_printed = p.start_position;
                    let complete = if self.cols[j].prints_stored {
                        self.print_stored(j)
                    } else {
                        self.read_line(j).await?
                    };
                    if !complete {
                        self.read_rest_of_line(j).await?;
                    }
                    pv |= self.pad_vertically;
                    self.cols[j].lines_to_print -= 1;
                    if self.cols[j].lines_to_print <= 0 && self.cols_ready_to_print() == 0 {
                        break;
                    }
                    let status = self.cols[j].status;
                    if parallel && status != Status::Open {
                        if self.empty_line {
                            self.align_empty_cols = true;
                        } else if status == Status::Closed
                            || (status == Status::OnHold && self.ff_only)
                        {
                            self.align_column(j);
                        }
                    }
                } else if parallel {
                    if self.empty_line {
                        self.align_empty_cols = true;
                    } else {
                        self.align_column(j);
                    }
                }
                if self.layout.use_col_separator {
                    self.separators_not_printed += 1;
                }
            }
            if self.pad_vertically {
                self.out.push(b'\n');
                lines_left -= 1;
            }
            if self.cols_ready_to_print() == 0 && !self.layout.extremities {
                break;
            }
            if self.layout.double_space && pv {
                self.out.push(b'\n');
                lines_left -= 1;
            }
        }
        if lines_left == 0 {
            for p in &mut self.cols {
                if p.status == Status::Open {
                    p.full_page_printed = true;
                }
            }
        }
        self.pad_vertically = pv;
        if self.pad_vertically && self.layout.extremities {
            self.pad_down(lines_left + LINES_PER_FOOTER);
        } else if self.layout.keep_ff && self.print_a_ff {
            self.out.push(0x0c);
            self.print_a_ff = false;
        }
        self.page_number = self.page_number.saturating_add(1);
        if self.layout.last_page < self.page_number {
            return Ok(false);
        }
        self.reset_status();
        Ok(true)
    }

    /// Columns down: reads the page's lines into the store and balances them.
    async fn store_columns(&mut self) -> io::Result<()> {
        self.buff.clear();
        self.line_vector.clear();
        self.end_vector.clear();
        let last_col = if self.layout.balance_columns {
            self.cols.len()
        } else {
            self.cols.len().saturating_sub(1)
        };
        for p in self.cols.iter_mut().take(last_col) {
            p.lines_stored = 0;
        }
        let mut line = 0usize;
        let mut buff_start = 0usize;
        let mut i = 0;
        while i < last_col && self.files_ready > 0 {
            self.cols[i].current_line = line;
            let mut j = self.lines_per_body;
            while j > 0 && self.files_ready > 0 {
                if self.cols[i].status == Status::Open {
                    self.input_position = 0;
                    if !self.read_line(i).await? {
                        self.read_rest_of_line(i).await?;
                    }
                    if self.cols[i].status == Status::Open || buff_start != self.buff.len() {
                        self.cols[i].lines_stored += 1;
                        self.line_vector.push(buff_start);
                        self.end_vector.push(self.input_position);
                        line += 1;
                        buff_start = self.buff.len();
                    }
                }
                j -= 1;
            }
            i += 1;
        }
        self.line_vector.push(buff_start);
        if self.layout.balance_columns {
            self.balance(line);
        }
        Ok(())
    }

    fn balance(&mut self, total: usize) {
        let n = self.cols.len();
        let mut first_line = 0;
        for (i, p) in self.cols.iter_mut().enumerate() {
            let mut lines = total / n;
            if i < total % n {
                lines += 1;
            }
            p.lines_stored = lines as i64;
            p.current_line = first_line;
            first_line += lines;
        }
    }

    fn put_char(&mut self, p: usize, c: u8) {
        if self.cols[p].stores {
            self.buff.push(c);
        } else {
            self.print_char(c);
        }
    }

    fn add_line_number(&mut self, p: usize) {
        let digits = self.layout.number_digits.max(0) as usize;
        let text = format!("{:>digits$}", self.line_number);
        self.line_number += 1;
        let bytes = text.as_bytes();
        let start = bytes.len().saturating_sub(digits);
        for &b in &bytes[start..] {
            self.put_char(p, b);
        }
        let sep = self.layout.number_separator;
        if self.layout.columns > 1 {
            if sep == b'\t' {
                for _ in 0..(self.number_width - self.layout.number_digits) {
                    self.put_char(p, b' ');
                }
            } else {
                self.put_char(p, sep);
            }
        } else {
            self.put_char(p, sep);
            if sep == b'\t' {
                let w = self.layout.output_tab_width;
                self.output_position += tab_width(w, self.output_position);
            }
        }
        if self.layout.truncate_lines && !self.layout.parallel {
            self.input_position += self.number_width;
        }
    }

    fn pad_across_to(&mut self, position: i64) {
        if self.layout.tabify_output {
            self.spaces_not_printed = position - self.output_position;
        } else {
            let mut h = self.output_position;
            while {
                h += 1;
                h <= position
            } {
                self.out.push(b' ');
            }
            self.output_position = position;
        }
    }

    fn pad_down(&mut self, lines: i64) {
        if self.layout.form_feed {
            self.out.push(0x0c);
        } else {
            self.pending_newlines += lines.max(0);
        }
    }

    async fn read_rest_of_line(&mut self, p: usize) -> io::Result<()> {
        loop {
            let c = self.getc(p).await?;
            if c == NL {
                return Ok(());
            }
            if c == FF {
                let next = self.getc(p).await?;
                if next != NL {
                    self.ungetc(p, next);
                }
                if self.layout.keep_ff {
                    self.print_a_ff = true;
                }
                self.hold_file(p);
                return Ok(());
            }
            if c == EOF {
                self.close_file(p);
                return Ok(());
            }
        }
    }

    /// Reads a line of a page being skipped (`+FIRST`), counting it for `-n`.
    async fn skip_read(&mut self, p: usize, column_number: usize) -> io::Result<()> {
        let mut c = self.getc(p).await?;
        if c == FF && self.cols[p].full_page_printed {
            c = self.getc(p).await?;
            if c == NL {
                c = self.getc(p).await?;
            }
        }
        self.cols[p].full_page_printed = false;
        let single_ff = c == FF;
        if self.last_line {
            self.cols[p].full_page_printed = true;
        }
        while c != NL {
            if c == FF {
                if self.last_line {
                    if !self.layout.parallel {
                        for q in &mut self.cols {
                            q.full_page_printed = false;
                        }
                    } else {
                        self.cols[p].full_page_printed = false;
                    }
                }
                let next = self.getc(p).await?;
                if next != NL {
                    self.ungetc(p, next);
                }
                self.hold_file(p);
                break;
            } else if c == EOF {
                self.close_file(p);
                break;
            }
            c = self.getc(p).await?;
        }
        if self.layout.skip_count && (!self.layout.parallel || column_number == 1) && !single_ff {
            self.line_count += 1;
        }
        Ok(())
    }

    fn print_white_space(&mut self) {
        let mut h_old = self.output_position;
        let goal = h_old + self.spaces_not_printed;
        let w = self.layout.output_tab_width;
        while goal - h_old > 1 {
            let h_new = h_old + tab_width(w, h_old);
            if h_new > goal {
                break;
            }
            self.out.push(self.layout.output_tab_char);
            h_old = h_new;
        }
        while {
            h_old += 1;
            h_old <= goal
        } {
            self.out.push(b' ');
        }
        self.output_position = goal;
        self.spaces_not_printed = 0;
    }

    fn print_sep_string(&mut self) {
        if self.separators_not_printed <= 0 {
            if self.spaces_not_printed > 0 {
                self.print_white_space();
            }
            return;
        }
        let sep = self.layout.col_sep.clone();
        // GNU counts the separator's length down once across all pending separators.
        let mut remaining = sep.len();
        let mut idx = 0;
        while self.separators_not_printed > 0 {
            while remaining > 0 {
                remaining -= 1;
                let c = sep[idx];
                idx += 1;
                if c == b' ' {
                    self.spaces_not_printed += 1;
                } else {
                    if self.spaces_not_printed > 0 {
                        self.print_white_space();
                    }
                    self.out.push(c);
                    self.output_position += 1;
                }
            }
            if self.spaces_not_printed > 0 {
                self.print_white_space();
            }
            self.separators_not_printed -= 1;
        }
    }

    fn print_char(&mut self, c: u8) {
        if self.layout.tabify_output {
            if c == b' ' {
                self.spaces_not_printed += 1;
                return;
            } else if self.spaces_not_printed > 0 {
                self.print_white_space();
            }
            if !is_print(c) {
                if c == 0x08 {
                    self.output_position -= 1;
                }
            } else {
                self.output_position += 1;
            }
        }
        self.out.push(c);
    }

    async fn skip_to_page(&mut self, ctx: &mut CommandContext, page: u64) -> Result<bool, Stop> {
        let mut n = 1u64;
        while n < page {
            for _ in 1..self.lines_per_body {
                // Nothing left to read on this page: the remaining rounds would do nothing.
                if self.cols.iter().all(|c| c.status != Status::Open) {
                    break;
                }
                for j in 0..self.cols.len() {
                    if self.cols[j].status == Status::Open {
                        self.skip_read(j, j + 1).await?;
                    }
                }
            }
            self.last_line = true;
            for j in 0..self.cols.len() {
                if self.cols[j].status == Status::Open {
                    self.skip_read(j, j + 1).await?;
                }
            }
            if self.layout.storing_columns {
                for p in &mut self.cols {
                    if p.status != Status::Closed {
                        p.status = Status::OnHold;
                    }
                }
            }
            self.reset_status();
            self.last_line = false;
            if self.files_ready < 1 {
                self.flush(ctx).await?;
                ctx.error(format!(
                    "starting page number {page} exceeds page count {n}"
                ))
                .await?;
                break;
            }
            n += 1;
        }
        Ok(self.files_ready > 0)
    }

    fn print_header(&mut self) {
        self.output_position = 0;
        let margin = self.layout.margin;
        self.pad_across_to(margin);
        self.print_white_space();
        let page_text = format!("Page {}", self.page_number);
        let available = (self.header_width_available - text_width(&page_text)).max(0);
        let lhs = available >> 1;
        let rhs = available - lhs;
        let pad = |n: i64| " ".repeat(n.max(1) as usize);
        let line = format!(
            "\n\n{}{}{}{}{}{}\n\n\n",
            " ".repeat(margin.max(0) as usize),
            self.date_text,
            pad(lhs),
            self.file_text,
            pad(rhs),
            page_text
        );
        self.out.extend_from_slice(line.as_bytes());
        self.print_a_header = false;
        self.output_position = 0;
    }

    /// Reads (and prints or stores) one line of column `p`; false when it was cut at the
    /// column width and the rest must be skipped.
    async fn read_line(&mut self, p: usize) -> io::Result<bool> {
        let mut c = self.getc(p).await?;
        let mut last_input_position = self.input_position;
        if c == FF && self.cols[p].full_page_printed {
            c = self.getc(p).await?;
            if c == NL {
                c = self.getc(p).await?;
            }
        }
        self.cols[p].full_page_printed = false;
        let mut clump: Vec<u8> = Vec::new();
        match c {
            FF => {
                let next = self.getc(p).await?;
                if next != NL {
                    self.ungetc(p, next);
                }
                self.ff_only = true;
                if self.print_a_header && !self.layout.storing_columns {
                    self.pad_vertically = true;
                    self.print_header();
                } else if self.layout.keep_ff {
                    self.print_a_ff = true;
                }
                self.hold_file(p);
                return Ok(true);
            }
            EOF => {
                self.close_file(p);
                return Ok(true);
            }
            NL => {}
            _ => clump = self.char_to_clump(c as u8),
        }
        if self.layout.truncate_lines && self.input_position > self.chars_per_column {
            self.input_position = last_input_position;
            return Ok(false);
        }
        if !self.cols[p].stores {
            self.pad_vertically = true;
            if self.print_a_header && !self.layout.storing_columns {
                self.print_header();
            }
            if self.layout.parallel && self.align_empty_cols {
                let k = self.separators_not_printed;
                self.separators_not_printed = 0;
                for q in 0..(k.max(0) as usize).min(self.cols.len()) {
                    self.align_column(q);
                    self.separators_not_printed += 1;
                }
                self.padding_not_printed = self.cols[p].start_position;
                self.spaces_not_printed = if self.layout.truncate_lines {
                    self.chars_per_column
                } else {
                    0
                };
                self.align_empty_cols = false;
            }
            let sep_len = self.layout.col_sep.len() as i64;
            if sep_len < self.padding_not_printed {
                self.pad_across_to(self.padding_not_printed - sep_len);
                self.padding_not_printed = ANYWHERE;
            }
            if self.layout.use_col_separator {
                self.print_sep_string();
            }
        }
        if self.cols[p].numbered {
            self.add_line_number(p);
        }
        self.empty_line = false;
        if c == NL {
            return Ok(true);
        }
        for b in clump {
            self.put_char(p, b);
        }
        loop {
            let c = self.getc(p).await?;
            match c {
                NL => return Ok(true),
                FF => {
                    let next = self.getc(p).await?;
                    if next != NL {
                        self.ungetc(p, next);
                    }
                    if self.layout.keep_ff {
                        self.print_a_ff = true;
                    }
                    self.hold_file(p);
                    return Ok(true);
                }
                EOF => {
                    self.close_file(p);
                    return Ok(true);
                }
                _ => {}
            }
            last_input_position = self.input_position;
            let clump = self.char_to_clump(c as u8);
            if self.layout.truncate_lines && self.input_position > self.chars_per_column {
                self.input_position = last_input_position;
                return Ok(false);
            }
            for b in clump {
                self.put_char(p, b);
            }
        }
    }

    /// Prints a stored line (columns down).
    fn print_stored(&mut self, p: usize) -> bool {
        let line = self.cols[p].current_line;
        self.cols[p].current_line += 1;
        self.pad_vertically = true;
        if self.print_a_header {
            self.print_header();
        }
        if self.cols[p].status == Status::FfFound {
            for q in &mut self.cols {
                q.status = Status::OnHold;
            }
            if self.cols.first().is_some_and(|c| c.lines_to_print <= 0) {
                if !self.layout.extremities {
                    self.pad_vertically = false;
                }
                return true;
            }
        }
        let sep_len = self.layout.col_sep.len() as i64;
        if sep_len < self.padding_not_printed {
            self.pad_across_to(self.padding_not_printed - sep_len);
            self.padding_not_printed = ANYWHERE;
        }
        if self.layout.use_col_separator {
            self.print_sep_string();
        }
        let start = self
            .line_vector
            .get(line)
            .copied()
            .unwrap_or(self.buff.len());
        let end = self
            .line_vector
            .get(line + 1)
            .copied()
            .unwrap_or(self.buff.len())
            .max(start);
        let text: Vec<u8> = self
            .buff
            .get(start..end)
            .map(<[u8]>::to_vec)
            .unwrap_or_default();
        for c in text {
            self.print_char(c);
        }
        if self.spaces_not_printed == 0 {
            let end_pos = self.end_vector.get(line).copied().unwrap_or(0);
            self.output_position = self.cols[p].start_position + end_pos;
            if self.cols[p].start_position - sep_len == self.layout.margin {
                self.output_position -= sep_len;
            }
        }
        true
    }

    /// The bytes a character prints as, advancing the input position by its width.
    fn char_to_clump(&mut self, c: u8) -> Vec<u8> {
        let l = &self.layout;
        let mut out = Vec::new();
        let width: i64;
        let per_tab = if c == l.input_tab_char {
            l.input_tab_width
        } else {
            8
        };
        if c == l.input_tab_char || c == b'\t' {
            width = tab_width(per_tab, self.input_position);
            if l.untabify_input {
                out.resize(width.max(0) as usize, b' ');
            } else {
                out.push(c);
            }
        } else if !is_print(c) {
            if l.esc_sequence {
                width = 4;
                out.extend_from_slice(format!("\\{c:03o}").as_bytes());
            } else if l.cntrl_prefix {
                if c < 0o200 {
                    width = 2;
                    out.push(b'^');
                    out.push(c ^ 0o100);
                } else {
                    width = 4;
                    out.extend_from_slice(format!("\\{c:03o}").as_bytes());
                }
            } else if c == 0x08 {
                width = -1;
                out.push(c);
            } else {
                width = 0;
                out.push(c);
            }
        } else {
            width = 1;
            out.push(c);
        }
        if width < 0 && self.input_position == 0 {
            out.clear();
            self.input_position = 0;
        } else if width < 0 && self.input_position <= -width {
            self.input_position = 0;
        } else {
            self.input_position += width;
        }
        out
    }
}
