//! Reading what a user points weft at without trusting its size: a file (`/dev/urandom`, a named
//! pipe, a huge export) or stdin (`yes | weft credentials add`) could otherwise keep weft reading
//! and allocating for ever. Every read stops one byte past its limit and reports the limit.

use std::io::{self, BufRead, Read};
use std::path::Path;

/// The largest workflow or credential file weft reads.
pub const MAX_JSON_FILE: u64 = 64 << 20;

/// The largest file a form answer may name with `@path` (a PEM key is a few KiB).
pub const MAX_ANSWER_FILE: u64 = 1 << 20;

/// The most a form reads from stdin, all answers together.
pub const MAX_FORM_INPUT: u64 = 4 << 20;

/// The text of `path`, refused when it is longer than `limit` bytes or not UTF-8.
pub fn file_text(path: &Path, limit: u64) -> io::Result<String> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_long(limit));
    }
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "the file is not UTF-8 text"))
}

/// One line of `input` into `line` (with its line ending), reading at most `budget` bytes;
/// `Ok(0)` at the end of the input. Refused when the line does not end within the budget.
pub fn line(input: &mut impl BufRead, line: &mut String, budget: u64) -> io::Result<usize> {
    let read = input.take(budget + 1).read_line(line)?;
    if read as u64 > budget {
        return Err(too_long(budget));
    }
    Ok(read)
}

fn too_long(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("longer than {} (weft reads no more)", size(limit)),
    )
}

/// `64 MiB`, `1 MiB`, `512 bytes`.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_one_byte_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        std::fs::write(&path, "0123456789").unwrap();
        assert_eq!(file_text(&path, 10).unwrap(), "0123456789");
        let error = file_text(&path, 9).unwrap_err();
        assert_eq!(
            error.to_string(),
            "longer than 9 bytes (weft reads no more)"
        );
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(file_text(&path, 10).is_err());

        let mut input = io::Cursor::new("short\nmuch longer line\n");
        let mut text = String::new();
        assert_eq!(line(&mut input, &mut text, 8).unwrap(), 6);
        text.clear();
        assert!(line(&mut input, &mut text, 8).is_err());
        assert_eq!(size(64 << 20), "64 MiB");
    }
}
