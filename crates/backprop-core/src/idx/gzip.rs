//! Gzip (RFC 1952) decompression with a size cap: the header is read here, the deflate stream
//! is inflated by miniz_oxide, and the trailer's CRC-32 and length are checked. The messages
//! match the ones flate2's `GzDecoder` gives for the same faults. `#[inline]`: as in `idx`.

use miniz_oxide::inflate::core::{decompress, DecompressorOxide, TINFL_LZ_DICT_SIZE};
use miniz_oxide::inflate::TINFLStatus;

const SIGNATURE: [u8; 2] = [0x1f, 0x8b];
const DEFLATE: u8 = 8;
const HEADER_CRC: u8 = 0x02;
const EXTRA: u8 = 0x04;
const NAME: u8 = 0x08;
const COMMENT: u8 = 0x10;
const RESERVED: u8 = 0xe0;
/// Longest file name or comment accepted in a header.
const MAX_HEADER_FIELD: usize = 65535;

/// What can go wrong while decompressing.
#[derive(Debug, PartialEq, Eq)]
pub enum GzipError {
    /// The data decompresses to more than the cap.
    TooLarge,
    /// The data is not a valid gzip stream; the message says how.
    Corrupt(&'static str),
}

const END_OF_FILE: GzipError = GzipError::Corrupt("unexpected end of file");
const BAD_HEADER: GzipError = GzipError::Corrupt("invalid gzip header");
const BAD_CHECKSUM: GzipError =
    GzipError::Corrupt("corrupt gzip stream does not have a matching checksum");

/// Decompresses the first gzip member of `bytes`; anything after it is ignored. Data that
/// decompresses to more than `cap` bytes is refused as soon as the output passes the cap.
#[inline]
pub fn gunzip(bytes: &[u8], cap: usize) -> Result<Vec<u8>, GzipError> {
    let body = skip_header(bytes)?;
    let (data, used) = inflate(body, size_hint(bytes).min(cap), cap)?;
    let trailer = body.get(used..used + 8).ok_or(END_OF_FILE)?;
    let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    if crc != crc32(&data) || size != data.len() as u32 {
        return Err(BAD_CHECKSUM);
    }
    Ok(data)
}

/// Checks the header and returns what follows it: the deflate stream.
#[inline]
fn skip_header(bytes: &[u8]) -> Result<&[u8], GzipError> {
    let fixed = bytes.get(..10).ok_or(END_OF_FILE)?;
    if fixed[..2] != SIGNATURE || fixed[2] != DEFLATE || fixed[3] & RESERVED != 0 {
        return Err(BAD_HEADER);
    }
    let flags = fixed[3];
    let mut rest = &bytes[10..];
    if flags & EXTRA != 0 {
        let length = rest.get(..2).ok_or(END_OF_FILE)?;
        let length = u16::from_le_bytes([length[0], length[1]]) as usize;
        rest = rest.get(2 + length..).ok_or(END_OF_FILE)?;
    }
    for field in [NAME, COMMENT] {
        if flags & field != 0 {
            let end = rest.iter().position(|&b| b == 0);
            match end {
                Some(end) if end <= MAX_HEADER_FIELD => rest = &rest[end + 1..],
                _ if rest.len() > MAX_HEADER_FIELD => {
                    return Err(GzipError::Corrupt("gzip header field too long"))
                }
                _ => return Err(END_OF_FILE),
            }
        }
    }
    if flags & HEADER_CRC != 0 {
        let stored = rest.get(..2).ok_or(END_OF_FILE)?;
        let header = &bytes[..bytes.len() - rest.len()];
        if u16::from_le_bytes([stored[0], stored[1]]) != crc32(header) as u16 {
            return Err(BAD_CHECKSUM);
        }
        rest = &rest[2..];
    }
    Ok(rest)
}

/// The decompressed size the trailer claims when `bytes` is a single gzip member, bounded by
/// what deflate can expand to (at most 1032:1). Only a first guess for the output buffer.
#[inline]
fn size_hint(bytes: &[u8]) -> usize {
    let claimed = match bytes {
        [.., a, b, c, d] => u32::from_le_bytes([*a, *b, *c, *d]) as usize,
        _ => 0,
    };
    claimed.min(bytes.len().saturating_mul(1032))
}

/// Inflates a raw deflate stream, starting with room for `expected` bytes; returns the data and
/// the number of input bytes the stream took, or `TooLarge` once the output passes `cap`. Like
/// flate2, it decodes through a 32 KiB window, so a reference to before the start of the data
/// reads zeros and shows up as a checksum mismatch.
#[inline]
fn inflate(input: &[u8], expected: usize, cap: usize) -> Result<(Vec<u8>, usize), GzipError> {
    let mut state = Box::<DecompressorOxide>::default();
    let mut window = vec![0; TINFL_LZ_DICT_SIZE];
    let mut out = Vec::with_capacity(expected.min(cap));
    let (mut read, mut at) = (0, 0);
    loop {
        let (status, used, produced) = decompress(&mut state, &input[read..], &mut window, at, 0);
        read += used;
        out.extend_from_slice(&window[at..at + produced]);
        at = (at + produced) % TINFL_LZ_DICT_SIZE;
        if out.len() > cap {
            return Err(GzipError::TooLarge);
        }
        match status {
            TINFLStatus::Done => return Ok((out, read)),
            TINFLStatus::HasMoreOutput => {}
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                return Err(GzipError::Corrupt("incomplete deflate stream"))
            }
            _ => return Err(GzipError::Corrupt("corrupt deflate stream")),
        }
    }
}

/// CRC-32 (IEEE 802.3, reflected), one table lookup per byte.
#[inline]
fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0, |crc, &b| {
        CRC_TABLE[((crc ^ b as u32) & 0xff) as usize] ^ (crc >> 8)
    })
}

const CRC_TABLE: [u32; 256] = crc_table();

const fn crc_table() -> [u32; 256] {
    let mut table = [0; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut bit = 0;
        while bit < 8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            bit += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }
}
