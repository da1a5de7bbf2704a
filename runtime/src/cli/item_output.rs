//! `weft run`'s item output: the last node's items as one pretty-printed JSON array, written item
//! by item as they arrive, byte for byte what `serde_json::to_writer_pretty` prints for the whole
//! array (plus a final newline). Only one item's text is buffered at a time.
//!
//! Nothing is opened before the first item. A file output is written to a temporary file beside
//! it and renamed into place by [`ItemOutput::finish`], so a failed run leaves an existing file
//! untouched, as when the output was written after the run; standard output shows the items
//! written before a failure.

use std::fs::Permissions;
use std::io::{self, BufWriter, Stdout, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use tempfile::NamedTempFile;
use weft_nodes::Item;

use crate::executor::ItemSink;

/// The array being written.
pub struct ItemOutput {
    path: Option<PathBuf>,
    writer: Option<Writer>,
    /// One item's pretty JSON.
    buffer: Vec<u8>,
    error: Option<io::Error>,
}

enum Writer {
    File(BufWriter<NamedTempFile>),
    Stdout(BufWriter<Stdout>),
}

impl ItemOutput {
    /// An array for the file `path`, or standard output.
    pub fn new(path: Option<&Path>) -> Self {
        Self {
            path: path.map(Path::to_path_buf),
            writer: None,
            buffer: Vec::new(),
            error: None,
        }
    }

    /// Closes the array (`[]` when no item came) and puts the file in place when the run
    /// `succeeded`, else drops what was written to a file. A write error is reported either way.
    pub fn finish(mut self, succeeded: bool) -> anyhow::Result<()> {
        if let Some(error) = self.error.take() {
            return Err(self.failed(error));
        }
        if !succeeded {
            return Ok(());
        }
        let closing: &[u8] = if self.writer.is_some() {
            b"\n]\n"
        } else {
            b"[]\n"
        };
        let result = self.writer().and_then(|writer| writer.write_all(closing));
        let writer = match result.and_then(|()| self.writer.take().ok_or_else(closed)) {
            Ok(writer) => writer,
            Err(error) => return Err(self.failed(error)),
        };
        match writer {
            Writer::Stdout(mut stdout) => stdout.flush().context("cannot write the output"),
            Writer::File(file) => {
                let path = self.path.as_deref().unwrap_or(Path::new(""));
                let file = file
                    .into_inner()
                    .map_err(|error| self.failed(error.into_error()))?;
                file.persist(path)
                    .map_err(|error| self.failed(error.error))
                    .map(drop)
            }
        }
    }

    fn failed(&self, error: io::Error) -> anyhow::Error {
        match &self.path {
            Some(path) => {
                anyhow::Error::new(error).context(format!("cannot write {}", path.display()))
            }
            None => anyhow::Error::new(error).context("cannot write the output"),
        }
    }

    /// The open writer, opened on first use.
    fn writer(&mut self) -> io::Result<&mut dyn Write> {
        if self.writer.is_none() {
            self.writer = Some(match &self.path {
                None => Writer::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())),
                Some(path) => {
                    let folder = path
                        .parent()
                        .filter(|folder| !folder.as_os_str().is_empty());
                    let file = tempfile::Builder::new()
                        .prefix(".weft-output-")
                        .permissions(Permissions::from_mode(0o666))
                        .tempfile_in(folder.unwrap_or(Path::new(".")))?;
                    Writer::File(BufWriter::new(file))
                }
            });
        }
        match self.writer.as_mut() {
            Some(Writer::File(file)) => Ok(file),
            Some(Writer::Stdout(stdout)) => Ok(stdout),
            None => Err(closed()),
        }
    }

    fn write_items(&mut self, items: &[Item]) -> io::Result<()> {
        for item in items {
            let separator: &[u8] = if self.writer.is_some() {
                b",\n  "
            } else {
                b"[\n  "
            };
            self.writer()?.write_all(separator)?;
            let mut buffer = std::mem::take(&mut self.buffer);
            buffer.clear();
            serde_json::to_writer_pretty(&mut buffer, item)?;
            let writer = self.writer()?;
            // Pretty JSON has newlines only between tokens (strings escape theirs), so indenting
            // each line by one level gives the item as it prints inside the array.
            for (index, line) in buffer.split(|byte| *byte == b'\n').enumerate() {
                if index > 0 {
                    writer.write_all(b"\n  ")?;
                }
                writer.write_all(line)?;
            }
            self.buffer = buffer;
        }
        Ok(())
    }
}

impl ItemSink for ItemOutput {
    fn write(&mut self, items: &[Item]) -> io::Result<()> {
        if self.error.is_some() {
            return Err(closed());
        }
        self.write_items(items).inspect_err(|error| {
            self.error = Some(io::Error::new(error.kind(), error.to_string()));
        })
    }
}

fn closed() -> io::Error {
    io::Error::other("the output was closed after an error")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn items(count: usize) -> Vec<Item> {
        (0..count)
            .map(|index| {
                let json = json!({ "n": index, "text": "a\nb \"q\"", "nested": { "list": [1, { "x": [] }], "empty": {} } });
                Item::from_value(json, index)
            })
            .collect()
    }

    fn expected(items: &[Item]) -> Vec<u8> {
        let mut text = serde_json::to_vec_pretty(items).unwrap();
        text.push(b'\n');
        text
    }

    #[test]
    fn batches_print_as_the_whole_array_does() {
        let folder = tempfile::tempdir().unwrap();
        for (count, batches) in [(0, 1), (1, 1), (5, 1), (5, 3), (7, 7)] {
            let path = folder.path().join(format!("{count}-{batches}.json"));
            let all = items(count);
            let mut output = ItemOutput::new(Some(&path));
            for batch in all.chunks(count.div_ceil(batches).max(1)) {
                output.write(batch).unwrap();
            }
            output.finish(true).unwrap();
            assert_eq!(
                std::fs::read(&path).unwrap(),
                expected(&all),
                "{count} in {batches}"
            );
        }
    }

    #[test]
    fn an_unfinished_output_leaves_the_file_as_it_was() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("out.json");
        std::fs::write(&path, "before").unwrap();
        let mut output = ItemOutput::new(Some(&path));
        output.write(&items(2)).unwrap();
        output.finish(false).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "before");
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    }
}
