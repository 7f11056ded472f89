//! Loss, accuracy, confusion matrix and silent neurons of a network on a dataset, and the
//! examples it gets wrong.

use crate::dataset::Dataset;
use crate::error::Result;
use crate::network::{Network, Trace};
use crate::train::check_fits;

/// Examples pushed through the network at once while evaluating.
const CHUNK: usize = 256;

#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub count: usize,
    pub loss: f32,
    pub accuracy: f32,
    /// `classes × classes`, row = true class, column = predicted class.
    pub confusion: Vec<u32>,
    pub classes: usize,
    /// Per hidden layer, the neurons whose activation was exactly 0 for every example: dead
    /// ReLUs, which no example can train any more.
    pub silent: Vec<u32>,
}

/// Index of the largest value (the first of equals).
pub fn argmax(values: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best
}

/// Marks each hidden neuron whose activation is not 0 for some example of `trace`.
fn note_active(active: &mut [Vec<bool>], trace: &Trace) {
    for (layer, activations) in active.iter_mut().zip(&trace.activations[1..]) {
        for example in activations.chunks_exact(layer.len()) {
            for (on, &a) in layer.iter_mut().zip(example) {
                *on |= a != 0.0;
            }
        }
    }
}

/// The examples of a dataset that a network gets wrong: how many, and the first few.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mistakes {
    /// Every wrong example counted.
    pub total: usize,
    /// The first ones, in the dataset's order.
    pub first: Vec<Mistake>,
}

/// One wrong example: its index in the dataset, its label and the class the network picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mistake {
    pub index: usize,
    pub label: u8,
    pub predicted: usize,
}

impl Network {
    pub fn evaluate(&self, data: &Dataset) -> Result<Evaluation> {
        let classes = self.config().outputs;
        let loss_kind = self.config().loss;
        let mut confusion = vec![0u32; classes * classes];
        let mut total_loss = 0.0f64;
        let mut correct = 0usize;
        let hidden = &self.config().hidden;
        let mut active: Vec<Vec<bool>> = hidden.iter().map(|&width| vec![false; width]).collect();
        self.in_chunks(data, &mut |_, trace, labels| {
            note_active(&mut active, trace);
            for (output, &label) in trace.output().chunks_exact(classes).zip(labels) {
                let predicted = argmax(output);
                let label = label as usize;
                total_loss += loss_kind.value(output, label) as f64;
                correct += usize::from(predicted == label);
                confusion[label * classes + predicted] += 1;
            }
        })?;
        let count = data.len();
        Ok(Evaluation {
            count,
            loss: (total_loss / count as f64) as f32,
            accuracy: correct as f32 / count as f32,
            confusion,
            classes,
            silent: active
                .iter()
                .map(|layer| layer.iter().filter(|&&on| !on).count() as u32)
                .collect(),
        })
    }

    /// Every example of `data` whose predicted class (as `evaluate` picks it) is not its
    /// label, counted, and the first `max` of them.
    pub fn mistakes(&self, data: &Dataset, max: usize) -> Result<Mistakes> {
        let classes = self.config().outputs;
        let mut found = Mistakes::default();
        self.in_chunks(data, &mut |start, trace, labels| {
            let outputs = trace.output().chunks_exact(classes);
            for (i, (output, &label)) in outputs.zip(labels).enumerate() {
                let predicted = argmax(output);
                if predicted != label as usize {
                    found.total += 1;
                    if found.first.len() < max {
                        found.first.push(Mistake {
                            index: start + i,
                            label,
                            predicted,
                        });
                    }
                }
            }
        })?;
        Ok(found)
    }

    /// The forward pass of every example of `data`, `CHUNK` at a time, in order: `chunk(start,
    /// trace, labels)` sees examples `start..` with their labels (one loop for every caller).
    fn in_chunks(&self, data: &Dataset, chunk: &mut dyn FnMut(usize, &Trace, &[u8])) -> Result<()> {
        check_fits(self, data)?;
        let mut trace = Trace::default();
        let mut inputs = Vec::new();
        let mut labels = Vec::new();
        let indices: Vec<u32> = (0..data.len() as u32).collect();
        for (c, part) in indices.chunks(CHUNK).enumerate() {
            data.fill_batch(part, &mut inputs, &mut labels);
            self.forward_into(&inputs, part.len(), &mut trace)?;
            chunk(c * CHUNK, &trace, &labels);
        }
        Ok(())
    }
}
