//! Keeping a panic inside one poll or run: `weft start` serves several workflows in one process,
//! and a bug hit by one workflow's records (in weft or in a node) must fail that run only, not
//! stop the other workflows or the process.

use std::any::Any;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

/// Runs `work` to its end; a panic inside it becomes `Err` with the panic's message.
///
/// Unwinding out of `work` is safe for what a poll or run shares with others: the store's
/// connection and the session caches recover from poisoned locks, a transaction left open rolls
/// back when dropped, and the run's own state is dropped with it.
pub(crate) async fn contained<T>(work: impl Future<Output = T>) -> Result<T, String> {
    AssertUnwindSafe(work)
        .catch_unwind()
        .await
        .map_err(|payload| panic_message(payload.as_ref()))
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_its_message_and_a_value_passes() {
        assert_eq!(contained(async { 7 }).await, Ok(7));
        let index = usize::MAX;
        let caught = contained(async move {
            let items = [1, 2, 3];
            items[index]
        })
        .await;
        let message = caught.unwrap_err();
        assert!(message.contains("index out of bounds"), "{message}");
        let formatted = contained(async { panic!("node {} broke", "X") }).await;
        assert_eq!(formatted, Err::<(), _>("node X broke".to_owned()));
    }
}
