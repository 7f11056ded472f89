//! The IDX file format of MNIST (and Fashion-MNIST), raw or gzip-compressed, read strictly.
//!
//! Layout: two zero bytes, a type code (0x08 = unsigned byte, the only one MNIST uses), the
//! number of dimensions, each dimension as a big-endian u32, then the data.

use backprop_core::{Dataset, Error, Result};

/// Largest decompressed file accepted: the 60,000 training images of MNIST are 47 MB.
pub const MAX_IDX_BYTES: usize = 200 * 1024 * 1024;
const UNSIGNED_BYTE: u8 = 0x08;
const MAX_DIMENSIONS: usize = 4;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdxArray {
    pub dims: Vec<usize>,
    pub data: Vec<u8>,
}

/// The first bytes of every gzip file.
const GZIP_SIGNATURE: [u8; 2] = [0x1f, 0x8b];

/// A dataset from an IDX image file (n × rows × cols) and an IDX label file (n).
pub fn read_dataset(images: &[u8], labels: &[u8]) -> Result<Dataset> {
    let images = parse_idx(images).map_err(|e| prefixed("image file", e))?;
    let labels = parse_idx(labels).map_err(|e| prefixed("label file", e))?;
    if images.dims.len() != 3 {
        return Err(Error::dataset(format!(
            "image file: it must have 3 dimensions (count, rows, columns), it has {}",
            images.dims.len()
        )));
    }
    if labels.dims.len() != 1 {
        return Err(Error::dataset(format!(
            "label file: it must have 1 dimension (count), it has {}",
            labels.dims.len()
        )));
    }
    Dataset::new(images.dims[1], images.dims[2], images.data, labels.data)
}

fn prefixed(what: &str, e: Error) -> Error {
    Error::dataset(format!("{what}: {}", e.message))
}

/// Parses an IDX file, decompressing it first when it starts with the gzip signature.
pub fn parse_idx(bytes: &[u8]) -> Result<IdxArray> {
    if bytes.starts_with(&GZIP_SIGNATURE) {
        parse_raw(&gunzip(bytes)?)
    } else {
        parse_raw(bytes)
    }
}

/// Inflates the first gzip member of `bytes` (flate2). A gzip bomb is refused as soon as its
/// output passes the cap, without inflating the rest.
#[cfg(feature = "gzip")]
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_IDX_BYTES as u64 + 1)
        .read_to_end(&mut raw)
        .map_err(|e| Error::dataset(format!("the gzip data is corrupt: {e}")))?;
    if raw.len() > MAX_IDX_BYTES {
        return Err(Error::dataset(format!(
            "the file decompresses to more than {} MB, the limit",
            MAX_IDX_BYTES / (1024 * 1024)
        )));
    }
    Ok(raw)
}

/// Without the `gzip` feature (the wasm build), compressed files are decompressed by the
/// caller first: in the browser, `www/js/gunzip.js` under the same cap.
#[cfg(not(feature = "gzip"))]
fn gunzip(_: &[u8]) -> Result<Vec<u8>> {
    Err(Error::dataset(
        "the file is gzip-compressed; decompress it first (www/js/gunzip.js does, under the same cap)",
    ))
}

fn parse_raw(bytes: &[u8]) -> Result<IdxArray> {
    if bytes.len() > MAX_IDX_BYTES {
        return Err(Error::dataset(format!(
            "the file is larger than {} MB, the limit",
            MAX_IDX_BYTES / (1024 * 1024)
        )));
    }
    if bytes.len() < 4 || bytes[0] != 0 || bytes[1] != 0 {
        return Err(Error::dataset(
            "not an IDX file: it must start with two zero bytes, a type code and a dimension count",
        ));
    }
    if bytes[2] != UNSIGNED_BYTE {
        return Err(Error::dataset(format!(
            "unsupported IDX data type 0x{:02x}: only unsigned bytes (0x08) are supported",
            bytes[2]
        )));
    }
    let ndims = bytes[3] as usize;
    if ndims == 0 || ndims > MAX_DIMENSIONS {
        return Err(Error::dataset(format!(
            "an IDX file must have 1 to {MAX_DIMENSIONS} dimensions, this one says {ndims}"
        )));
    }
    let header = 4 + 4 * ndims;
    if bytes.len() < header {
        return Err(Error::dataset("the IDX file ends inside its header"));
    }
    let dims: Vec<usize> = bytes[4..header]
        .chunks_exact(4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .collect();
    let expected = dims
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .filter(|&n| n <= MAX_IDX_BYTES)
        .ok_or_else(|| Error::dataset(format!("the IDX dimensions {dims:?} are too large")))?;
    let data = &bytes[header..];
    if data.len() < expected {
        return Err(Error::dataset(format!(
            "the IDX file is truncated: dimensions {dims:?} need {expected} bytes of data, it has {}",
            data.len()
        )));
    }
    if data.len() > expected {
        return Err(Error::dataset(format!(
            "the IDX file has {} bytes after the data its dimensions {dims:?} describe",
            data.len() - expected
        )));
    }
    Ok(IdxArray {
        dims,
        data: data.to_vec(),
    })
}
