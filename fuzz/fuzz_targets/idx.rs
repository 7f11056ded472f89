//! Any bytes, as an image file and a label file: the reader returns a dataset or an error,
//! never panics, and a dataset it returns is self-consistent.
#![no_main]

use backprop_formats::read_dataset;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte says where the image file ends and the label file begins.
    let Some((&split, rest)) = data.split_first() else { return };
    let at = (split as usize * rest.len()) / 255;
    let (images, labels) = rest.split_at(at);
    if let Ok(dataset) = read_dataset(images, labels) {
        assert_eq!(dataset.labels().len(), dataset.len());
        let last = dataset.len() - 1;
        assert_eq!(dataset.image(last).len(), dataset.input_size());
    }
});
