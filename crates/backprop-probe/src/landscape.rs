//! The loss landscape: loss and accuracy on the first examples of a dataset at points
//! θ + Σₖ cₖ·dₖ on a plane or a line through the network's weights θ.
//!
//! The first layer's weighted sums are linear in its weights: at θ + Σₖ cₖ·dₖ they are
//! W·x + b + Σₖ cₖ·(Dₖ·x + dₖ), with (Dₖ, dₖ) direction k's part for the first layer. W·x + b
//! and each Dₖ·x + dₖ are computed once for all examples, so a point's first layer costs a few
//! multiply-adds per neuron instead of the 784 of each weighted sum; only the smaller later
//! layers are computed anew. Coefficients that are zero are left out, so the point at θ itself
//! repeats the forward pass bit for bit, and its loss and accuracy are exactly
//! `Network::evaluate`'s on the same examples.

use backprop_core::{affine, argmax, check_fits, Activation, Dataset, Error, Layer, Loss};
use backprop_core::{Network, Result};

use crate::checks::{finite, parameter_vector};
use crate::layout::{layer_from, split_layers};

/// Loss and accuracy at each point, in the order of the points.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Losses {
    /// The mean loss of the model (cross-entropy or squared error), summed in f64 as
    /// `Network::evaluate` sums it.
    pub loss: Vec<f32>,
    pub accuracy: Vec<f32>,
}

/// The plane θ + α·d₁ + β·d₂ through a network's weights, ready to evaluate on the first
/// `count` examples of a dataset. It holds a copy of what it needs, so the network may change
/// or go away meanwhile; a grid can be evaluated one row at a time, to report progress or stop
/// between rows.
pub struct Plane {
    section: Section,
}

impl Plane {
    /// The plane through `network`'s weights spanned by two directions in the flat parameter
    /// layout. A count of 0 or more than the dataset holds, a dataset that does not fit the
    /// network, or a direction of the wrong length or with values that are not finite is an
    /// `Input` error.
    pub fn new(
        network: &Network,
        data: &Dataset,
        count: usize,
        first: &[f32],
        second: &[f32],
    ) -> Result<Plane> {
        let section = Section::new(network, data, count, &[first, second])?;
        Ok(Plane { section })
    }

    /// Loss and accuracy at θ + α·d₁ + β·d₂ for every α of `alphas` and β of `betas`,
    /// alpha-major: entry i·betas.len() + j is (alphas[i], betas[j]). Coefficients that are not
    /// finite are an `Input` error.
    pub fn grid(&mut self, alphas: &[f32], betas: &[f32]) -> Result<Losses> {
        finite(alphas, "alphas")?;
        finite(betas, "betas")?;
        let mut losses = Losses::default();
        for &alpha in alphas {
            for &beta in betas {
                self.section.evaluate(&[alpha, beta], &mut losses);
            }
        }
        Ok(losses)
    }
}

/// Loss and accuracy on the first `count` examples along the straight line from `from` (θ₀,
/// e.g. the initial weights, in the flat parameter layout) to the network's weights θ
/// (Goodfellow et al., 2015): at θ(t) = θ₀ + t·(θ − θ₀) for every t of `ts`. The line is
/// computed as θ + (1 − t)·(θ₀ − θ), so that t = 1 is exactly `evaluate` at θ. Errors as for
/// [`Plane::new`], and for `ts` that are not finite.
pub fn loss_line(
    network: &Network,
    data: &Dataset,
    count: usize,
    from: &[f32],
    ts: &[f32],
) -> Result<Losses> {
    parameter_vector(network, from, "the line's start")?;
    finite(ts, "ts")?;
    let towards_start: Vec<f32> = network
        .parameter_parts()
        .flatten()
        .zip(from)
        .map(|(&theta, &start)| start - theta)
        .collect();
    let mut section = Section::new(network, data, count, &[&towards_start])?;
    let mut losses = Losses::default();
    for &t in ts {
        section.evaluate(&[1.0 - t], &mut losses);
    }
    Ok(losses)
}

/// The points θ + Σₖ cₖ·dₖ for a few directions dₖ, on fixed examples.
struct Section {
    activation: Activation,
    loss: Loss,
    labels: Vec<u8>,
    /// W·x + b of the first weight layer at θ, `count × width`.
    first: Vec<f32>,
    /// Dₖ·x + dₖ for each direction, `count × width`.
    first_changes: Vec<Vec<f32>>,
    /// θ's later weight layers, and each direction's part of them.
    later: Vec<Layer>,
    later_changes: Vec<Vec<Layer>>,
    /// The later layers at the current point.
    moved: Vec<Layer>,
    /// Each weight layer's weighted sums at the current point (the first, then the later ones).
    z: Vec<Vec<f32>>,
    /// The activations feeding the current layer, and the output.
    a: Vec<f32>,
}

impl Section {
    fn new(network: &Network, data: &Dataset, count: usize, directions: &[&[f32]]) -> Result<Self> {
        check_fits(network, data)?;
        if count == 0 || count > data.len() {
            return Err(Error::input(format!(
                "the count of examples must be from 1 to {}, the dataset's size; got {count}",
                data.len()
            )));
        }
        for (k, direction) in directions.iter().enumerate() {
            parameter_vector(network, direction, &format!("direction {}", k + 1))?;
        }
        let indices: Vec<u32> = (0..count as u32).collect();
        let (mut inputs, mut labels) = (Vec::new(), Vec::new());
        data.fill_batch(&indices, &mut inputs, &mut labels);
        let layers = network.layers();
        let (first_layer, later) = (&layers[0], &layers[1..]);
        // The forward pass's own kernel, so that the point at θ repeats it bit for bit.
        let mut first = vec![0.0; count * first_layer.outputs];
        let (w, b) = (&first_layer.weights, &first_layer.biases);
        affine(&inputs, w, b, first_layer.inputs, &mut first);
        let mut first_changes = Vec::new();
        let mut later_changes = Vec::new();
        for direction in directions {
            let parts = split_layers(layers, direction);
            let mut change = vec![0.0; count * first_layer.outputs];
            affine(
                &inputs,
                parts[0].0,
                parts[0].1,
                first_layer.inputs,
                &mut change,
            );
            first_changes.push(change);
            later_changes.push(
                later
                    .iter()
                    .zip(&parts[1..])
                    .map(|(layer, (w, b))| layer_from(layer, w, b))
                    .collect(),
            );
        }
        Ok(Section {
            activation: network.config().activation,
            loss: network.config().loss,
            labels,
            first,
            first_changes,
            later: later.to_vec(),
            later_changes,
            moved: later.to_vec(),
            z: vec![Vec::new(); layers.len()],
            a: Vec::new(),
        })
    }

    /// Appends the loss and accuracy at θ + Σₖ coefficients[k]·dₖ to `losses`.
    fn evaluate(&mut self, coefficients: &[f32], losses: &mut Losses) {
        let count = self.labels.len();
        let z0 = &mut self.z[0];
        z0.clone_from(&self.first);
        for (&c, change) in coefficients.iter().zip(&self.first_changes) {
            if c != 0.0 {
                for (z, &d) in z0.iter_mut().zip(change) {
                    *z += c * d;
                }
            }
        }
        for (l, moved) in self.moved.iter_mut().enumerate() {
            let theta = &self.later[l];
            moved.weights.copy_from_slice(&theta.weights);
            moved.biases.copy_from_slice(&theta.biases);
            for (&c, changes) in coefficients.iter().zip(&self.later_changes) {
                if c != 0.0 {
                    add_scaled(&mut moved.weights, c, &changes[l].weights);
                    add_scaled(&mut moved.biases, c, &changes[l].biases);
                }
            }
            let (below, above) = self.z.split_at_mut(l + 1);
            activate_all(self.activation, &below[l], &mut self.a);
            let z = &mut above[0];
            z.resize(count * moved.outputs, 0.0);
            affine(&self.a, &moved.weights, &moved.biases, moved.inputs, z);
        }
        let logits = self.z.last().map_or(&[][..], |z| z.as_slice());
        let classes = logits.len() / count;
        self.a.resize(classes, 0.0);
        let (mut total, mut correct) = (0.0f64, 0usize);
        for (z, &label) in logits.chunks_exact(classes).zip(&self.labels) {
            self.loss.activate(z, &mut self.a);
            total += self.loss.value(&self.a, label as usize) as f64;
            correct += usize::from(argmax(&self.a) == label as usize);
        }
        losses.loss.push((total / count as f64) as f32);
        losses.accuracy.push(correct as f32 / count as f32);
    }
}

/// a = f(z) for every z, as the forward pass computes it, in one loop per activation: each is
/// then branch-free and vectorised, where one loop that matches on the activation for every
/// value is not (it took more time than the later layers' products).
fn activate_all(activation: Activation, z: &[f32], a: &mut Vec<f32>) {
    a.resize(z.len(), 0.0);
    let each = |f: Activation, a: &mut [f32]| {
        for (a, &z) in a.iter_mut().zip(z) {
            *a = f.apply(z);
        }
    };
    match activation {
        Activation::Sigmoid => each(Activation::Sigmoid, a),
        Activation::Tanh => each(Activation::Tanh, a),
        Activation::Relu => each(Activation::Relu, a),
        Activation::LeakyRelu => each(Activation::LeakyRelu, a),
    }
}

fn add_scaled(values: &mut [f32], c: f32, change: &[f32]) {
    for (v, &d) in values.iter_mut().zip(change) {
        *v += c * d;
    }
}
