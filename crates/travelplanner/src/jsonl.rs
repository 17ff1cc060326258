//! Reading JSONL files line by line, with the lines that cannot be used reported, not dropped.

use crate::database::SkippedRow;
use std::path::Path;

/// Calls `parse` with the number (1-based) and text (byte-order mark removed) of each non-empty
/// line of `path`; a line it refuses is reported with the reason.
pub(crate) fn for_each_line(
    path: &Path,
    mut parse: impl FnMut(u64, &str) -> Result<(), String>,
) -> Result<Vec<SkippedRow>, std::io::Error> {
    let content = std::fs::read_to_string(path)?;
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut skipped = Vec::new();
    for (i, line) in content.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line_number = i as u64 + 1;
        if let Err(reason) = parse(line_number, line.trim_start_matches('\u{feff}')) {
            skipped.push(SkippedRow { file: file.clone(), line: line_number, reason });
        }
    }
    Ok(skipped)
}
