//! Checkpoints as bytes: read back bit for bit (weights, optimiser moments, step count, batch
//! order), so that training on from a read-back checkpoint is training on from the original;
//! and every truncated, damaged or foreign record refused with what is wrong.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use backprop_core::{
    Activation, BatchOrder, Dataset, ErrorKind, Network, NetworkConfig, OptimizerKind, Rng,
    Trainer, TrainingConfig,
};
use backprop_formats::Checkpoint;

fn data() -> Dataset {
    let mut rng = Rng::new(8);
    let pixels = (0..37 * 9).map(|_| rng.below(256) as u8).collect();
    let labels = (0..37).map(|_| rng.below(3) as u8).collect();
    Dataset::new(3, 3, pixels, labels).unwrap()
}

/// A network of 9-5-4-3 trained `steps` mini-batches of 8 with `optimizer`.
struct Run {
    network: Network,
    trainer: Trainer,
    order: BatchOrder,
}

impl Run {
    fn new(optimizer: OptimizerKind, steps: u32) -> Run {
        let network = Network::new(NetworkConfig {
            inputs: 9,
            hidden: vec![5, 4],
            outputs: 3,
            activation: Activation::Tanh,
            seed: 3,
            ..NetworkConfig::default()
        })
        .unwrap();
        let training = TrainingConfig {
            optimizer,
            learning_rate: 0.05,
            batch_size: 8,
            l2: 0.001,
            ..TrainingConfig::default()
        };
        let mut run = Run {
            network,
            trainer: Trainer::new(training).unwrap(),
            order: BatchOrder::new(37, 21),
        };
        run.train(steps);
        run
    }

    fn train(&mut self, steps: u32) {
        let data = data();
        for _ in 0..steps {
            self.trainer
                .step_on(&mut self.network, &data, &mut self.order)
                .unwrap();
        }
    }

    fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            network: self.network.clone(),
            training: self.trainer.config().clone(),
            state: self.trainer.state().clone(),
            order: self.order.clone(),
        }
    }

    fn from(checkpoint: Checkpoint) -> Run {
        Run {
            network: checkpoint.network,
            trainer: Trainer::with_state(checkpoint.training, checkpoint.state).unwrap(),
            order: checkpoint.order,
        }
    }
}

fn bits<'a>(parts: impl Iterator<Item = &'a [f32]>) -> Vec<u32> {
    parts.flatten().map(|v| v.to_bits()).collect()
}

#[test]
fn a_checkpoint_reads_back_bit_for_bit_and_trains_on_the_same() {
    for optimizer in [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Adam,
    ] {
        // 11 steps: one epoch of 5 batches done, and into the third.
        for steps in [0, 11] {
            let mut original = Run::new(optimizer, steps);
            let saved = original.checkpoint();
            let bytes = saved.to_bytes();
            let read = Checkpoint::from_bytes(&bytes).unwrap();
            assert_eq!(read, saved, "{optimizer:?} after {steps}");
            assert_eq!(read.to_bytes(), bytes);
            let (a, b) = (&read.state, &saved.state);
            assert_eq!(bits(a.first_moments()), bits(b.first_moments()));
            assert_eq!(bits(a.second_moments()), bits(b.second_moments()));
            assert_eq!(
                bits(read.network.parameter_parts()),
                bits(saved.network.parameter_parts())
            );
            assert_eq!(read.state.steps(), steps);
            let order = &read.order;
            assert_eq!(
                (order.epoch(), order.position()),
                (steps / 5, (steps % 5 * 8) as usize)
            );
            assert_eq!(order.rng(), saved.order.rng());
            assert_eq!(order.indices(), saved.order.indices());

            // Training on from either is the same, into the next epochs' shuffles too.
            let mut again = Run::from(read);
            original.train(13);
            again.train(13);
            assert_eq!(
                again.checkpoint().to_bytes(),
                original.checkpoint().to_bytes()
            );
        }
    }
}

#[test]
fn the_record_is_compact_raw_f32s() {
    let saved = Run::new(OptimizerKind::Adam, 3).checkpoint();
    let bytes = saved.to_bytes();
    let parameters = saved.network.config().parameter_count();
    assert_eq!(parameters, 9 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
    let settings = bytes.len() - (28 + 8 + 4 * 3 * (parameters + 1) + 4 + 4 * (37 + 1) + 16);
    assert!(settings < 400, "the settings' JSON takes {settings} bytes");
    assert_eq!(&bytes[..12], b"bplab-ck\x01\0\0\0");
}

#[test]
fn a_truncated_or_lengthened_record_is_refused() {
    let bytes = Run::new(OptimizerKind::Momentum, 4).checkpoint().to_bytes();
    for end in 0..bytes.len() {
        let e = Checkpoint::from_bytes(&bytes[..end]).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Model);
        let expected = match end {
            0..8 => "not a backprop-lab checkpoint".to_string(),
            8..28 => {
                format!("the checkpoint is cut short: {end} bytes, not even its 28-byte header")
            }
            _ => format!(
                "the checkpoint is cut short: it has {end} bytes of its {}",
                bytes.len()
            ),
        };
        assert_eq!(e.message, expected);
    }
    let longer = [&bytes[..], &[0]].concat();
    assert_eq!(
        Checkpoint::from_bytes(&longer).unwrap_err().message,
        format!(
            "the checkpoint is longer than it says: it has {} bytes of its {}",
            bytes.len() + 1,
            bytes.len()
        )
    );
}

#[test]
fn any_damaged_byte_is_noticed() {
    let bytes = Run::new(OptimizerKind::Adam, 6).checkpoint().to_bytes();
    for at in 0..bytes.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[at] ^= flip;
            let e = Checkpoint::from_bytes(&damaged).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Model);
            let expected = match at {
                0..8 => "not a backprop-lab checkpoint",
                8..12 => "is not supported",
                12..20 => "the checkpoint is ",
                _ => "the checkpoint is damaged: its contents do not match its checksum",
            };
            assert!(e.message.contains(expected), "byte {at}: {}", e.message);
        }
    }
}

#[test]
fn foreign_records_are_refused() {
    let model = br#"{"format":"backprop-lab-model","version":1}"#;
    for (bytes, expected) in [
        (&b""[..], "not a backprop-lab checkpoint".to_string()),
        (&model[..], "not a backprop-lab checkpoint".to_string()),
        (
            b"bplab-ck\x02\0\0\0",
            "the checkpoint is cut short: 12 bytes, not even its 28-byte header".to_string(),
        ),
    ] {
        assert_eq!(Checkpoint::from_bytes(bytes).unwrap_err().message, expected);
    }
    let mut later = Run::new(OptimizerKind::Sgd, 1).checkpoint().to_bytes();
    later[8] = 2;
    assert_eq!(
        Checkpoint::from_bytes(&later).unwrap_err().message,
        "checkpoint version 2 is not supported; this version of backprop-lab reads version 1"
    );
}

/// Writes `v` at `at`.
fn put_u32(body: &mut [u8], at: usize, v: u32) {
    body[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// A change to a record's body.
type Change = dyn Fn(&mut Vec<u8>);

/// `bytes` with `change` made to its body and the checksum made to fit again: a record a
/// writer with a bug could make, checked part by part.
fn rewritten(bytes: &[u8], change: &Change) -> String {
    let mut body = bytes[28..].to_vec();
    change(&mut body);
    let mut out = bytes[..28].to_vec();
    out[12..20].copy_from_slice(&((28 + body.len()) as u64).to_le_bytes());
    let sum = body.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    });
    out[20..28].copy_from_slice(&sum.to_le_bytes());
    out.extend(body);
    let e = Checkpoint::from_bytes(&out).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Model);
    e.message
}

#[test]
fn a_record_whose_parts_do_not_fit_is_refused_whole() {
    let bytes = Run::new(OptimizerKind::Momentum, 7).checkpoint().to_bytes();
    let count_at = |at: usize| u32::from_le_bytes(bytes[28 + at..32 + at].try_into().unwrap());
    let network = count_at(0) as usize;
    let training = count_at(4 + network) as usize;
    let parameters = 8 + network + training; // where the weights' count is, in the body
    let count = 9 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3;
    let steps = parameters + 4 + 4 * count;
    let first = steps + 4;
    let second = first + 4 + 4 * count;
    let order = second + 4;
    let cases: Vec<(Box<Change>, String)> = vec![
        (
            Box::new(|b| b.truncate(b.len() - 1)),
            "the checkpoint is malformed: it ends in the middle of a value".into(),
        ),
        (
            Box::new(|b| b.push(0)),
            "the checkpoint is malformed: 1 bytes follow its last value".into(),
        ),
        (
            Box::new(|b| b[4] = b'['),
            "the checkpoint is malformed: network settings: invalid type: sequence".into(),
        ),
        (
            Box::new(move |b| b[parameters + 4..parameters + 8].copy_from_slice(&f32::NAN.to_le_bytes())),
            "the checkpoint is malformed: layer 1 weight 0 is not a finite number".into(),
        ),
        (
            // Momentum's velocity kept for plain SGD.
            Box::new(move |b| {
                let at = 4 + network;
                let text = String::from_utf8(b[at + 4..at + 4 + training].to_vec()).unwrap();
                let text = text.replace(":\"momentum\"", ":\"sgd\"");
                assert_ne!(text.len(), training);
                let part = [&(text.len() as u32).to_le_bytes()[..], text.as_bytes()].concat();
                b.splice(at..at + 4 + training, part);
            }),
            format!("the checkpoint is malformed: moments of {count} and 0 values do not fit SGD on a network of {count} weights and biases"),
        ),
        (
            Box::new(move |b| put_u32(b, second, count as u32)),
            "the checkpoint is malformed: it counts".into(),
        ),
        (
            Box::new(move |b| {
                let first_index = order + 4;
                let other = order + 8;
                let v = b[other..other + 4].to_vec();
                b[first_index..first_index + 4].copy_from_slice(&v);
            }),
            "the checkpoint is malformed: a batch order of 37 examples must hold each of 0 to 36 once;".into(),
        ),
        (
            Box::new(|b| {
                let end = b.len();
                put_u32(b, end - 8, 37)
            }),
            "the checkpoint is malformed: a batch order of 37 examples cannot be at example 37 of an epoch".into(),
        ),
    ];
    for (change, expected) in cases {
        let message = rewritten(&bytes, &*change);
        assert!(
            message.contains(&expected),
            "{message}\nexpected: {expected}"
        );
    }
}
