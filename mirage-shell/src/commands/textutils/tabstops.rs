//! Tab stop lists for `expand`/`unexpand` (`-t N`, `-t A,B,C`, and the `/N` and `+N` forms
//! for the last entry), with GNU's validation messages.

use crate::commands::quoting::lquote;

#[derive(Debug, Clone, Default)]
pub struct TabStops {
    stops: Vec<u64>,
    /// Repeat every N columns after the explicit stops (`/N`, or a single `-t N`).
    every: u64,
    /// `+N`: repeat every N columns relative to the last explicit stop.
    increment: u64,
}

impl TabStops {
    /// Parses one `-t` argument into `self` (several `-t` accumulate); `Err` is the message.
    pub fn add(&mut self, spec: &str) -> Result<(), String> {
        let mut num: Option<u64> = None;
        let mut kind = b' ';
        let b = spec.as_bytes();
        let mut i = 0;
        loop {
            let c = b.get(i).copied();
            match c {
                Some(d) if d.is_ascii_digit() => {
                    let v = num
                        .unwrap_or(0)
                        .saturating_mul(10)
                        .saturating_add((d - b'0') as u64);
                    num = Some(v);
                }
                Some(b'/') | Some(b'+') if num.is_none() => {
                    kind = c.unwrap_or(b' ');
                }
                Some(b',') | Some(b' ') | Some(b'\t') | None => {
                    if let Some(n) = num.take() {
                        self.push(n, kind)?;
                    }
                    kind = b' ';
                    if c.is_none() {
                        break;
                    }
                }
                Some(_) => {
                    return Err(format!(
                        "tab size contains invalid character(s): {}",
                        lquote(&spec[i..])
                    ));
                }
            }
            i += 1;
        }
        Ok(())
    }

    fn push(&mut self, n: u64, kind: u8) -> Result<(), String> {
        match kind {
            b'/' => self.every = n,
            b'+' => self.increment = n,
            _ => {
                if n == 0 {
                    return Err("tab size cannot be 0".into());
                }
                if self.stops.last().is_some_and(|&l| n <= l) {
                    return Err("tab sizes must be ascending".into());
                }
                self.stops.push(n);
            }
        }
        Ok(())
    }

    /// Finishes parsing: a single stop means "every N"; none means every 8.
    pub fn finish(mut self) -> Self {
        if self.stops.is_empty() && self.every == 0 && self.increment == 0 {
            self.every = 8;
        } else if self.stops.len() == 1 && self.every == 0 && self.increment == 0 {
            self.every = self.stops[0];
            self.stops.clear();
        }
        self
    }

    /// The next tab stop after `column`, or `None` past the last stop (then tabs become one
    /// space).
    pub fn next(&self, column: u64) -> Option<u64> {
        if let Some(&s) = self.stops.iter().find(|&&s| s > column) {
            return Some(s);
        }
        let last = self.stops.last().copied().unwrap_or(0);
        if let Some(q) = column.checked_div(self.every) {
            return Some((q + 1) * self.every);
        }
        let q = (column - last).checked_div(self.increment)?;
        Some(last + (q + 1) * self.increment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops() {
        let mut t = TabStops::default();
        t.add("2,/4").unwrap_or_default();
        let t = t.finish();
        assert_eq!(
            (t.next(0), t.next(2), t.next(4)),
            (Some(2), Some(4), Some(8))
        );
    }
}
