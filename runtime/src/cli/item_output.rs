//! `weft run`'s item output: the last node's items as one pretty-printed JSON array, written item
//! by item as they arrive, byte for byte what `serde_json::to_writer_pretty` prints for the whole
//! array (plus a final newline).
//!
//! Batches are formatted, written and dropped on a writer thread fed through a one-batch channel,
//! so a streamed run fetches and parses its next page on one core while the other prints the last
//! one; at most two batches wait for it.
//!
//! Nothing is opened before the first item. A file output is written to a temporary file beside
//! it and renamed into place by [`ItemOutput::finish`], so a failed run leaves an existing file
//! untouched, as when the output was written after the run; standard output shows the items
//! written before a failure.

use std::fs::Permissions;
use std::io::{self, BufWriter, Stdout, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use anyhow::Context;
use tempfile::NamedTempFile;

use super::js_json;
use crate::executor::{Batch, ItemSink};

/// The array being written.
pub struct ItemOutput {
    path: Option<PathBuf>,
    /// The writer thread, from the first item on.
    thread: Option<WriterThread>,
    /// The first write error, kept for [`ItemOutput::finish`] to report.
    error: Option<io::Error>,
}

struct WriterThread {
    batches: SyncSender<Batch>,
    /// Gives the writer back (the array still open) when the channel closes.
    handle: JoinHandle<io::Result<Writer>>,
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
            thread: None,
            error: None,
        }
    }

    /// Closes the array (`[]` when no item came) and puts the file in place when the run
    /// `succeeded`, else drops what was written to a file. A write error is reported either way.
    pub fn finish(mut self, succeeded: bool) -> anyhow::Result<()> {
        let writer = match self.thread.take().map(WriterThread::join).transpose() {
            Ok(writer) => writer,
            Err(error) => return Err(self.failed(error)),
        };
        if let Some(error) = self.error.take() {
            return Err(self.failed(error));
        }
        if !succeeded {
            return Ok(());
        }
        let result = match writer {
            Some(mut writer) => writer.write_all(b"\n]\n").map(|()| writer),
            None => self
                .open()
                .and_then(|mut writer| writer.write_all(b"[]\n").map(|()| writer)),
        };
        let writer = result.map_err(|error| self.failed(error))?;
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

    /// Opens the file (a temporary one beside it) or standard output.
    fn open(&self) -> io::Result<Writer> {
        Ok(match &self.path {
            None => Writer::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())),
            Some(path) => {
                let folder = path
                    .parent()
                    .filter(|folder| !folder.as_os_str().is_empty());
                let file = tempfile::Builder::new()
                    .prefix(".weft-output-")
                    .permissions(Permissions::from_mode(0o666))
                    .tempfile_in(folder.unwrap_or(Path::new(".")))?;
                Writer::File(BufWriter::with_capacity(1 << 16, file))
            }
        })
    }

    /// Hands `batch` to the writer thread, started on the first item.
    fn send(&mut self, batch: Batch) -> io::Result<()> {
        if self.thread.is_none() {
            let writer = self.open()?;
            self.thread = Some(WriterThread::start(writer)?);
        }
        let sent = self
            .thread
            .as_ref()
            .is_some_and(|thread| thread.batches.send(batch).is_ok());
        if sent {
            return Ok(());
        }
        // The thread stopped at a write error: collect it.
        match self.thread.take().map(WriterThread::join) {
            Some(Err(error)) => Err(error),
            _ => Err(closed()),
        }
    }
}

impl ItemSink for ItemOutput {
    fn write(&mut self, batch: Batch) -> io::Result<()> {
        if self.error.is_some() {
            return Err(closed());
        }
        if batch.items().is_empty() {
            return Ok(());
        }
        self.send(batch).inspect_err(|error| {
            self.error = Some(io::Error::new(error.kind(), error.to_string()));
        })
    }
}

impl WriterThread {
    fn start(writer: Writer) -> io::Result<Self> {
        let (batches, received) = sync_channel(1);
        let handle = std::thread::Builder::new()
            .name("weft-output".to_owned())
            .spawn(move || write_batches(writer, received))?;
        Ok(Self { batches, handle })
    }

    /// Closes the channel and waits for the thread to write what it holds.
    fn join(self) -> io::Result<Writer> {
        drop(self.batches);
        self.handle
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the output writer stopped")))
    }
}

/// The writer thread: every item of every batch, each after the array's opening or a comma.
fn write_batches(mut writer: Writer, batches: Receiver<Batch>) -> io::Result<Writer> {
    let mut separator: &[u8] = b"[\n  ";
    for batch in batches {
        for item in batch.items() {
            writer.write_all(separator)?;
            separator = b",\n  ";
            js_json::to_writer_pretty(Indented(&mut writer), item)?;
        }
    }
    Ok(writer)
}

impl Write for Writer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match self {
            Self::File(file) => file.write(bytes),
            Self::Stdout(stdout) => stdout.write(bytes),
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Self::File(file) => file.write_all(bytes),
            Self::Stdout(stdout) => stdout.write_all(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::File(file) => file.flush(),
            Self::Stdout(stdout) => stdout.flush(),
        }
    }
}

/// Indents pretty JSON by one level as it is written: pretty JSON has newlines only between
/// tokens (strings escape theirs), so two spaces after each newline give the item as it prints
/// inside the array.
struct Indented<W>(W);

impl<W: Write> Write for Indented<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes).map(|()| bytes.len())
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut lines = bytes.split(|byte| *byte == b'\n');
        if let Some(first) = lines.next() {
            self.0.write_all(first)?;
        }
        for line in lines {
            self.0.write_all(b"\n  ")?;
            self.0.write_all(line)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

fn closed() -> io::Error {
    io::Error::other("the output was closed after an error")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use weft_nodes::Item;

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
                output.write(Batch::Owned(batch.to_vec())).unwrap();
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
        output.write(Batch::Owned(items(2))).unwrap();
        output.finish(false).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "before");
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_write_error_stops_the_output_and_names_the_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("missing").join("out.json");
        let mut output = ItemOutput::new(Some(&path));
        assert!(output.write(Batch::Owned(items(1))).is_err());
        assert!(
            output.write(Batch::Owned(items(1))).is_err(),
            "later writes fail too"
        );
        let error = format!("{:#}", output.finish(true).unwrap_err());
        assert!(
            error.starts_with(&format!("cannot write {}", path.display())),
            "{error}"
        );
    }
}
