//! TimSort's two merges of adjacent runs as V8 writes them: from the left when the first run is
//! the shorter (`merge_low`), from the right otherwise (`merge_high`), each switching to
//! galloping after [`MIN_GALLOP_WINS`] wins in a row.

use std::cmp::Ordering;

use super::{MIN_GALLOP_WINS, TimSort, gallop_left, gallop_right};

impl<T: Clone, C: FnMut(&T, &T) -> Ordering> TimSort<'_, T, C> {
    /// Merges run A (the shorter, copied aside) into run B from the left.
    pub(super) fn merge_low(
        &mut self,
        base_a: usize,
        mut length_a: usize,
        base_b: usize,
        mut length_b: usize,
    ) {
        let temp: Vec<T> = self.list[base_a..base_a + length_a].to_vec();
        let (mut dest, mut cursor_temp, mut cursor_b) = (base_a, 0, base_b);
        self.list[dest] = self.list[cursor_b].clone();
        dest += 1;
        cursor_b += 1;
        length_b -= 1;
        // Ok(()) ends in "Succeed", Err(()) in "CopyB".
        let outcome: Result<(), ()> = 'merge: {
            if length_b == 0 {
                break 'merge Ok(());
            }
            if length_a == 1 {
                break 'merge Err(());
            }
            let mut min_gallop = self.min_gallop;
            loop {
                let (mut wins_a, mut wins_b) = (0, 0);
                loop {
                    let (b, a) = (self.list[cursor_b].clone(), temp[cursor_temp].clone());
                    if self.less(&b, &a) {
                        self.list[dest] = b;
                        dest += 1;
                        cursor_b += 1;
                        wins_b += 1;
                        length_b -= 1;
                        wins_a = 0;
                        if length_b == 0 {
                            break 'merge Ok(());
                        }
                        if wins_b >= min_gallop {
                            break;
                        }
                    } else {
                        self.list[dest] = a;
                        dest += 1;
                        cursor_temp += 1;
                        wins_a += 1;
                        length_a -= 1;
                        wins_b = 0;
                        if length_a == 1 {
                            break 'merge Err(());
                        }
                        if wins_a >= min_gallop {
                            break;
                        }
                    }
                }
                min_gallop += 1;
                let mut first = true;
                while wins_a >= MIN_GALLOP_WINS || wins_b >= MIN_GALLOP_WINS || first {
                    first = false;
                    min_gallop = min_gallop.saturating_sub(1).max(1);
                    self.min_gallop = min_gallop;
                    let key = self.list[cursor_b].clone();
                    wins_a = gallop_right(
                        &mut self.compare,
                        &key,
                        &temp[cursor_temp..cursor_temp + length_a],
                        0,
                    );
                    if wins_a > 0 {
                        self.list[dest..dest + wins_a]
                            .clone_from_slice(&temp[cursor_temp..cursor_temp + wins_a]);
                        dest += wins_a;
                        cursor_temp += wins_a;
                        length_a -= wins_a;
                        if length_a == 1 {
                            break 'merge Err(());
                        }
                        if length_a == 0 {
                            break 'merge Ok(());
                        }
                    }
                    self.list[dest] = self.list[cursor_b].clone();
                    dest += 1;
                    cursor_b += 1;
                    length_b -= 1;
                    if length_b == 0 {
                        break 'merge Ok(());
                    }
                    let key = temp[cursor_temp].clone();
                    let list = &*self.list;
                    wins_b = gallop_left(
                        &mut self.compare,
                        &key,
                        &list[cursor_b..cursor_b + length_b],
                        0,
                    );
                    if wins_b > 0 {
                        self.list.copy_within_clone(cursor_b, dest, wins_b);
                        dest += wins_b;
                        cursor_b += wins_b;
                        length_b -= wins_b;
                        if length_b == 0 {
                            break 'merge Ok(());
                        }
                    }
                    self.list[dest] = temp[cursor_temp].clone();
                    dest += 1;
                    cursor_temp += 1;
                    length_a -= 1;
                    if length_a == 1 {
                        break 'merge Err(());
                    }
                }
                min_gallop += 1;
                self.min_gallop = min_gallop;
            }
        };
        match outcome {
            Ok(()) => {
                self.list[dest..dest + length_a]
                    .clone_from_slice(&temp[cursor_temp..cursor_temp + length_a]);
            }
            Err(()) => {
                // The last element of A belongs at the end of the merge.
                self.list.copy_within_clone(cursor_b, dest, length_b);
                self.list[dest + length_b] = temp[cursor_temp].clone();
            }
        }
    }

    /// Merges run B (the shorter, copied aside) into run A from the right.
    pub(super) fn merge_high(
        &mut self,
        base_a: usize,
        mut length_a: usize,
        base_b: usize,
        mut length_b: usize,
    ) {
        let temp: Vec<T> = self.list[base_b..base_b + length_b].to_vec();
        // Cursors may step one below 0, so they are signed.
        let mut dest = (base_b + length_b - 1) as isize;
        let mut cursor_temp = length_b as isize - 1;
        let mut cursor_a = (base_a + length_a - 1) as isize;
        let at = |index: isize| index as usize;
        self.list[at(dest)] = self.list[at(cursor_a)].clone();
        dest -= 1;
        cursor_a -= 1;
        length_a -= 1;
        // Ok(()) ends in "Succeed", Err(()) in "CopyA".
        let outcome: Result<(), ()> = 'merge: {
            if length_a == 0 {
                break 'merge Ok(());
            }
            if length_b == 1 {
                break 'merge Err(());
            }
            let mut min_gallop = self.min_gallop;
            loop {
                let (mut wins_a, mut wins_b) = (0, 0);
                loop {
                    let (b, a) = (
                        temp[at(cursor_temp)].clone(),
                        self.list[at(cursor_a)].clone(),
                    );
                    if self.less(&b, &a) {
                        self.list[at(dest)] = a;
                        dest -= 1;
                        cursor_a -= 1;
                        wins_a += 1;
                        length_a -= 1;
                        wins_b = 0;
                        if length_a == 0 {
                            break 'merge Ok(());
                        }
                        if wins_a >= min_gallop {
                            break;
                        }
                    } else {
                        self.list[at(dest)] = b;
                        dest -= 1;
                        cursor_temp -= 1;
                        wins_b += 1;
                        length_b -= 1;
                        wins_a = 0;
                        if length_b == 1 {
                            break 'merge Err(());
                        }
                        if wins_b >= min_gallop {
                            break;
                        }
                    }
                }
                min_gallop += 1;
                let mut first = true;
                while wins_a >= MIN_GALLOP_WINS || wins_b >= MIN_GALLOP_WINS || first {
                    first = false;
                    min_gallop = min_gallop.saturating_sub(1).max(1);
                    self.min_gallop = min_gallop;
                    let key = temp[at(cursor_temp)].clone();
                    let list = &*self.list;
                    let k = gallop_right(
                        &mut self.compare,
                        &key,
                        &list[base_a..base_a + length_a],
                        length_a - 1,
                    );
                    wins_a = length_a - k;
                    if wins_a > 0 {
                        dest -= wins_a as isize;
                        cursor_a -= wins_a as isize;
                        self.list
                            .copy_within_clone(at(cursor_a + 1), at(dest + 1), wins_a);
                        length_a -= wins_a;
                        if length_a == 0 {
                            break 'merge Ok(());
                        }
                    }
                    self.list[at(dest)] = temp[at(cursor_temp)].clone();
                    dest -= 1;
                    cursor_temp -= 1;
                    length_b -= 1;
                    if length_b == 1 {
                        break 'merge Err(());
                    }
                    let key = self.list[at(cursor_a)].clone();
                    let k = gallop_left(&mut self.compare, &key, &temp[..length_b], length_b - 1);
                    wins_b = length_b - k;
                    if wins_b > 0 {
                        dest -= wins_b as isize;
                        cursor_temp -= wins_b as isize;
                        let from = at(cursor_temp + 1);
                        self.list[at(dest + 1)..at(dest + 1) + wins_b]
                            .clone_from_slice(&temp[from..from + wins_b]);
                        length_b -= wins_b;
                        if length_b == 1 {
                            break 'merge Err(());
                        }
                        if length_b == 0 {
                            break 'merge Ok(());
                        }
                    }
                    self.list[at(dest)] = self.list[at(cursor_a)].clone();
                    dest -= 1;
                    cursor_a -= 1;
                    length_a -= 1;
                    if length_a == 0 {
                        break 'merge Ok(());
                    }
                }
                min_gallop += 1;
                self.min_gallop = min_gallop;
            }
        };
        match outcome {
            Ok(()) => {
                if length_b > 0 {
                    let to = at(dest) + 1 - length_b;
                    self.list[to..to + length_b].clone_from_slice(&temp[..length_b]);
                }
            }
            Err(()) => {
                // The first element of B belongs at the front of the merge.
                dest -= length_a as isize;
                cursor_a -= length_a as isize;
                self.list
                    .copy_within_clone(at(cursor_a + 1), at(dest + 1), length_a);
                self.list[at(dest)] = temp[at(cursor_temp)].clone();
            }
        }
    }
}

/// `copy_within` for elements that are `Clone` only (overlapping ranges allowed).
trait CopyWithinClone {
    fn copy_within_clone(&mut self, from: usize, to: usize, count: usize);
}

impl<T: Clone> CopyWithinClone for [T] {
    fn copy_within_clone(&mut self, from: usize, to: usize, count: usize) {
        if from == to || count == 0 {
            return;
        }
        if to < from {
            for offset in 0..count {
                self[to + offset] = self[from + offset].clone();
            }
        } else {
            for offset in (0..count).rev() {
                self[to + offset] = self[from + offset].clone();
            }
        }
    }
}
