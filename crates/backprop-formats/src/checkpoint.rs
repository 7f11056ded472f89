//! Checkpoints of training as bytes: everything a training step changes (the weights, the
//! optimiser's settings and state, a dataset's batch order), for saving a learner's session
//! and putting it back bit for bit.
//!
//! A versioned little-endian record, every f32 as its raw bits:
//!
//! | bytes | what |
//! | --- | --- |
//! | 8 | `bplab-ck`, the signature |
//! | 4 | the version (u32), 1 |
//! | 8 | the record's length in bytes (u64) |
//! | 8 | FNV-1a (64-bit) of every byte after this field |
//! | 4 + n, 4 + m | the network's and the training's settings, each as JSON text (as in a model file) |
//! | 4 + 4p | the p weights and biases, in the layout of `Network::parameter_parts` |
//! | 4 | the optimiser's update count |
//! | 4 + 4p, 4 + 4p | its first and second moments (each none or p values) |
//! | 4 + 4e | the batch order: this epoch's order of the e example indices |
//! | 8, 4, 4 | the order's generator state, its position in the epoch, the epoch |
//!
//! Reading checks the signature, the version, the length and the checksum before anything
//! else, then every part as the network, the optimiser and the batch order require it: a
//! damaged, truncated or foreign record is refused with what is wrong, and nothing is half read.

use backprop_core::{
    BatchOrder, Error, Layer, Network, NetworkConfig, OptimizerState, Result, Rng, TrainingConfig,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::json;

const SIGNATURE: &[u8; 8] = b"bplab-ck";
pub const CHECKPOINT_VERSION: u32 = 1;
/// Signature, version, length and checksum.
const HEADER: usize = 8 + 4 + 8 + 8;

/// A network in training: its weights, the optimiser's settings and state, and the batch
/// order of the dataset it trains on.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    pub network: Network,
    pub training: TrainingConfig,
    pub state: OptimizerState,
    pub order: BatchOrder,
}

impl Checkpoint {
    /// The checkpoint as a record of bytes (see the module's table).
    pub fn to_bytes(&self) -> Vec<u8> {
        let floats = self.network.config().parameter_count() * 3;
        let mut out = Vec::with_capacity(HEADER + 1024 + 4 * (floats + self.order.len()));
        out.extend_from_slice(SIGNATURE);
        out.extend_from_slice(&CHECKPOINT_VERSION.to_le_bytes());
        out.extend_from_slice(&[0; 16]); // length and checksum, below
        put_json(&mut out, self.network.config());
        put_json(&mut out, &self.training);
        put_floats(&mut out, self.network.parameter_parts());
        out.extend_from_slice(&self.state.steps().to_le_bytes());
        put_floats(&mut out, self.state.first_moments());
        put_floats(&mut out, self.state.second_moments());
        let indices = self.order.indices();
        put_count(&mut out, indices.len());
        for i in indices {
            out.extend_from_slice(&i.to_le_bytes());
        }
        out.extend_from_slice(&self.order.rng().state().to_le_bytes());
        out.extend_from_slice(&(self.order.position() as u32).to_le_bytes());
        out.extend_from_slice(&self.order.epoch().to_le_bytes());
        let length = out.len() as u64;
        out[12..20].copy_from_slice(&length.to_le_bytes());
        let sum = checksum(&out[HEADER..]);
        out[20..28].copy_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a record written by `to_bytes`. Anything else, or a record damaged or cut short,
    /// is a `Model` error that says so.
    pub fn from_bytes(bytes: &[u8]) -> Result<Checkpoint> {
        if bytes.get(..8) != Some(SIGNATURE) {
            return Err(Error::model("not a backprop-lab checkpoint"));
        }
        if bytes.len() < HEADER {
            return Err(Error::model(format!(
                "the checkpoint is cut short: {} bytes, not even its {HEADER}-byte header",
                bytes.len()
            )));
        }
        let mut header = Reader {
            bytes: &bytes[8..HEADER],
        };
        let version = header.u32()?;
        if version != CHECKPOINT_VERSION {
            return Err(Error::model(format!(
                "checkpoint version {version} is not supported; this version of backprop-lab reads version {CHECKPOINT_VERSION}"
            )));
        }
        let (length, sum) = (header.u64()?, header.u64()?);
        if length != bytes.len() as u64 {
            return Err(Error::model(format!(
                "the checkpoint is {}: it has {} bytes of its {length}",
                if length > bytes.len() as u64 {
                    "cut short"
                } else {
                    "longer than it says"
                },
                bytes.len()
            )));
        }
        let body = &bytes[HEADER..];
        if checksum(body) != sum {
            return Err(Error::model(
                "the checkpoint is damaged: its contents do not match its checksum",
            ));
        }
        read_body(Reader { bytes: body })
            .map_err(|e| Error::model(format!("the checkpoint is malformed: {}", e.message)))
    }
}

fn read_body(mut r: Reader) -> Result<Checkpoint> {
    let network: NetworkConfig = r.json("network settings")?;
    let training: TrainingConfig = r.json("training settings")?;
    training.validate()?;
    let parameters = r.floats()?;
    let layers = layers(&network, &parameters)?;
    let network = Network::from_layers(network, layers)?;
    let steps = r.u32()?;
    let (first, second) = (r.floats()?, r.floats()?);
    let state = OptimizerState::from_moments(&network, training.optimizer, steps, &first, &second)?;
    let count = r.count(4)?;
    let indices = (0..count).map(|_| r.u32()).collect::<Result<Vec<u32>>>()?;
    let rng = Rng::new(r.u64()?);
    let (position, epoch) = (r.u32()? as usize, r.u32()?);
    if !r.bytes.is_empty() {
        return Err(Error::model(format!(
            "{} bytes follow its last value",
            r.bytes.len()
        )));
    }
    let order = BatchOrder::from_parts(indices, rng, position, epoch)?;
    Ok(Checkpoint {
        network,
        training,
        state,
        order,
    })
}

/// Flat weights and biases split into the layers of the architecture `config` describes.
fn layers(config: &NetworkConfig, values: &[f32]) -> Result<Vec<Layer>> {
    config.validate()?;
    let expected = config.parameter_count();
    if values.len() != expected {
        return Err(Error::model(format!(
            "the architecture needs {expected} weights and biases, it has {}",
            values.len()
        )));
    }
    let mut rest = values;
    let mut take = |n: usize| {
        let (part, tail) = rest.split_at(n);
        rest = tail;
        part.to_vec()
    };
    Ok(config
        .sizes()
        .windows(2)
        .map(|w| Layer {
            inputs: w[0],
            outputs: w[1],
            weights: take(w[0] * w[1]),
            biases: take(w[1]),
        })
        .collect())
}

/// Appends `value` as counted JSON text. Configurations always serialize: plain numbers,
/// strings and lists.
fn put_json(out: &mut Vec<u8>, value: &impl Serialize) {
    let text = serde_json::to_string(value).unwrap_or_default();
    put_count(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

/// Appends a count as a u32.
fn put_count(out: &mut Vec<u8>, count: usize) {
    out.extend_from_slice(&(count as u32).to_le_bytes());
}

/// Appends the values of `parts`, counted, as raw little-endian f32.
fn put_floats<'a>(out: &mut Vec<u8>, parts: impl Iterator<Item = &'a [f32]>) {
    let at = out.len();
    put_count(out, 0);
    for v in parts.flatten() {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let count = (out.len() - at - 4) / 4;
    out[at..at + 4].copy_from_slice(&(count as u32).to_le_bytes());
}

/// FNV-1a, 64-bit. Every change of a single byte changes it, as each step is a bijection.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Reads a record's values in order; running out is an error.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.bytes.len() {
            return Err(Error::model("it ends in the middle of a value"));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64> {
        let low = self.u32()? as u64;
        Ok(low | (self.u32()? as u64) << 32)
    }

    /// A count of values of `size` bytes each, checked against the bytes that are left.
    fn count(&mut self, size: usize) -> Result<usize> {
        let count = self.u32()? as usize;
        if count.saturating_mul(size) > self.bytes.len() {
            return Err(Error::model(format!(
                "it counts {count} values where {} bytes are left",
                self.bytes.len()
            )));
        }
        Ok(count)
    }

    /// Counted JSON text, read as the same value is read from a model file or from JavaScript.
    fn json<T: DeserializeOwned>(&mut self, what: &str) -> Result<T> {
        let length = self.count(1)?;
        let text = std::str::from_utf8(self.take(length)?)
            .map_err(|_| Error::model(format!("its {what} are not UTF-8 text")))?;
        json::read(text).map_err(|e| Error::model(format!("{what}: {e}")))
    }

    /// Counted raw little-endian f32s.
    fn floats(&mut self) -> Result<Vec<f32>> {
        let count = self.count(4)?;
        let bytes = self.take(4 * count)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }
}
