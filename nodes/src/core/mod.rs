//! The core nodes every workflow uses: Manual Trigger (and the legacy Start), No Op, Stop and
//! Error, HTTP Request, Read/Write Files from Disk, Edit Fields (Set), Split Out, Sticky Note.

mod http_request;
mod manual_trigger;
mod mime_types;
mod no_op;
mod paths;
mod read_write_file;
mod set;
mod split_out;
mod start;
mod sticky_note;
mod stop_and_error;

pub use http_request::HttpRequest;
pub use manual_trigger::ManualTrigger;
pub use no_op::NoOp;
pub use read_write_file::ReadWriteFile;
pub use set::Set;
pub use split_out::SplitOut;
pub use start::Start;
pub use sticky_note::StickyNote;
pub use stop_and_error::StopAndError;
