//! Any bytes as the body of a checkpoint record, under a header whose length and checksum fit
//! them (so that the parts behind the checksum are reached): reading returns a checkpoint or an
//! error, never panics, and a checkpoint it accepts is finite, runs, and writes a record that
//! reads back to the same checkpoint and writes the same record again.
#![no_main]

use backprop_formats::{Checkpoint, CHECKPOINT_VERSION};
use libfuzzer_sys::fuzz_target;

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fuzz_target!(|body: &[u8]| {
    let mut record = b"bplab-ck".to_vec();
    record.extend_from_slice(&CHECKPOINT_VERSION.to_le_bytes());
    record.extend_from_slice(&((28 + body.len()) as u64).to_le_bytes());
    record.extend_from_slice(&fnv1a(body).to_le_bytes());
    record.extend_from_slice(body);
    if let Ok(checkpoint) = Checkpoint::from_bytes(&record) {
        let network = &checkpoint.network;
        assert!(network.is_finite());
        assert_eq!(checkpoint.order.len(), checkpoint.order.indices().len());
        let input = vec![0.5; network.config().inputs];
        let output = network.predict(&input).expect("an accepted network runs");
        assert_eq!(output.len(), network.config().outputs);
        let written = checkpoint.to_bytes();
        let again = Checkpoint::from_bytes(&written).expect("a written checkpoint reads back");
        assert_eq!(again.to_bytes(), written);
    }
    // The body as a whole record, too: refused unless it is one.
    let _ = Checkpoint::from_bytes(body);
});
