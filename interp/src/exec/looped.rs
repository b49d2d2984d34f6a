//! The portable dispatch backend: one loop around one `match` on the op. Used
//! where the threaded backend's tail calls are not guaranteed (unoptimised
//! builds, other targets, or `WISP_DISPATCH=loop` / no `threaded` feature).

use super::divide;
use super::numeric::{self, FloatSlot, f32_ops, f64_ops, i32_bits, i64_bits, le};
use super::{Break, Cx, Regs, Stop, TrapCode, halt, step};
use crate::bytecode::Op;

/// Runs ops from `r` until one stops the run.
pub(super) fn run(cx: &mut Cx<'_>, mut r: Regs) -> Break {
    macro_rules! expand {
        ($( $name:ident $fields:tt => $body:expr, )*) => {
            loop {
                let op = r.ip.get();
                #[cfg(feature = "op-stats")]
                super::stats::record(&op);
                r.ip = r.ip.next();
                let flow = match op {
                    $( Op::$name $fields => step($body, &mut r, cx), )*
                };
                if let Err(stop) = flow {
                    return halt(cx, r.ip, r.sp.ptr(), stop, r.lp, r.sp.tos());
                }
            }
        };
    }
    #[cfg(feature = "op-stats")]
    super::stats::run_started();
    with_ops!(expand)
}
