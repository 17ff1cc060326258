//! A small, dependency-free `.osm.pbf` writer for fixtures and the demo region.
//!
//! Writes an `OSMHeader` blob and `OSMData` blobs of dense nodes, then ways, zlib-compressed,
//! following the OSM PBF format (protobuf messages encoded by hand). Output is deterministic.

use flate2::write::ZlibEncoder;
use flate2::Compression;
use std::collections::HashMap;
use std::io::{self, Write};
use tripsmith_model::LatLon;

/// A node to write.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmNode {
    /// OSM id.
    pub id: i64,
    /// Position (stored with 1e-7 degree precision).
    pub location: LatLon,
    /// Tags, in order.
    pub tags: Vec<(String, String)>,
}

/// A way to write.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmWay {
    /// OSM id.
    pub id: i64,
    /// Node ids, in order.
    pub refs: Vec<i64>,
    /// Tags, in order.
    pub tags: Vec<(String, String)>,
}

/// Entities per `PrimitiveBlock`, as osmium does.
const BLOCK_SIZE: usize = 8000;

/// Writes a complete `.osm.pbf` file with these nodes and ways (sorted by id within each kind).
pub fn write_pbf<W: Write>(out: &mut W, nodes: &[OsmNode], ways: &[OsmWay], program: &str) -> io::Result<()> {
    let mut header = Vec::new();
    put_bytes(&mut header, 4, b"OsmSchema-V0.6");
    put_bytes(&mut header, 4, b"DenseNodes");
    put_bytes(&mut header, 5, b"Sort.Type_then_ID");
    put_bytes(&mut header, 16, program.as_bytes());
    write_blob(out, "OSMHeader", &header)?;

    let mut sorted_nodes: Vec<&OsmNode> = nodes.iter().collect();
    sorted_nodes.sort_by_key(|n| n.id);
    for chunk in sorted_nodes.chunks(BLOCK_SIZE) {
        write_blob(out, "OSMData", &dense_block(chunk))?;
    }
    let mut sorted_ways: Vec<&OsmWay> = ways.iter().collect();
    sorted_ways.sort_by_key(|w| w.id);
    for chunk in sorted_ways.chunks(BLOCK_SIZE) {
        write_blob(out, "OSMData", &way_block(chunk))?;
    }
    Ok(())
}

/// Builds a block's string table; index 0 is the empty string, as the format requires.
#[derive(Default)]
struct StringTable {
    index: HashMap<String, u32>,
    strings: Vec<String>,
}

impl StringTable {
    fn new() -> Self {
        let mut t = Self::default();
        t.id("");
        t
    }

    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }

    fn encode(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        for s in &self.strings {
            put_bytes(&mut buf, 1, s.as_bytes());
        }
        buf
    }
}

fn primitive_block(table: &StringTable, group: &[u8]) -> Vec<u8> {
    let mut block = Vec::new();
    put_bytes(&mut block, 1, &table.encode());
    put_bytes(&mut block, 2, group);
    block
}

fn dense_block(nodes: &[&OsmNode]) -> Vec<u8> {
    let mut table = StringTable::new();
    let (mut ids, mut lats, mut lons, mut keys_vals) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut last_id, mut last_lat, mut last_lon) = (0i64, 0i64, 0i64);
    for n in nodes {
        let lat = (n.location.lat * 1e7).round() as i64;
        let lon = (n.location.lon * 1e7).round() as i64;
        ids.push(n.id - last_id);
        lats.push(lat - last_lat);
        lons.push(lon - last_lon);
        (last_id, last_lat, last_lon) = (n.id, lat, lon);
        for (k, v) in &n.tags {
            keys_vals.push(u64::from(table.id(k)));
            keys_vals.push(u64::from(table.id(v)));
        }
        keys_vals.push(0);
    }
    let mut dense = Vec::new();
    put_packed_sint(&mut dense, 1, &ids);
    put_packed_sint(&mut dense, 8, &lats);
    put_packed_sint(&mut dense, 9, &lons);
    put_packed_uint(&mut dense, 10, &keys_vals);
    let mut group = Vec::new();
    put_bytes(&mut group, 2, &dense);
    primitive_block(&table, &group)
}

fn way_block(ways: &[&OsmWay]) -> Vec<u8> {
    let mut table = StringTable::new();
    let mut group = Vec::new();
    for w in ways {
        let keys: Vec<u64> = w.tags.iter().map(|(k, _)| u64::from(table.id(k))).collect();
        let vals: Vec<u64> = w.tags.iter().map(|(_, v)| u64::from(table.id(v))).collect();
        let mut last = 0i64;
        let refs: Vec<i64> = w
            .refs
            .iter()
            .map(|&r| {
                let d = r - last;
                last = r;
                d
            })
            .collect();
        let mut way = Vec::new();
        put_varint_field(&mut way, 1, w.id as u64);
        put_packed_uint(&mut way, 2, &keys);
        put_packed_uint(&mut way, 3, &vals);
        put_packed_sint(&mut way, 8, &refs);
        put_bytes(&mut group, 3, &way);
    }
    primitive_block(&table, &group)
}

fn write_blob<W: Write>(out: &mut W, kind: &str, raw: &[u8]) -> io::Result<()> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::new(6));
    z.write_all(raw)?;
    let compressed = z.finish()?;
    let mut blob = Vec::new();
    put_varint_field(&mut blob, 2, raw.len() as u64);
    put_bytes(&mut blob, 3, &compressed);
    let mut header = Vec::new();
    put_bytes(&mut header, 1, kind.as_bytes());
    put_varint_field(&mut header, 3, blob.len() as u64);
    out.write_all(&(header.len() as u32).to_be_bytes())?;
    out.write_all(&header)?;
    out.write_all(&blob)
}

fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn put_varint_field(buf: &mut Vec<u8>, field: u32, v: u64) {
    put_varint(buf, u64::from(field) << 3);
    put_varint(buf, v);
}

fn put_bytes(buf: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    put_varint(buf, (u64::from(field) << 3) | 2);
    put_varint(buf, bytes.len() as u64);
    buf.extend_from_slice(bytes);
}

fn put_packed_uint(buf: &mut Vec<u8>, field: u32, values: &[u64]) {
    let mut packed = Vec::new();
    for &v in values {
        put_varint(&mut packed, v);
    }
    put_bytes(buf, field, &packed);
}

fn put_packed_sint(buf: &mut Vec<u8>, field: u32, values: &[i64]) {
    let zz: Vec<u64> = values.iter().map(|&v| zigzag(v)).collect();
    put_packed_uint(buf, field, &zz);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_zigzag() {
        let mut b = Vec::new();
        put_varint(&mut b, 300);
        assert_eq!(b, vec![0xAC, 0x02]);
        assert_eq!(zigzag(0), 0);
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
        assert_eq!(zigzag(-2), 3);
    }
}
