//! The region cache file: a versioned, checksummed binary snapshot of an ingested region.
//!
//! Layout: the 16-byte magic [`MAGIC`], the format version (u32 LE), the payload length (u64 LE),
//! the payload's CRC-32 (u32 LE), then the payload (bincode). Any other version, a short file or
//! a checksum mismatch is a clear [`CacheError`], never a panic or a wrong answer.

use serde::{de::DeserializeOwned, Serialize};
use std::path::Path;

/// First bytes of every cache file.
pub const MAGIC: &[u8; 16] = b"TRIPSMITH-REGION";
/// Bump whenever the payload's types change.
pub const FORMAT_VERSION: u32 = 5;
const HEADER_LEN: usize = 16 + 4 + 8 + 4;

/// A cache file that could not be written or read. `Display` is one line naming the file.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// I/O failure.
    #[error("{file}: cannot {action} cache: {source}")]
    Io {
        /// The file.
        file: String,
        /// `read` or `write`.
        action: &'static str,
        /// The cause.
        source: std::io::Error,
    },
    /// Not a tripsmith region cache.
    #[error("{0}: not a tripsmith region cache (wrong magic bytes)")]
    NotACache(String),
    /// Written by another version of tripsmith.
    #[error("{file}: cache format version {found}, this tripsmith reads version {expected}; run `tripsmith ingest` again to rebuild it")]
    Version {
        /// The file.
        file: String,
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// Truncated or damaged.
    #[error("{file}: corrupt cache ({detail}); run `tripsmith ingest` again to rebuild it")]
    Corrupt {
        /// The file.
        file: String,
        /// What was found.
        detail: String,
    },
}

/// Whether `bytes` start like a cache file.
pub fn looks_like_cache(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Encodes `value` with header and checksum.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, bincode::Error> {
    let payload = bincode::serialize(value)?;
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    Ok(out)
}

/// Decodes bytes written by [`encode`]; `file` names them in errors.
pub fn decode<T: DeserializeOwned>(file: &str, bytes: &[u8]) -> Result<T, CacheError> {
    let corrupt = |detail: String| CacheError::Corrupt { file: file.to_string(), detail };
    if !looks_like_cache(bytes) {
        return Err(CacheError::NotACache(file.to_string()));
    }
    if bytes.len() < HEADER_LEN {
        return Err(corrupt(format!("{} bytes, shorter than the header", bytes.len())));
    }
    let word = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let found = word(16);
    if found != FORMAT_VERSION {
        return Err(CacheError::Version { file: file.to_string(), found, expected: FORMAT_VERSION });
    }
    let mut len_bytes = [0u8; 8];
    len_bytes.copy_from_slice(&bytes[20..28]);
    let len = u64::from_le_bytes(len_bytes);
    let payload = &bytes[HEADER_LEN..];
    if payload.len() as u64 != len {
        return Err(corrupt(format!("payload is {} bytes, header says {len}", payload.len())));
    }
    if crc32fast::hash(payload) != word(28) {
        return Err(corrupt("checksum mismatch".into()));
    }
    bincode::deserialize(payload).map_err(|e| corrupt(format!("cannot decode: {e}")))
}

/// Writes `value` to `path` atomically (temporary file, then rename).
pub fn write_file<T: Serialize>(path: &Path, value: &T) -> Result<(), CacheError> {
    let file = path.display().to_string();
    let io = |source| CacheError::Io { file: file.clone(), action: "write", source };
    let bytes = encode(value).map_err(|e| io(std::io::Error::other(e.to_string())))?;
    let tmp = path.with_extension("tmp-write");
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn round_trip_and_every_kind_of_damage() {
        let value = (vec![1u32, 2, 3], "Monaco".to_string());
        let bytes = encode(&value).unwrap();
        assert_eq!(decode::<(Vec<u32>, String)>("f", &bytes).unwrap(), value);

        assert!(matches!(decode::<(Vec<u32>, String)>("f", b"PK\x03\x04"), Err(CacheError::NotACache(_))));
        let mut other_version = bytes.clone();
        other_version[16] = 99;
        let err = decode::<(Vec<u32>, String)>("f", &other_version).unwrap_err();
        assert!(matches!(err, CacheError::Version { found: 99, .. }), "{err}");
        assert!(err.to_string().contains("tripsmith ingest"));
        let truncated = &bytes[..bytes.len() - 3];
        assert!(matches!(decode::<(Vec<u32>, String)>("f", truncated), Err(CacheError::Corrupt { .. })));
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        let err = decode::<(Vec<u32>, String)>("f", &flipped).unwrap_err();
        assert!(err.to_string().contains("checksum"), "{err}");
    }

    proptest! {
        #[test]
        fn random_damage_never_panics(cut in 0usize..64, flip in 0usize..64, bit in 0u8..8) {
            let bytes = encode(&(vec![7u64; 5], "x".to_string())).unwrap();
            let mut damaged = bytes[..bytes.len().saturating_sub(cut)].to_vec();
            if let Some(b) = damaged.get_mut(flip) {
                *b ^= 1 << bit;
            }
            let result = decode::<(Vec<u64>, String)>("f", &damaged);
            if damaged != bytes {
                prop_assert!(result.is_err());
            }
        }
    }
}
