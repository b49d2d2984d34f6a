//! Dynamic op statistics, built only with the `op-stats` feature (which also
//! selects the loop backend): how often each op ran and how often each op ran
//! right after another, the data the choice of fused ops and of registers is
//! made from (`scripts/op-stats.py` merges and ranks the dumps; `wisp run`
//! writes one when `WISP_OP_STATS=<file>` is set), and per op its reads of
//! slots the ops just before it stored (`stack::forwarding`). Counts are per
//! thread.

use crate::bytecode::Op;
use std::cell::RefCell;
use std::io::Write;

use super::threaded::{OPS, index};

/// The op names by number.
const NAMES: [&str; OPS] = Op::NAMES;

/// The "previous op" of the first op of a run.
const START: usize = OPS;

struct Counts {
    ops: Vec<u64>,
    /// `pairs[prev * (OPS + 1) + op]`; `prev` may be `START`.
    pairs: Vec<u64>,
    prev: usize,
}

thread_local! {
    static COUNTS: RefCell<Counts> = RefCell::new(Counts {
        ops: vec![0; OPS],
        pairs: vec![0; (OPS + 1) * (OPS + 1)],
        prev: START,
    });
}

/// Counts one executed op.
#[inline]
pub(super) fn record(op: &Op) {
    let i = index(op);
    crate::stack::forwarding::op_started(i, OPS);
    COUNTS.with(|c| {
        let mut c = c.borrow_mut();
        c.ops[i] += 1;
        let p = c.prev;
        c.pairs[p * (OPS + 1) + i] += 1;
        c.prev = i;
    });
}

/// Marks the start of a run: the next op has no predecessor.
pub(super) fn run_started() {
    crate::stack::forwarding::run_started();
    COUNTS.with(|c| c.borrow_mut().prev = START);
}

/// Writes this thread's counts as tab-separated lines, `op NAME COUNT` and
/// `pair FIRST SECOND COUNT` (`-` for the start of a run), and `fwd NAME`
/// with an op's six `stack::forwarding::Row` counts; nonzero counts only. Resets them.
pub fn dump_op_stats(out: &mut dyn Write) -> std::io::Result<()> {
    COUNTS.with(|c| {
        let mut c = c.borrow_mut();
        for (i, &n) in c.ops.iter().enumerate() {
            if n != 0 {
                writeln!(out, "op\t{}\t{n}", NAMES[i])?;
            }
        }
        for (k, &n) in c.pairs.iter().enumerate() {
            if n != 0 {
                let (p, i) = (k / (OPS + 1), k % (OPS + 1));
                let first = if p == START { "-" } else { NAMES[p] };
                writeln!(out, "pair\t{first}\t{}\t{n}", NAMES[i])?;
            }
        }
        for (i, row) in crate::stack::forwarding::take().iter().enumerate() {
            if row.iter().any(|&n| n != 0) {
                let [l1, l2, s1, s2, l, s] = row;
                writeln!(out, "fwd\t{}\t{l1}\t{l2}\t{s1}\t{s2}\t{l}\t{s}", NAMES[i])?;
            }
        }
        c.ops.fill(0);
        c.pairs.fill(0);
        c.prev = START;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use crate::{Linker, Module, Store};

    #[test]
    fn counts_each_executed_op_and_pair() {
        let wasm = wat::parse_str(
            r#"(module (func (export "f") (param i32) (result i32)
                (loop
                  (br_if 0 (local.tee 0 (i32.add (local.get 0) (i32.const -1)))))
                (local.get 0)))"#,
        )
        .unwrap();
        let m = Module::new(&wasm).unwrap();
        let mut store = Store::new(());
        let i = Linker::new().instantiate(&mut store, &m).unwrap();
        let f = i.get_typed_func::<i32, i32>(&store, "f").unwrap();
        super::dump_op_stats(&mut std::io::sink()).unwrap(); // start from zero
        assert_eq!(f.call(&mut store, 5).unwrap(), 0);
        let mut out = Vec::new();
        super::dump_op_stats(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        // The loop is one fused op run five times, then the result's read.
        assert!(text.contains("op\tBrNezAddLC\t5\n"), "{text}");
        assert!(text.contains("pair\t-\tBrNezAddLC\t1\n"), "{text}");
        assert!(text.contains("pair\tBrNezAddLC\tBrNezAddLC\t4\n"), "{text}");
        // Each pass after the first reads local 0, which the pass before
        // stored; so does the read of the result.
        assert!(
            text.contains("fwd\tBrNezAddLC\t4\t0\t0\t0\t5\t0\n"),
            "{text}"
        );
        assert!(text.contains("fwd\tReturn1L\t1\t0\t0\t0\t1\t0\n"), "{text}");
        // Dumping resets the counts.
        let mut again = Vec::new();
        super::dump_op_stats(&mut again).unwrap();
        assert!(again.is_empty());
    }
}
