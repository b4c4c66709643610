//! bc's numbers: arbitrary-precision decimals with an explicit scale (digits after the point),
//! and bc's rules for the scale of each operation's result. Results are truncated, never
//! rounded, as in bc.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

#[derive(Clone, Debug)]
pub struct Num {
    /// The value times 10^scale.
    pub digits: BigInt,
    pub scale: u32,
}

fn pow10(n: u32) -> BigInt {
    num_traits::pow(BigInt::from(10), n as usize)
}

impl Num {
    pub fn zero() -> Num {
        Num {
            digits: BigInt::zero(),
            scale: 0,
        }
    }

    pub fn from_i64(v: i64) -> Num {
        Num {
            digits: BigInt::from(v),
            scale: 0,
        }
    }

    /// Parses a decimal literal such as `12`, `.5` or `3.140`.
    pub fn parse(text: &str) -> Option<Num> {
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let all: String = format!("{int}{frac}");
        let digits = if all.is_empty() {
            BigInt::zero()
        } else {
            all.parse::<BigInt>().ok()?
        };
        Some(Num {
            digits,
            scale: frac.len() as u32,
        })
    }

    /// Parses a literal in `base` (digits `0-9A-F`; a single digit is its own value, as in bc).
    pub fn parse_base(text: &str, base: u32) -> Option<Num> {
        if base == 10 && !text.bytes().any(|b| b.is_ascii_uppercase()) {
            return Num::parse(text);
        }
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let val = |c: char| c.to_digit(16);
        let ib = BigInt::from(base);
        let mut n = BigInt::zero();
        if int.len() == 1 && frac.is_empty() {
            n = BigInt::from(val(int.chars().next()?)?);
        } else {
            for c in int.chars() {
                n = n * &ib + BigInt::from(val(c)?);
            }
        }
        let mut out = Num {
            digits: n,
            scale: 0,
        };
        if !frac.is_empty() {
            let scale = frac.len() as u32;
            // Σ d·base^-k, truncated to as many decimal places as there are digits.
            let mut num = BigInt::zero();
            let mut den = BigInt::from(1);
            for c in frac.chars() {
                num = num * &ib + BigInt::from(val(c)?);
                den *= &ib;
            }
            let f = num * pow10(scale) / den;
            out = out.rescale(scale).add(&Num { digits: f, scale });
        }
        Some(out)
    }

    /// bc's printed form in an output base other than ten.
    pub fn render_base(&self, base: u32) -> String {
        if base == 10 {
            return self.render();
        }
        if self.is_zero() {
            return "0".to_string();
        }
        let neg = self.digits.is_negative();
        let abs = Num {
            digits: self.digits.abs(),
            scale: self.scale,
        };
        let int = abs.rescale(0).digits;
        let b = BigInt::from(base);
        let width = (base - 1).to_string().len();
        let digit = |d: u32| -> String {
            if base <= 16 {
                char::from_digit(d, 16)
                    .map(|c| c.to_ascii_uppercase().to_string())
                    .unwrap_or_default()
            } else {
                format!(" {d:0width$}")
            }
        };
        let mut ds = Vec::new();
        let mut n = int.clone();
        while !n.is_zero() {
            ds.push((&n % &b).to_u32().unwrap_or(0));
            n /= &b;
        }
        let mut text = String::new();
        if neg {
            text.push('-');
        }
        for d in ds.iter().rev() {
            text.push_str(&digit(*d));
        }
        if self.scale > 0 {
            text.push('.');
            let scale = self.scale;
            let mut frac = abs.sub(&Num {
                digits: int,
                scale: 0,
            });
            let mut t = BigInt::from(1);
            while t.to_string().len() <= scale as usize {
                frac = frac.mul(
                    &Num {
                        digits: b.clone(),
                        scale: 0,
                    },
                    scale,
                );
                let d = frac.rescale(0).digits;
                frac = frac.sub(&Num {
                    digits: d.clone(),
                    scale: 0,
                });
                let piece = digit(d.to_u32().unwrap_or(0));
                let first = text.ends_with('.');
                text.push_str(if first { piece.trim_start() } else { &piece });
                t *= &b;
            }
        }
        wrap(&text)
    }

    /// The same value with exactly `scale` fraction digits (truncating).
    pub fn rescale(&self, scale: u32) -> Num {
        let digits = if scale >= self.scale {
            &self.digits * pow10(scale - self.scale)
        } else {
            &self.digits / pow10(self.scale - scale)
        };
        Num { digits, scale }
    }

    pub fn is_zero(&self) -> bool {
        self.digits.is_zero()
    }

    pub fn cmp(&self, other: &Num) -> std::cmp::Ordering {
        let s = self.scale.max(other.scale);
        self.rescale(s).digits.cmp(&other.rescale(s).digits)
    }

    pub fn add(&self, o: &Num) -> Num {
        let s = self.scale.max(o.scale);
        Num {
            digits: self.rescale(s).digits + o.rescale(s).digits,
            scale: s,
        }
    }

    pub fn sub(&self, o: &Num) -> Num {
        let s = self.scale.max(o.scale);
        Num {
            digits: self.rescale(s).digits - o.rescale(s).digits,
            scale: s,
        }
    }

    pub fn neg(&self) -> Num {
        Num {
            digits: -self.digits.clone(),
            scale: self.scale,
        }
    }

    pub fn mul(&self, o: &Num, scale: u32) -> Num {
        let full = Num {
            digits: &self.digits * &o.digits,
            scale: self.scale + o.scale,
        };
        full.rescale((self.scale + o.scale).min(scale.max(self.scale).max(o.scale)))
    }

    /// `None` on division by zero.
    pub fn div(&self, o: &Num, scale: u32) -> Option<Num> {
        if o.is_zero() {
            return None;
        }
        // a/b at `scale`: (a * 10^(scale + sb - sa)) / b, with exponents kept non-negative.
        let num = &self.digits * pow10(scale + o.scale);
        let den = &o.digits * pow10(self.scale);
        Some(Num {
            digits: num / den,
            scale,
        })
    }

    pub fn rem(&self, o: &Num, scale: u32) -> Option<Num> {
        let q = self.div(o, scale)?;
        let prod = q.mul(o, scale + o.scale);
        let r = self.sub(&prod);
        Some(r.rescale((scale + o.scale).max(self.scale)))
    }

    /// Integer powers; `None` when the exponent is too large to be sensible.
    pub fn pow(&self, e: &Num, scale: u32) -> Option<Num> {
        let exp = e.rescale(0).digits.to_i64()?;
        if exp.unsigned_abs() > 100_000 {
            return None;
        }
        let mut result = Num::from_i64(1);
        for _ in 0..exp.unsigned_abs() {
            result = Num {
                digits: &result.digits * &self.digits,
                scale: result.scale + self.scale,
            };
        }
        if exp < 0 {
            return Num::from_i64(1).div(&result, scale);
        }
        let keep = (self.scale.saturating_mul(exp as u32)).min(scale.max(self.scale));
        Some(result.rescale(keep))
    }

    /// Square root truncated at max(scale, own scale); `None` for negatives.
    pub fn sqrt(&self, scale: u32) -> Option<Num> {
        if self.digits.is_negative() {
            return None;
        }
        let s = scale.max(self.scale);
        let n = self.rescale(2 * s).digits;
        Some(Num {
            digits: n.sqrt(),
            scale: s,
        })
    }

    pub fn is_integer_exponent(&self) -> bool {
        self.rescale(0).rescale(self.scale).digits == self.digits
    }

    /// bc's printed form: no leading `0` before the point, lines wrapped at 70 characters with
    /// a trailing backslash.
    pub fn render(&self) -> String {
        let neg = self.digits.is_negative();
        let abs = self.digits.abs().to_string();
        let s = self.scale as usize;
        let body = if s == 0 {
            abs
        } else {
            let padded = if abs.len() <= s {
                format!("{}{abs}", "0".repeat(s - abs.len() + 1))
            } else {
                abs
            };
            let (i, f) = padded.split_at(padded.len() - s);
            let i = if i == "0" { "" } else { i };
            format!("{i}.{f}")
        };
        if self.is_zero() {
            return "0".to_string();
        }
        let text = if neg { format!("-{body}") } else { body };
        wrap(&text)
    }
}

fn wrap(text: &str) -> String {
    const WIDTH: usize = 68;
    if text.len() <= WIDTH + 1 {
        return text.to_string();
    }
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, chunk) in chars.chunks(WIDTH).enumerate() {
        if i > 0 {
            out.push_str("\\\n");
        }
        out.extend(chunk);
    }
    out
}
