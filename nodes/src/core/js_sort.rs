//! `Array.prototype.sort` as n8n's JavaScript engine (V8) runs it: TimSort with binary insertion
//! sort for short runs and galloping merges. The order it gives is fixed by the sequence of
//! comparisons it makes, so Sort and Remove Duplicates (whose lodash-based comparators are not
//! total orders for mixed types or missing fields) put items where n8n does only when the
//! algorithm is the same one, step by step. It is stable, like V8's.

use std::cmp::Ordering;

/// V8's `kMinGallopWins`: how many wins in a row switch a merge into galloping mode.
const MIN_GALLOP_WINS: usize = 7;

/// Sorts `list` in place with `compare` (Less: the left element goes first), making exactly
/// the comparisons V8's TimSort makes.
pub fn js_sort<T: Clone>(list: &mut [T], compare: impl FnMut(&T, &T) -> Ordering) {
    if list.len() < 2 {
        return;
    }
    let mut state = TimSort {
        list,
        compare,
        runs: Vec::new(),
        min_gallop: MIN_GALLOP_WINS,
    };
    state.sort();
}

struct TimSort<'a, T, C> {
    list: &'a mut [T],
    compare: C,
    /// Pending runs as (base, length).
    runs: Vec<(usize, usize)>,
    min_gallop: usize,
}

/// The minimum run length for `n` elements: `n` itself below 64, else between 32 and 64.
fn min_run_length(mut n: usize) -> usize {
    let mut low_bit = 0;
    while n >= 64 {
        low_bit |= n & 1;
        n >>= 1;
    }
    n + low_bit
}

impl<T: Clone, C: FnMut(&T, &T) -> Ordering> TimSort<'_, T, C> {
    fn less(&mut self, left: &T, right: &T) -> bool {
        (self.compare)(left, right) == Ordering::Less
    }

    fn sort(&mut self) {
        let mut low = 0;
        let mut remaining = self.list.len();
        let min_run = min_run_length(remaining);
        while remaining != 0 {
            let mut run = self.count_and_make_run(low, low + remaining);
            if run < min_run {
                let forced = min_run.min(remaining);
                self.binary_insertion_sort(low, low + run, low + forced);
                run = forced;
            }
            self.runs.push((low, run));
            self.merge_collapse();
            low += run;
            remaining -= run;
        }
        while self.runs.len() > 1 {
            let mut n = self.runs.len() - 2;
            if n > 0 && self.runs[n - 1].1 < self.runs[n + 1].1 {
                n -= 1;
            }
            self.merge_at(n);
        }
    }

    /// The length of the run starting at `low`: ascending, or strictly descending (reversed).
    fn count_and_make_run(&mut self, low: usize, high: usize) -> usize {
        if low + 1 == high {
            return 1;
        }
        let list = &*self.list;
        let descending = (self.compare)(&list[low + 1], &list[low]) == Ordering::Less;
        let mut length = 2;
        for index in low + 2..high {
            let less = (self.compare)(&list[index], &list[index - 1]) == Ordering::Less;
            if less != descending {
                break;
            }
            length += 1;
        }
        if descending {
            self.list[low..low + length].reverse();
        }
        length
    }

    /// Sorts `low..high`, of which `low..start` is already sorted.
    fn binary_insertion_sort(&mut self, low: usize, start: usize, high: usize) {
        let start = if low == start { start + 1 } else { start };
        for current in start..high {
            let pivot = self.list[current].clone();
            let (mut left, mut right) = (low, current);
            while left < right {
                let middle = left + ((right - left) >> 1);
                let element = self.list[middle].clone();
                if self.less(&pivot, &element) {
                    right = middle;
                } else {
                    left = middle + 1;
                }
            }
            self.list[left..=current].rotate_right(1);
        }
    }

    fn run_invariant_holds(&self, n: usize) -> bool {
        n < 2 || self.runs[n - 2].1 > self.runs[n - 1].1 + self.runs[n].1
    }

    fn merge_collapse(&mut self) {
        while self.runs.len() > 1 {
            let mut n = self.runs.len() - 2;
            if !self.run_invariant_holds(n + 1) || !self.run_invariant_holds(n) {
                if self.runs[n - 1].1 < self.runs[n + 1].1 {
                    n -= 1;
                }
                self.merge_at(n);
            } else if self.runs[n].1 <= self.runs[n + 1].1 {
                self.merge_at(n);
            } else {
                break;
            }
        }
    }

    fn merge_at(&mut self, i: usize) {
        let (mut base_a, mut length_a) = self.runs[i];
        let (base_b, mut length_b) = self.runs[i + 1];
        self.runs[i].1 = length_a + length_b;
        self.runs.remove(i + 1);
        let key = self.list[base_b].clone();
        let list = &*self.list;
        let skipped = gallop_right(&mut self.compare, &key, &list[base_a..base_a + length_a], 0);
        base_a += skipped;
        length_a -= skipped;
        if length_a == 0 {
            return;
        }
        let key = self.list[base_a + length_a - 1].clone();
        let list = &*self.list;
        length_b = gallop_left(
            &mut self.compare,
            &key,
            &list[base_b..base_b + length_b],
            length_b - 1,
        );
        if length_b == 0 {
            return;
        }
        if length_a <= length_b {
            self.merge_low(base_a, length_a, base_b, length_b);
        } else {
            self.merge_high(base_a, length_a, base_b, length_b);
        }
    }
}

/// Where `key` goes in the sorted `run`, left of any equal elements (searched from `hint`).
fn gallop_left<T, C: FnMut(&T, &T) -> Ordering>(
    compare: &mut C,
    key: &T,
    run: &[T],
    hint: usize,
) -> usize {
    let (mut last, mut offset) = (0usize, 1usize);
    let (mut low, mut high);
    if compare(&run[hint], key) == Ordering::Less {
        let max = run.len() - hint;
        while offset < max && compare(&run[hint + offset], key) == Ordering::Less {
            last = offset;
            offset = (offset << 1) + 1;
        }
        offset = offset.min(max);
        low = last + hint + 1;
        high = offset + hint;
    } else {
        let max = hint + 1;
        while offset < max && compare(&run[hint - offset], key) != Ordering::Less {
            last = offset;
            offset = (offset << 1) + 1;
        }
        offset = offset.min(max);
        low = hint + 1 - offset;
        high = hint - last;
    }
    while low < high {
        let middle = low + ((high - low) >> 1);
        if compare(&run[middle], key) == Ordering::Less {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    high
}

/// Where `key` goes in the sorted `run`, right of any equal elements (searched from `hint`).
fn gallop_right<T, C: FnMut(&T, &T) -> Ordering>(
    compare: &mut C,
    key: &T,
    run: &[T],
    hint: usize,
) -> usize {
    let (mut last, mut offset) = (0usize, 1usize);
    let (mut low, mut high);
    if compare(key, &run[hint]) == Ordering::Less {
        let max = hint + 1;
        while offset < max && compare(key, &run[hint - offset]) == Ordering::Less {
            last = offset;
            offset = (offset << 1) + 1;
        }
        offset = offset.min(max);
        low = hint + 1 - offset;
        high = hint - last;
    } else {
        let max = run.len() - hint;
        while offset < max && compare(key, &run[hint + offset]) != Ordering::Less {
            last = offset;
            offset = (offset << 1) + 1;
        }
        offset = offset.min(max);
        low = last + hint + 1;
        high = offset + hint;
    }
    while low < high {
        let middle = low + ((high - low) >> 1);
        if compare(key, &run[middle]) == Ordering::Less {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    high
}

mod merge;

#[cfg(test)]
mod tests;
