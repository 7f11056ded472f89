//! Training on two datasets at once: every mini-batch takes a fixed share of its examples from
//! a second dataset (a learner's own drawings, say) and the rest from the first.

use crate::dataset::{BatchOrder, Dataset};
use crate::error::{Error, Result};
use crate::network::Network;
use crate::train::{check_fits, Trainer};

/// The second dataset of mixed training, its batch order, and the share of every mini-batch
/// taken from it (0 to 1).
pub struct Extra<'a> {
    pub data: &'a Dataset,
    pub order: &'a mut BatchOrder,
    pub share: f32,
}

impl Trainer {
    /// `count` updates on mini-batches that take round(share × batch size) examples from
    /// `extra` and the rest from `data`; returns their mean loss. `data`'s part is the next
    /// examples of `order`, the last part of an epoch shorter, as in `train_batches`, so that a
    /// share of 0 is `train_batches` exactly. `extra`'s part always has its full count, taken on
    /// into the next epoch of `extra.order` (more than once when `extra` has fewer examples).
    /// All or nothing, as `train_batches`: when a step diverges, the network, the optimiser
    /// state and both batch orders are put back as they were before the call.
    pub fn train_batches_mixed(
        &mut self,
        network: &mut Network,
        data: &Dataset,
        order: &mut BatchOrder,
        extra: Extra,
        count: u32,
    ) -> Result<f32> {
        check_fits(network, data)?;
        check_fits(network, extra.data)?;
        if !(0.0..=1.0).contains(&extra.share) {
            return Err(Error::input(format!(
                "the share of a mini-batch from the second dataset must be from 0 to 1, got {}",
                extra.share
            )));
        }
        let batch = self.config().batch_size;
        let from_extra = (extra.share as f64 * batch as f64).round() as usize;
        let before = (count > 1).then(|| {
            let state = self.state().clone();
            (network.clone(), state, order.clone(), extra.order.clone())
        });
        let mut buffers = Buffers::default();
        let mut total = 0.0;
        for _ in 0..count {
            let step = Mixed {
                data,
                order: &mut *order,
                extra_data: extra.data,
                extra_order: &mut *extra.order,
                from_extra,
                from_data: batch - from_extra,
            };
            match self.mixed_step(network, step, &mut buffers) {
                Ok(loss) => total += loss,
                Err(e) => {
                    if let Some((good_network, good_state, good_order, good_extra)) = before {
                        *network = good_network;
                        self.restore_state(good_state);
                        *order = good_order;
                        *extra.order = good_extra;
                    }
                    return Err(e);
                }
            }
        }
        Ok(total / count.max(1) as f32)
    }

    /// One update on a mixed batch; the orders move on only when it succeeds.
    fn mixed_step(
        &mut self,
        network: &mut Network,
        step: Mixed,
        buffers: &mut Buffers,
    ) -> Result<f32> {
        let Buffers {
            indices,
            inputs,
            labels,
            extra_inputs,
            extra_labels,
        } = buffers;
        let mut extra_order = step.extra_order.clone();
        indices.clear();
        while indices.len() < step.from_extra {
            let part = extra_order.upcoming(step.from_extra - indices.len());
            indices.extend_from_slice(part);
            let taken = part.len();
            extra_order.advance(taken);
        }
        step.extra_data
            .fill_batch(indices, extra_inputs, extra_labels);
        let own = match step.from_data {
            0 => &[][..],
            n => step.order.upcoming(n),
        };
        step.data.fill_batch(own, inputs, labels);
        let taken = own.len();
        inputs.extend_from_slice(extra_inputs);
        labels.extend_from_slice(extra_labels);
        let loss = self.step(network, inputs, labels)?;
        step.order.advance(taken);
        *step.extra_order = extra_order;
        Ok(loss)
    }
}

/// One mixed batch's sources and how many examples each gives.
struct Mixed<'a> {
    data: &'a Dataset,
    order: &'a mut BatchOrder,
    extra_data: &'a Dataset,
    extra_order: &'a mut BatchOrder,
    from_extra: usize,
    from_data: usize,
}

/// Buffers reused from step to step of one call.
#[derive(Default)]
struct Buffers {
    indices: Vec<u32>,
    inputs: Vec<f32>,
    labels: Vec<u8>,
    extra_inputs: Vec<f32>,
    extra_labels: Vec<u8>,
}
