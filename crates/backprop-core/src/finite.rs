//! Checks for NaN and infinities that cost one vectorised pass: instead of stopping at the
//! first bad value (a loop the compiler cannot vectorise), take the largest exponent field, an
//! integer maximum, and look for the position only when something is wrong.

/// The exponent bits of an f32: all set for infinities and NaN, and only for them.
const EXPONENT: u32 = 0x7f80_0000;

/// The exponent field of `value`, as a number to take the maximum of.
#[inline(always)]
pub(crate) fn exponent(value: f32) -> u32 {
    value.to_bits() & EXPONENT
}

/// Whether a largest exponent field (see `exponent`) belongs to a finite number.
#[inline(always)]
pub(crate) fn is_finite_exponent(largest: u32) -> bool {
    largest < EXPONENT
}

/// The position of the first NaN or infinite value.
pub(crate) fn first_non_finite(values: &[f32]) -> Option<usize> {
    let largest = values.iter().fold(0, |m, &v| m.max(exponent(v)));
    if is_finite_exponent(largest) {
        return None;
    }
    values.iter().position(|v| !v.is_finite())
}
