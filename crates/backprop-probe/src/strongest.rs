//! The values largest in magnitude: the terms a neuron's description names, the connections a
//! wide layer's picture draws.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// The indices of the `k` values largest in magnitude (all of them when `k` is larger),
/// largest first, equal magnitudes in index order. A bounded heap, O(n log k), whose smallest
/// is replaced only by a larger value: most values of a wide layer are smaller, and cost one
/// comparison.
pub fn strongest(values: &[f32], k: usize) -> Vec<u32> {
    let k = k.min(values.len());
    let mut weakest_on_top = BinaryHeap::with_capacity(k);
    for (index, value) in values.iter().enumerate() {
        let candidate = Reverse(Strength {
            magnitude: value.abs(),
            index: index as u32,
        });
        if weakest_on_top.len() < k {
            weakest_on_top.push(candidate);
        } else if let Some(mut weakest) = weakest_on_top.peek_mut() {
            if candidate < *weakest {
                *weakest = candidate;
            }
        }
    }
    weakest_on_top
        .into_sorted_vec()
        .into_iter()
        .map(|Reverse(s)| s.index)
        .collect()
}

/// A value ordered by its magnitude, then by lower index.
struct Strength {
    magnitude: f32,
    index: u32,
}

impl Ord for Strength {
    fn cmp(&self, other: &Self) -> Ordering {
        self.magnitude
            .total_cmp(&other.magnitude)
            .then(other.index.cmp(&self.index))
    }
}

impl PartialOrd for Strength {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Strength {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Strength {}

#[cfg(test)]
mod tests {
    use super::strongest;

    #[test]
    fn largest_magnitudes_first_and_ties_in_index_order() {
        let values = [0.5, -3.0, 2.0, -0.5, 3.0, 0.0];
        assert_eq!(strongest(&values, 4), [1, 4, 2, 0]);
        assert_eq!(strongest(&values, 99), [1, 4, 2, 0, 3, 5]);
        assert!(strongest(&values, 0).is_empty());
        assert_eq!(strongest(&[-0.0, 0.0], 1), [0]);
    }
}
