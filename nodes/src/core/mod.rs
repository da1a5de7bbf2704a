//! The core nodes every workflow uses: Manual Trigger (and the legacy Start), Schedule Trigger, No Op, Stop and
//! Error, HTTP Request, Read/Write Files from Disk, Edit Fields (Set), Split Out, Sticky Note,
//! Loop Over Items, Merge, Wait, Date & Time, Execute Workflow and its trigger, Code (and the legacy Function and Function Item), Convert to File and Extract from File (`files`), IF, Filter and Switch over one condition engine (`conditions`),
//! the data nodes Summarize, Sort, Limit, Remove Duplicates, Rename Keys and Aggregate (lodash's comparisons in
//! `lodash`, V8's sort in `js_sort`), and Item Lists over them (`item_lists`).

mod aggregate;
mod binary_data;
mod code;
mod condition_parameters;
pub mod conditions;
mod date_time;
mod execute_workflow;
mod execute_workflow_trigger;
mod files;
mod filter_node;
mod function;
mod html;
mod html_extract;
mod http_request;
mod if_node;
mod item_lists;
mod js_sort;
mod limit;
mod lodash;
mod manual_trigger;
mod merge;
mod mime_types;
mod no_op;
mod paths;
mod read_write_file;
mod remove_duplicates;
mod rename_keys;
mod schedule_trigger;
mod set;
mod sort;
mod split_in_batches;
mod split_out;
mod start;
mod sticky_note;
mod stop_and_error;
mod summarize;
mod switch;
mod wait;
mod xml;

pub use aggregate::Aggregate;
pub use code::Code;
pub use date_time::DateTime;
pub use execute_workflow::ExecuteWorkflow;
pub use execute_workflow_trigger::ExecuteWorkflowTrigger;
pub use files::{ConvertToFile, ExtractFromFile, MoveBinaryData, SpreadsheetFile};
pub use filter_node::Filter;
pub use function::{Function, FunctionItem};
pub use html::HtmlNode;
pub use html_extract::HtmlExtract;
pub use http_request::HttpRequest;
pub use if_node::If;
pub use item_lists::ItemLists;
pub use limit::Limit;
pub use manual_trigger::ManualTrigger;
pub use merge::{Merge, merge_items};
pub use no_op::NoOp;
pub use read_write_file::ReadWriteFile;
pub use remove_duplicates::RemoveDuplicates;
pub use rename_keys::RenameKeys;
pub use schedule_trigger::{ScheduleTrigger, cron_patterns};
pub use set::Set;
pub use sort::Sort;
pub use split_in_batches::SplitInBatches;
pub use split_out::SplitOut;
pub use start::Start;
pub use sticky_note::StickyNote;
pub use stop_and_error::StopAndError;
pub use summarize::Summarize;
pub use switch::Switch;
pub use wait::Wait;
pub use xml::Xml;
