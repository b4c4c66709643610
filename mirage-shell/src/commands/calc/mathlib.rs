//! bc's `-l` library functions: `a l e` in fixed point with guard digits, truncated to
//! `scale` (what bc's library yields: its algorithms carry extra digits and truncate the same
//! way), and `s c` step by step as bc's library computes them, since their last digit depends
//! on bc's intermediate scales.

use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use super::number::Num;

fn pow10(n: u32) -> BigInt {
    num_traits::pow(BigInt::from(10), n as usize)
}

/// Fixed-point arithmetic with `p` fraction digits.
struct Fx {
    p: u32,
    one: BigInt,
}

impl Fx {
    fn new(p: u32) -> Fx {
        Fx { p, one: pow10(p) }
    }
    fn of(&self, x: &Num) -> BigInt {
        x.rescale(self.p).digits
    }
    fn mul(&self, a: &BigInt, b: &BigInt) -> BigInt {
        a * b / &self.one
    }
    fn div(&self, a: &BigInt, b: &BigInt) -> BigInt {
        a * &self.one / b
    }
    fn sqrt(&self, a: &BigInt) -> BigInt {
        (a * &self.one).sqrt()
    }
    fn num(&self, v: BigInt, scale: u32) -> Num {
        Num {
            digits: v,
            scale: self.p,
        }
        .rescale(scale)
    }

    fn exp(&self, x: &BigInt) -> BigInt {
        if x.is_negative() {
            let e = self.exp(&-x);
            return self.div(&self.one, &e);
        }
        let mut x = x.clone();
        let mut k = 0;
        while x > self.one {
            x /= 2;
            k += 1;
        }
        let mut sum = self.one.clone();
        let mut term = self.one.clone();
        let mut i = 1u32;
        loop {
            term = self.mul(&term, &x) / i;
            if term.is_zero() {
                break;
            }
            sum += &term;
            i += 1;
        }
        for _ in 0..k {
            sum = self.mul(&sum, &sum);
        }
        sum
    }

    /// ln(x) for x > 0.
    fn ln(&self, x: &BigInt) -> BigInt {
        let mut x = x.clone();
        let mut k = 0u32;
        let two = &self.one * 2;
        let half = &self.one / 2;
        while x >= two || x <= half {
            x = self.sqrt(&x);
            k += 1;
        }
        let u = self.div(&(&x - &self.one), &(&x + &self.one));
        let u2 = self.mul(&u, &u);
        let mut sum = BigInt::zero();
        let mut pw = u;
        let mut n = 1u32;
        loop {
            let t = &pw / n;
            if t.is_zero() {
                break;
            }
            sum += t;
            pw = self.mul(&pw, &u2);
            n += 2;
        }
        sum * 2 * (BigInt::from(1) << k)
    }

    fn atan(&self, x: &BigInt) -> BigInt {
        if x.is_negative() {
            return -self.atan(&-x);
        }
        let mut x = x.clone();
        let mut k = 0u32;
        let limit = &self.one / 5;
        while x > limit {
            let s = self.sqrt(&(&self.one + self.mul(&x, &x)));
            x = self.div(&x, &(&self.one + s));
            k += 1;
        }
        let x2 = self.mul(&x, &x);
        let mut sum = BigInt::zero();
        let mut pw = x;
        let mut n = 1u32;
        let mut neg = false;
        loop {
            let t = &pw / n;
            if t.is_zero() {
                break;
            }
            if neg {
                sum -= t;
            } else {
                sum += t;
            }
            neg = !neg;
            pw = self.mul(&pw, &x2);
            n += 2;
        }
        sum * (BigInt::from(1) << k)
    }
}

/// Calls library function `name` on `x` at `scale`; `None` if it is not one we compute.
pub fn call(name: &str, x: &Num, scale: u32) -> Option<Num> {
    let int_digits = x.rescale(0).digits.magnitude().to_string().len() as u32;
    match name {
        "e" => {
            let mag: u32 = x.rescale(0).digits.magnitude().to_string().parse().ok()?;
            if mag > 100_000 {
                return None;
            }
            let fx = Fx::new(scale + 30 + mag / 2 + 2 * int_digits);
            let v = fx.exp(&fx.of(x));
            Some(fx.num(v, scale))
        }
        "l" => {
            if !x.digits.is_positive() {
                // bc's library answers (1 - 10^scale) for x <= 0.
                let v = BigInt::from(1) - pow10(scale);
                return Some(
                    Num {
                        digits: v,
                        scale: 0,
                    }
                    .rescale(scale),
                );
            }
            let fx = Fx::new(scale + 30 + 2 * int_digits + x.scale);
            let v = fx.ln(&fx.of(x));
            Some(fx.num(v, scale))
        }
        "a" => {
            let fx = Fx::new(scale + 30 + int_digits);
            let v = fx.atan(&fx.of(x));
            Some(fx.num(v, scale))
        }
        "s" => sine(x, scale),
        "c" => {
            // c(x) = s(x + 2·a(1)) at 1.2 times the scale, as bc's library computes it.
            let z2 = scale * 6 / 5;
            let half_pi = call("a", &Num::from_i64(1), z2)?.mul(&Num::from_i64(2), z2);
            let v = sine(&x.add(&half_pi), z2)?;
            v.div(&Num::from_i64(1), scale)
        }
        _ => None,
    }
}

/// bc's library sine, step by step with bc's own scale rules (its last digit depends on them).
fn sine(x: &Num, z: u32) -> Option<Num> {
    let one = Num::from_i64(1);
    let s1 = z * 11 / 10 + 2;
    let v = call("a", &one, s1)?;
    let neg = x.digits.is_negative();
    let mut x = if neg { x.neg() } else { x.clone() };
    // scale = 0: n = (x / v + 2) / 4; x = x - 4*n*v; if (n % 2) x = -x
    let n = x
        .div(&v, 0)?
        .add(&Num::from_i64(2))
        .div(&Num::from_i64(4), 0)?;
    let four_n = Num::from_i64(4).mul(&n, 0);
    x = x.sub(&four_n.mul(&v, 0));
    if !n.rem(&Num::from_i64(2), 0)?.is_zero() {
        x = x.neg();
    }
    let sc = z + 2;
    let mut v = x.clone();
    let mut e = x.clone();
    let s = x.mul(&x, sc).neg();
    let mut i: i64 = 3;
    loop {
        let d = Num::from_i64(i.checked_mul(i - 1)?);
        e = e.mul(&s.div(&d, sc)?, sc);
        if e.is_zero() {
            let r = v.div(&one, z)?;
            return Some(if neg { r.neg() } else { r });
        }
        v = v.add(&e);
        i += 2;
        if i > 1_000_000 {
            return None;
        }
    }
}
