//! The IDX file format of MNIST (and Fashion-MNIST), raw or gzip-compressed, read strictly.
//!
//! Layout: two zero bytes, a type code (0x08 = unsigned byte, the only one MNIST uses), the
//! number of dimensions, each dimension as a big-endian u32, then the data.
//!
//! Its functions are `#[inline]` so that they are compiled in the calling crate, i.e. for size
//! in the wasm build (see the root Cargo.toml).

mod gzip;

use crate::error::{Error, Result};
use gzip::GzipError;

/// Largest decompressed file accepted: the 60,000 training images of MNIST are 47 MB.
pub const MAX_IDX_BYTES: usize = 200 * 1024 * 1024;
const UNSIGNED_BYTE: u8 = 0x08;
const MAX_DIMENSIONS: usize = 4;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdxArray {
    pub dims: Vec<usize>,
    pub data: Vec<u8>,
}

/// Parses an IDX file, decompressing it first when it starts with the gzip signature.
#[inline]
pub fn parse_idx(bytes: &[u8]) -> Result<IdxArray> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let raw = gunzip(bytes)?;
        parse_raw(&raw)
    } else {
        parse_raw(bytes)
    }
}

#[inline]
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>> {
    // A gzip bomb is refused as soon as its output passes the cap, without inflating all of it.
    match gzip::gunzip(bytes, MAX_IDX_BYTES) {
        Ok(raw) => Ok(raw),
        Err(GzipError::TooLarge) => Err(Error::dataset(format!(
            "the file decompresses to more than {} MB, the limit",
            MAX_IDX_BYTES / (1024 * 1024)
        ))),
        Err(GzipError::Corrupt(reason)) => Err(Error::dataset(format!(
            "the gzip data is corrupt: {reason}"
        ))),
    }
}

#[inline]
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
