//! The core nodes every workflow uses: Manual Trigger (and the legacy Start), Schedule Trigger, No Op, Stop and
//! Error, HTTP Request, Read/Write Files from Disk, Edit Fields (Set), Split Out, Summarize, Sticky Note,
//! Loop Over Items, Merge, Wait, Code (and the legacy Function and Function Item), Convert to File and Extract from File (`files`), and IF, Filter and Switch over one condition engine (`conditions`).

mod binary_data;
mod code;
mod condition_parameters;
pub mod conditions;
mod files;
mod filter_node;
mod function;
mod http_request;
mod if_node;
mod manual_trigger;
mod merge;
mod mime_types;
mod no_op;
mod paths;
mod read_write_file;
mod schedule_trigger;
mod set;
mod split_in_batches;
mod split_out;
mod start;
mod sticky_note;
mod stop_and_error;
mod summarize;
mod switch;
mod wait;

pub use code::Code;
pub use files::{ConvertToFile, ExtractFromFile};
pub use filter_node::Filter;
pub use function::{Function, FunctionItem};
pub use http_request::HttpRequest;
pub use if_node::If;
pub use manual_trigger::ManualTrigger;
pub use merge::{Merge, merge_items};
pub use no_op::NoOp;
pub use read_write_file::ReadWriteFile;
pub use schedule_trigger::{ScheduleTrigger, cron_patterns};
pub use set::Set;
pub use split_in_batches::SplitInBatches;
pub use split_out::SplitOut;
pub use start::Start;
pub use sticky_note::StickyNote;
pub use stop_and_error::StopAndError;
pub use summarize::Summarize;
pub use switch::Switch;
pub use wait::Wait;
