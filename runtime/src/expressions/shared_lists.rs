//! `SharedLists`: what keeps `$input.all()` and `$('Node').all()` from copying every item on every
//! call. The first call for a list converts it into a JavaScript array once and deep-freezes it;
//! later calls for the same list, from any item of the node run, get that same array. A list is
//! known by the address of its shared (`Arc`) items, pinned while it is remembered so that the
//! address cannot be reused for other items, and named to JavaScript by a generation number that
//! is never handed out again. The last [`REMEMBERED`] lists are kept.

use std::any::Any;
use std::collections::VecDeque;
use std::sync::Arc;

/// How many lists are remembered at once (on both sides: here and in the JavaScript cache).
pub const REMEMBERED: usize = 4;

/// A list of items shared by the run, as it is pinned.
pub type SharedList = Arc<dyn Any + Send + Sync>;

/// The remembered lists, oldest first.
#[derive(Default)]
pub struct SharedLists {
    pinned: VecDeque<(SharedList, u64)>,
    next: u64,
}

impl SharedLists {
    /// The generation that names `list`: the same while it is remembered, a new one otherwise.
    pub fn name(&mut self, list: SharedList) -> u64 {
        if let Some((_, generation)) = self
            .pinned
            .iter()
            .find(|(pinned, _)| std::ptr::addr_eq(Arc::as_ptr(pinned), Arc::as_ptr(&list)))
        {
            return *generation;
        }
        if self.pinned.len() >= REMEMBERED {
            self.pinned.pop_front();
        }
        self.next += 1;
        self.pinned.push_back((list, self.next));
        self.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_keeps_its_name_while_remembered_and_names_are_never_reused() {
        let mut lists = SharedLists::default();
        let first: SharedList = Arc::new(vec![1]);
        let name = lists.name(Arc::clone(&first));
        assert_eq!(lists.name(Arc::clone(&first)), name);
        let others: Vec<u64> = (0..REMEMBERED)
            .map(|n| lists.name(Arc::new(vec![n])))
            .collect();
        assert!(!others.contains(&name));
        let again = lists.name(first);
        assert!(
            again > name && !others.contains(&again),
            "forgotten, then named anew"
        );
    }
}
