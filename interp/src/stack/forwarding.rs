//! Slot-forwarding statistics, built only with the `op-stats` feature: how
//! often an op reads a value-stack slot (a local, or an operand below the
//! cached top) that one of the two ops just before it stored. Such a read
//! waits for that store (store-to-load forwarding) where a value left in a
//! register would not, so the counts say which values are worth keeping in
//! registers across ops (docs/design.md, "Where wasmi still wins").
//!
//! Approximate in two ways: only the last `RING` slot stores are remembered,
//! and the bulk moves of slots (a branch's or a return's `drop_keep`, a
//! call's zeroing) count as neither stores nor reads. Counts are per thread;
//! `exec::stats` marks each op and writes the counts out.

use std::cell::RefCell;

/// Slot stores remembered.
const RING: usize = 16;

/// One op's reads: of locals the op before stored, of locals the op before
/// that stored, the same two for operand slots, then all its local reads and
/// all its operand-slot reads.
pub(crate) type Row = [u64; 6];

struct Tracker {
    /// The running op's number in the sequence of executed ops.
    seq: u64,
    /// The running op's handler number (its row).
    op: usize,
    /// The last stores: slot address and the `seq` of the op that made it.
    stores: [(usize, u64); RING],
    next: usize,
    rows: Vec<Row>,
}

thread_local! {
    static TRACKER: RefCell<Tracker> = const {
        RefCell::new(Tracker {
            seq: 0,
            op: 0,
            stores: [(0, 0); RING],
            next: 0,
            rows: Vec::new(),
        })
    };
}

/// Op `op` (of `ops` kinds) starts.
pub(crate) fn op_started(op: usize, ops: usize) {
    TRACKER.with(|t| {
        let mut t = t.borrow_mut();
        t.seq += 1;
        t.op = op;
        if t.rows.len() < ops {
            t.rows.resize(ops, [0; 6]);
        }
    });
}

/// A run starts: no store before it counts as its first ops' predecessors'.
pub(crate) fn run_started() {
    TRACKER.with(|t| t.borrow_mut().seq += 3);
}

/// The running op stores a slot.
pub(crate) fn stored(slot: *const u64) {
    TRACKER.with(|t| {
        let mut t = t.borrow_mut();
        let (at, seq) = (t.next % RING, t.seq);
        t.stores[at] = (slot as usize, seq);
        t.next += 1;
    });
}

/// The running op reads a slot (`operand`: an operand slot, else a local).
pub(crate) fn read(slot: *const u64, operand: bool) {
    TRACKER.with(|t| {
        let mut t = t.borrow_mut();
        let last = t
            .stores
            .iter()
            .filter(|s| s.0 == slot as usize)
            .map(|s| s.1)
            .max();
        let (seq, op) = (t.seq, t.op);
        let Some(row) = t.rows.get_mut(op) else {
            return;
        };
        let o = if operand { 2 } else { 0 };
        row[4 + o / 2] += 1;
        match last.map(|s| seq - s) {
            Some(1) => row[o] += 1,
            Some(2) => row[o + 1] += 1,
            _ => {}
        }
    });
}

/// This thread's rows, by handler number (empty when nothing ran), reset.
pub(crate) fn take() -> Vec<Row> {
    TRACKER.with(|t| {
        let mut t = t.borrow_mut();
        t.stores = [(0, 0); RING];
        core::mem::take(&mut t.rows)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_count_by_how_many_ops_ago_the_slot_was_stored() {
        let _ = take();
        let slots = [0u64; 3];
        let (a, b, c) = (
            &slots[0] as *const u64,
            &slots[1] as *const u64,
            &slots[2] as *const u64,
        );
        op_started(1, 8);
        stored(a);
        stored(b);
        read(a, false); // stored by this op: counts as a read only
        op_started(2, 8);
        read(a, false); // the op before
        read(b, true);
        op_started(3, 8);
        read(a, false); // two ops before
        read(c, true); // never stored
        op_started(4, 8);
        read(b, true); // three ops before: too far
        run_started();
        op_started(5, 8);
        stored(c);
        run_started();
        op_started(6, 8);
        read(c, true); // stored before the run started
        let rows = take();
        assert_eq!(rows[1], [0, 0, 0, 0, 1, 0]);
        assert_eq!(rows[2], [1, 0, 1, 0, 1, 1]);
        assert_eq!(rows[3], [0, 1, 0, 0, 1, 1]);
        assert_eq!(rows[4], [0, 0, 0, 0, 0, 1]);
        assert_eq!(rows[6], [0, 0, 0, 0, 0, 1]);
        assert!(take().is_empty(), "taking resets");
    }
}
