//! Dynamic op statistics, built only with the `op-stats` feature (which also
//! selects the loop backend): how often each op ran and how often each op ran
//! right after another, the data the choice of fused ops and of registers is
//! made from (`scripts/op-stats.py` merges and ranks the dumps; `wisp run`
//! writes one when `WISP_OP_STATS=<file>` is set). Counts are per thread.

use crate::bytecode::Op;
use std::cell::RefCell;
use std::io::Write;

macro_rules! expand {
    ($( $name:ident $fields:tt => $body:expr, )*) => {
        /// Op numbers, in the order of `Op`'s variants.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Copy, Clone)]
        enum Idx {
            $( $name, )*
        }

        /// The number of `op`'s variant.
        fn index(op: &Op) -> usize {
            match op {
                $( Op::$name { .. } => Idx::$name as usize, )*
            }
        }

        /// The op names by number.
        const NAMES: &[&str] = &[$( stringify!($name), )*];
    };
}
with_ops!(expand);

/// The number of ops.
const OPS: usize = NAMES.len();
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
    COUNTS.with(|c| c.borrow_mut().prev = START);
}

/// Writes this thread's counts as tab-separated lines, `op NAME COUNT` and
/// `pair FIRST SECOND COUNT` (`-` for the start of a run), nonzero counts
/// only, and resets them.
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
        c.ops.fill(0);
        c.pairs.fill(0);
        c.prev = START;
        Ok(())
    })
}
