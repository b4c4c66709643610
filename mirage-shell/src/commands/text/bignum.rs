//! A small unsigned big integer, just enough for exact decimal <-> binary conversion of
//! 80-bit long doubles (`printf %f` of `1e4932` prints every digit, as glibc does).

/// Little-endian base-2^32 limbs, without high zero limbs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Big(Vec<u32>);

impl Big {
    pub fn from_u128(mut v: u128) -> Big {
        let mut limbs = Vec::new();
        while v != 0 {
            limbs.push(v as u32);
            v >>= 32;
        }
        Big(limbs)
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    /// `self = self * m + add`.
    pub fn mul_add_small(&mut self, m: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    /// Divides in place by `d`, returning the remainder.
    pub fn div_small(&mut self, d: u32) -> u32 {
        let mut rem: u64 = 0;
        for limb in self.0.iter_mut().rev() {
            let cur = (rem << 32) | u64::from(*limb);
            *limb = (cur / u64::from(d)) as u32;
            rem = cur % u64::from(d);
        }
        self.trim();
        rem as u32
    }

    /// Multiplies by 10^n.
    pub fn mul_pow10(&mut self, mut n: u32) {
        while n >= 9 {
            self.mul_add_small(1_000_000_000, 0);
            n -= 9;
        }
        if n > 0 {
            self.mul_add_small(10u32.pow(n), 0);
        }
    }

    /// Multiplies by 5^n.
    pub fn mul_pow5(&mut self, mut n: u32) {
        while n >= 13 {
            self.mul_add_small(1_220_703_125, 0);
            n -= 13;
        }
        if n > 0 {
            self.mul_add_small(5u32.pow(n), 0);
        }
    }

    /// Divides by 10^n (floor); returns whether anything nonzero was dropped.
    pub fn div_pow10(&mut self, mut n: u32) -> bool {
        let mut inexact = false;
        while n >= 9 {
            inexact |= self.div_small(1_000_000_000) != 0;
            n -= 9;
        }
        if n > 0 {
            inexact |= self.div_small(10u32.pow(n)) != 0;
        }
        inexact
    }

    pub fn shl(&mut self, bits: usize) {
        if self.is_zero() {
            return;
        }
        let (words, bits) = (bits / 32, bits % 32);
        if bits > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let v = (*limb << bits) | carry;
                carry = *limb >> (32 - bits);
                *limb = v;
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        if words > 0 {
            self.0.splice(0..0, std::iter::repeat_n(0, words));
        }
    }

    pub fn bit_len(&self) -> usize {
        match self.0.last() {
            None => 0,
            Some(top) => self.0.len() * 32 - top.leading_zeros() as usize,
        }
    }

    fn bit(&self, i: usize) -> bool {
        self.0.get(i / 32).is_some_and(|l| (l >> (i % 32)) & 1 == 1)
    }

    /// The top `n` (<= 128) bits as an integer, and whether any lower bit is set.
    pub fn top_bits(&self, n: usize) -> (u128, bool) {
        let len = self.bit_len();
        if len <= n {
            let mut v: u128 = 0;
            for (i, limb) in self.0.iter().enumerate() {
                v |= u128::from(*limb) << (32 * i);
            }
            return (v, false);
        }
        let low = len - n;
        let mut v: u128 = 0;
        for i in (low..len).rev() {
            v = (v << 1) | u128::from(self.bit(i));
        }
        let full_words = low / 32;
        let sticky = self.0[..full_words].iter().any(|&l| l != 0)
            || (!low.is_multiple_of(32) && self.0[full_words] & ((1u32 << (low % 32)) - 1) != 0);
        (v, sticky)
    }

    /// Decimal digits (`"0"` for zero).
    pub fn to_decimal(&self) -> String {
        if self.is_zero() {
            return "0".into();
        }
        let mut n = self.clone();
        let mut chunks = Vec::new();
        while !n.is_zero() {
            chunks.push(n.div_small(1_000_000_000));
        }
        let mut s = String::with_capacity(chunks.len() * 9);
        if let Some(top) = chunks.pop() {
            s.push_str(&top.to_string());
        }
        while let Some(c) = chunks.pop() {
            s.push_str(&format!("{c:09}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic() {
        let mut b = Big::from_u128(1);
        b.mul_pow10(30);
        assert_eq!(b.to_decimal(), format!("1{}", "0".repeat(30)));
        assert!(!b.div_pow10(28));
        assert_eq!(b.to_decimal(), "100");
        assert!(!b.div_pow10(1) && b.to_decimal() == "10");
        let mut c = Big::from_u128(3);
        c.shl(100);
        assert_eq!(c.bit_len(), 102);
        assert_eq!(c.top_bits(2), (3, false));
        c.mul_add_small(1, 1);
        assert_eq!(c.top_bits(2), (3, true));
        let mut f = Big::from_u128(1);
        f.mul_pow5(3);
        assert_eq!(f.to_decimal(), "125");
    }
}
