//! Labelled images in memory, and their shuffled mini-batches.

use crate::error::{Error, Result};
use crate::rng::Rng;

/// Images of `rows × cols` grey bytes (0 = background, 255 = ink) with a class label each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dataset {
    rows: usize,
    cols: usize,
    pixels: Vec<u8>,
    labels: Vec<u8>,
    /// One more than the largest label, counted once: training checks it every step.
    classes: usize,
}

impl Dataset {
    pub fn new(rows: usize, cols: usize, pixels: Vec<u8>, labels: Vec<u8>) -> Result<Self> {
        if rows == 0 || cols == 0 || rows * cols > crate::config::MAX_INPUTS {
            return Err(Error::dataset(format!(
                "images of {rows} × {cols} pixels are not supported (at most {} pixels)",
                crate::config::MAX_INPUTS
            )));
        }
        if labels.is_empty() {
            return Err(Error::dataset("the dataset has no examples"));
        }
        if pixels.len() != labels.len() * rows * cols {
            return Err(Error::dataset(format!(
                "{} labels need {} images of {rows} × {cols}, the image data holds {}",
                labels.len(),
                labels.len(),
                pixels.len() as f64 / (rows * cols) as f64
            )));
        }
        let classes = labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
        Ok(Dataset {
            rows,
            cols,
            pixels,
            labels,
            classes,
        })
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Pixels per image: the input width a network needs for this dataset.
    pub fn input_size(&self) -> usize {
        self.rows * self.cols
    }

    /// One more than the largest label.
    pub fn class_count(&self) -> usize {
        self.classes
    }

    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// Every image's grey bytes, one image after another.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// Examples `start` to `end` (not included) as a dataset of their own. An empty or
    /// out-of-range part is an `Input` error.
    pub fn slice(&self, start: usize, end: usize) -> Result<Dataset> {
        if !(start < end && end <= self.len()) {
            return Err(Error::input(format!(
                "cannot take examples {start} to {end} of a dataset of {len}: a part needs start < end ≤ {len}",
                len = self.len()
            )));
        }
        let n = self.input_size();
        Dataset::new(
            self.rows,
            self.cols,
            self.pixels[start * n..end * n].to_vec(),
            self.labels[start..end].to_vec(),
        )
    }

    pub fn image(&self, index: usize) -> &[u8] {
        let n = self.input_size();
        &self.pixels[index * n..(index + 1) * n]
    }

    /// Example `index` as network input: grey values scaled to 0..1.
    pub fn input(&self, index: usize) -> Vec<f32> {
        self.image(index).iter().map(|&p| scale(p)).collect()
    }

    /// The examples at `indices` as one batch of inputs and labels, into reused buffers.
    pub fn fill_batch(&self, indices: &[u32], inputs: &mut Vec<f32>, labels: &mut Vec<u8>) {
        inputs.clear();
        labels.clear();
        for &i in indices {
            let i = i as usize;
            inputs.extend(self.image(i).iter().map(|&p| scale(p)));
            labels.push(self.labels[i]);
        }
    }
}

fn scale(p: u8) -> f32 {
    p as f32 * (1.0 / 255.0)
}

/// A reshuffled order of example indices per epoch, from a seed.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchOrder {
    order: Vec<u32>,
    rng: Rng,
    /// Examples used so far in the current epoch; always less than the number of examples
    /// (the order is reshuffled as soon as an epoch is complete).
    position: usize,
    epoch: u32,
}

impl BatchOrder {
    pub fn new(len: usize, seed: u64) -> Self {
        let mut order = BatchOrder {
            order: (0..len as u32).collect(),
            rng: Rng::new(seed),
            position: 0,
            epoch: 0,
        };
        order.rng.shuffle(&mut order.order);
        order
    }

    /// A batch order exactly as saved from `indices`, `rng`, `position` and `epoch`: `indices`
    /// must hold every example index below their count once, and `position` be less than that
    /// count; otherwise it is an `Input` error.
    pub fn from_parts(indices: Vec<u32>, rng: Rng, position: usize, epoch: u32) -> Result<Self> {
        let mut seen = vec![false; indices.len()];
        for &i in &indices {
            match seen.get_mut(i as usize) {
                Some(s) if !*s => *s = true,
                _ => {
                    return Err(Error::input(format!(
                        "a batch order of {} examples must hold each of 0 to {} once; {i} is out of place",
                        indices.len(),
                        indices.len().saturating_sub(1)
                    )))
                }
            }
        }
        if position >= indices.len() {
            return Err(Error::input(format!(
                "a batch order of {} examples cannot be at example {position} of an epoch",
                indices.len()
            )));
        }
        Ok(BatchOrder {
            order: indices,
            rng,
            position,
            epoch,
        })
    }

    /// The number of examples ordered.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// This epoch's order of example indices.
    pub fn indices(&self) -> &[u32] {
        &self.order
    }

    /// The generator that will shuffle the next epoch's order.
    pub fn rng(&self) -> &Rng {
        &self.rng
    }

    /// Completed passes over the data.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// Examples used so far in the current epoch.
    pub fn position(&self) -> usize {
        self.position
    }

    /// The next batch of at most `size` indices; the last batch of an epoch may be shorter.
    /// After it, the order is reshuffled and the epoch count advances.
    pub fn next_batch(&mut self, size: usize) -> Vec<u32> {
        let batch = self.upcoming(size).to_vec();
        self.advance(batch.len());
        batch
    }

    /// The next batch without taking it: a training step takes it (`advance`) only once its
    /// update succeeded, so a step that diverges leaves the order as it was.
    pub(crate) fn upcoming(&self, size: usize) -> &[u32] {
        let end = (self.position + size.max(1)).min(self.order.len());
        &self.order[self.position..end]
    }

    /// Takes the `taken` indices `upcoming` gave; at the end of an epoch, reshuffles.
    pub(crate) fn advance(&mut self, taken: usize) {
        self.position += taken;
        if self.position >= self.order.len() {
            self.epoch += 1;
            self.rng.shuffle(&mut self.order);
            self.position = 0;
        }
    }
}
