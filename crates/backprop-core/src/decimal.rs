//! Decimal text to the nearest `f32`, bit for bit what `str::parse::<f32>` gives for the
//! characters settings and JSON numbers use (digits, sign, point, exponent), with exact integer
//! arithmetic. It spares the wasm the standard parser's 10 KB table of powers of five.
//! `#[inline]`: as in `settings`.

/// Longest text read: room for every f32 as `{}` writes it (the smallest, 1e-45, takes 47
/// characters), which is how settings are written into links.
const MAX_NUMBER_LENGTH: usize = 64;

/// Most digits read from the first non-zero one to the last: the arithmetic below is sized for
/// a mantissa under 10^24. An f32 needs at most 9 to be written exactly.
const MAX_SIGNIFICANT_DIGITS: usize = 24;

/// `[+-]digits[.digits][(e|E)[+-]digits]`, at least one mantissa digit, rounded to the nearest
/// `f32` (ties to even; beyond the largest finite value, infinity). None for anything else, for
/// text longer than [`MAX_NUMBER_LENGTH`] or with more than [`MAX_SIGNIFICANT_DIGITS`].
#[inline]
pub fn parse_f32(text: &str) -> Option<f32> {
    if text.len() > MAX_NUMBER_LENGTH {
        return None;
    }
    let (negative, text) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = parse_decimal(text)?;
    let magnitude = through_f64(mantissa, exponent)
        .unwrap_or_else(|| f32::from_bits(nearest_bits(mantissa, exponent)));
    Some(if negative { -magnitude } else { magnitude })
}

/// The common case in one quick pass: a number already checked against the JSON grammar, with
/// no exponent and fewer than 19 characters, as f32s are written from 0.0001 to a billion.
/// None when it is not that case (or the fast path cannot round it); `parse_f32` reads it then.
#[inline]
pub fn parse_short(text: &str) -> Option<f32> {
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.first()? {
        b'-' => (true, &bytes[1..]),
        _ => (false, bytes),
    };
    if digits.len() > 18 {
        return None;
    }
    let (mut mantissa, mut point) = (0u64, None);
    for (at, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => mantissa = mantissa * 10 + u64::from(b - b'0'),
            b'.' => point = Some(digits.len() - at - 1),
            _ => return None,
        }
    }
    let magnitude = through_f64(mantissa.into(), -(point.unwrap_or(0) as i32))?;
    Some(if negative { -magnitude } else { magnitude })
}

/// The mantissa digits as an integer and the power of ten that scales them.
#[inline]
fn parse_decimal(text: &str) -> Option<(u128, i32)> {
    let (number, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], parse_exponent(&text[at + 1..])?),
        None => (text, 0),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.len() + fraction.len() == 0 {
        return None;
    }
    // Leading zeros add nothing; trailing ones only move the decimal exponent.
    let (mut mantissa, mut significant, mut zeros) = (0u128, 0, 0);
    for b in whole.bytes().chain(fraction.bytes()) {
        match b {
            b'0' => zeros += 1,
            b'1'..=b'9' => {
                let gap = if significant > 0 { zeros } else { 0 };
                significant += gap + 1;
                if significant > MAX_SIGNIFICANT_DIGITS {
                    return None;
                }
                mantissa = mantissa * 10u128.pow(gap as u32 + 1) + u128::from(b - b'0');
                zeros = 0;
            }
            _ => return None,
        }
    }
    let trailing_zeros = if significant > 0 { zeros as i32 } else { 0 };
    Some((mantissa, exponent - fraction.len() as i32 + trailing_zeros))
}

/// Clinger's fast path, which reads the digits of an f32 as written (up to 9) a hundred times
/// faster than `nearest_bits`: a mantissa under 2^53 times or over a power of ten up to 10^22 is
/// one correctly rounded f64 operation. Rounding that f64 to f32 rounds a second time, which
/// can only differ from rounding once when the f64 lies exactly halfway between two f32s (the
/// midpoints are f64s, and rounding never crosses one); those, and f32 subnormals, where more
/// bits are dropped, are left to the exact path.
#[inline]
fn through_f64(mantissa: u128, exponent: i32) -> Option<f32> {
    if mantissa > 1 << 53 || !(-22..=22).contains(&exponent) {
        return None;
    }
    let power = (0..exponent.unsigned_abs()).fold(1.0f64, |p, _| p * 10.0);
    let value = if exponent < 0 {
        mantissa as f64 / power
    } else {
        mantissa as f64 * power
    };
    let halfway = value.to_bits() & ((1 << 29) - 1) == 1 << 28;
    if value != 0.0 && (value < f64::from(f32::MIN_POSITIVE) || halfway) {
        return None;
    }
    Some(value as f32)
}

/// An exponent's digits with an optional sign, saturated far beyond any f32's range.
#[inline]
fn parse_exponent(text: &str) -> Option<i32> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = digits
        .bytes()
        .fold(0i32, |e, b| (e * 10 + i32::from(b - b'0')).min(100_000));
    Some(if negative { -value } else { value })
}

/// The bits of the f32 nearest to `mantissa × 10^exponent` (non-negative).
#[inline]
fn nearest_bits(mantissa: u128, exponent: i32) -> u32 {
    const INFINITY: u32 = 0x7f80_0000;
    // With at most 24 digits (under 10^24), a value scaled by 10^-71 or less is under 10^-47
    // and rounds to zero; one scaled by 10^39 or more is past the largest f32 (3.4 × 10^38).
    if mantissa == 0 || exponent <= -71 {
        return 0;
    }
    if exponent >= 39 {
        return INFINITY;
    }
    // value = numerator / denominator exactly.
    let mut numerator = Big::from(mantissa);
    let mut denominator = Big::from(1);
    for _ in 0..exponent.unsigned_abs() {
        if exponent > 0 {
            numerator.mul10();
        } else {
            denominator.mul10();
        }
    }
    // Find the binary exponent e2 putting value / 2^e2 in [2^23, 2^24), or -149 (subnormals).
    let mut e2 = (numerator.bits() as i32 - denominator.bits() as i32 - 24).max(-149);
    let (quotient, remainder, scaled_denominator) = loop {
        let (q, r, d) = divide_scaled(&numerator, &denominator, e2);
        if q >= 1 << 24 {
            e2 += 1;
        } else if q < 1 << 23 && e2 > -149 {
            e2 -= 1;
        } else {
            break (q, r, d);
        }
    };
    // Round half to even; a carry into bit 24 moves into the exponent field by itself, and
    // anything past the largest exponent becomes infinity.
    let twice = remainder.shl(1);
    let round_up = match twice.cmp(&scaled_denominator) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => quotient & 1 == 1,
        std::cmp::Ordering::Less => false,
    };
    let bits = (((e2 + 149) as u32) << 23) + quotient + u32::from(round_up);
    bits.min(INFINITY)
}

/// floor(n / (d × 2^e2)) (< 2^25 for the e2 tried), the remainder, and the divisor used.
#[inline]
fn divide_scaled(n: &Big, d: &Big, e2: i32) -> (u32, Big, Big) {
    let (mut rest, divisor) = if e2 >= 0 {
        (*n, d.shl(e2 as u32))
    } else {
        (n.shl(e2.unsigned_abs()), *d)
    };
    let mut quotient = 0;
    for bit in (0..=25).rev() {
        let part = divisor.shl(bit);
        if rest >= part {
            rest = rest.sub(&part);
            quotient |= 1 << bit;
        }
    }
    (quotient, rest, divisor)
}

/// An unsigned integer of up to 384 bits, enough for 24 digits scaled by 2^149 and a divisor
/// of 10^70 × 2^25.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Big([u64; 6]);

impl From<u128> for Big {
    #[inline]
    fn from(v: u128) -> Big {
        Big([v as u64, (v >> 64) as u64, 0, 0, 0, 0])
    }
}

impl Big {
    #[inline]
    fn bits(&self) -> u32 {
        (0..6)
            .rev()
            .find(|&i| self.0[i] != 0)
            .map_or(0, |i| 64 * i as u32 + 64 - self.0[i].leading_zeros())
    }

    #[inline]
    fn mul10(&mut self) {
        let mut carry = 0u128;
        for limb in &mut self.0 {
            let v = u128::from(*limb) * 10 + carry;
            *limb = v as u64;
            carry = v >> 64;
        }
    }

    #[inline]
    fn shl(&self, by: u32) -> Big {
        let (limbs, bits) = ((by / 64) as usize, by % 64);
        let mut out = [0u64; 6];
        for (i, limb) in out.iter_mut().enumerate().skip(limbs) {
            *limb = self.0[i - limbs] << bits;
            if bits > 0 && i > limbs {
                *limb |= self.0[i - limbs - 1] >> (64 - bits);
            }
        }
        Big(out)
    }

    #[inline]
    fn sub(&self, other: &Big) -> Big {
        let mut out = [0u64; 6];
        let mut borrow = false;
        for (i, limb) in out.iter_mut().enumerate() {
            let (v, b1) = self.0[i].overflowing_sub(other.0[i]);
            let (v, b2) = v.overflowing_sub(u64::from(borrow));
            *limb = v;
            borrow = b1 || b2;
        }
        Big(out)
    }
}

impl PartialOrd for Big {
    #[inline]
    fn partial_cmp(&self, other: &Big) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Big {
    #[inline]
    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        self.0.iter().rev().cmp(other.0.iter().rev())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_std(text: &str) {
        let expected = text.parse::<f32>().ok().map(f32::to_bits);
        assert_eq!(parse_f32(text).map(f32::to_bits), expected, "{text}");
    }

    #[test]
    fn reads_the_grammar_of_str_parse() {
        for text in [
            "0",
            "-0",
            "+1",
            "1.",
            ".5",
            "0.1",
            "1e5",
            "1E+5",
            "2.5e-3",
            "",
            ".",
            "+",
            "-",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            "1e5e5",
            "--1",
            "1-",
            "0.000000000000000000001",
            "00000000001",
            "1e99999999999999999999",
            "1e-9999999999999999999",
            "3.4028235e38",
            "3.4028236e38",
            "1.4e-45",
            "7.0e-46",
            "7.1e-46",
            "1.17549435e-38",
            "16777217",
            "0.1e1",
            "1e-39",
        ] {
            same_as_std(text);
        }
    }

    #[test]
    fn agrees_with_str_parse_on_random_text() {
        let alphabet = b"0123456789000111+-.eE";
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..100_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let length = (state % 25) as usize;
            let text: String = (0..length)
                .map(|i| alphabet[((state >> (i * 2)) as usize + i * 7) % alphabet.len()] as char)
                .collect();
            same_as_std(&text);
        }
    }

    /// Settings are written into links with `{}`: every f32 written so must read back exactly,
    /// from 1e-45 (47 characters) to 3.4e38 (39 digits, most of them trailing zeros).
    #[test]
    fn reads_back_every_f32_as_display_writes_it() {
        let mut state = 0x853c_49e6_748f_ea9bu64;
        let edges = [
            f32::MIN_POSITIVE,
            f32::MAX,
            f32::EPSILON,
            1e-45,
            8e-25,
            0.1,
            1.0,
            1e-38,
        ];
        let random = (0..200_000).map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            f32::from_bits((state as u32) & 0x7f7f_ffff)
        });
        for value in edges.into_iter().chain(random) {
            for value in [value, -value] {
                let text = format!("{value}");
                assert_eq!(
                    parse_f32(&text).map(f32::to_bits),
                    Some(value.to_bits()),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn short_numbers_read_in_one_pass_as_std_reads_them() {
        for text in ["0", "-0", "0.1", "-12.5", "0.000123456789", "12345678.9"] {
            let expected = text.parse::<f32>().unwrap().to_bits();
            assert_eq!(parse_short(text).unwrap().to_bits(), expected, "{text}");
        }
        // An exponent, too long, a tie in f64, beyond 2^53: left to `parse_f32`.
        for text in [
            "1e5",
            "1234567890123456789",
            "16777217",
            "123456789012345678",
        ] {
            assert_eq!(parse_short(text), None, "{text}");
        }
    }

    #[test]
    fn the_fast_path_leaves_exact_ties_to_the_exact_one() {
        // Halfway between two f32s in f64 arithmetic: ties go to the even neighbour.
        for text in ["16777217", "16777219", "1.6777217e7"] {
            same_as_std(text);
        }
        assert_eq!(through_f64(16_777_217, 0), None);
        assert_eq!(through_f64(25, -3), Some(0.025));
    }

    #[test]
    fn rounds_like_str_parse_next_to_every_kind_of_float() {
        // Halfway points between neighbouring f32s (and just off them) are the hard cases.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..100_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let low = f32::from_bits((state as u32) & 0x7f7f_ffff);
            let high = f32::from_bits(low.to_bits() + 1);
            let middle = (f64::from(low) + f64::from(high)) / 2.0;
            for value in [middle, f64::from(low), middle.next_up(), middle.next_down()] {
                for digits in [1, 6, 9, 17] {
                    let text = format!("{value:.digits$e}");
                    if text.len() <= MAX_NUMBER_LENGTH {
                        same_as_std(&text);
                    }
                }
            }
            same_as_std(&format!("{}", low));
        }
    }
}
