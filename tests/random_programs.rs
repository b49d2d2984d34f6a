//! Random structured programs run on wisp and on wasmi must agree. They mix
//! what the translator rewrites hardest: nested blocks with and without a
//! result, loops tested at the top and at the bottom, `br`, `br_if` and
//! `br_table` carrying values over dropped ones, `if`/`else`, `select`,
//! locals (`tee`, copies, steps), memory loads and stores, and f32/f64
//! expressions (chains of arithmetic with locals and constants, conversions,
//! float-carrying blocks left early, comparisons and saturating truncations
//! back to i32); so fusion, jump threading, loop rotation, the float
//! registers and the `br_table` entries all meet real control flow. Every loop burns a shared fuel counter, so every program
//! ends.

use proptest::prelude::*;
use wisp::interp::{Linker, Module, Store};

/// A small deterministic generator (xorshift), so a failing case is its seed.
struct Gen {
    state: u64,
    /// Labels in scope, innermost last.
    labels: Vec<Label>,
    text: String,
}

#[derive(Clone, Copy)]
struct Label {
    /// A block carrying an i32 to its end (loops carry nothing).
    value: bool,
    /// Whether the generated forward branches may target it: not a loop,
    /// nor a block carrying a float (their own `br_if` is the only way out).
    forward: bool,
}

const BLOCK: Label = Label {
    value: false,
    forward: true,
};
const VALUE_BLOCK: Label = Label {
    value: true,
    forward: true,
};
const LOOP: Label = Label {
    value: false,
    forward: false,
};
const FLOAT_BLOCK: Label = Label {
    value: false,
    forward: false,
};

/// Locals 0 and 1 are the parameters; 2..=6 are scratch i32s; 7 is the fuel.
const SCRATCH: u32 = 7;
const FUEL: u32 = 7;
/// Local 10 flips to let a loop run again once (8 and 9 hash the memory).
const FLIP: u32 = 10;
/// The float scratch locals: one f64, one f32.
const F64_LOCAL: u32 = 11;
const F32_LOCAL: u32 = 12;
/// An i32 that only ever holds an address in bounds (a multiple of 16 below
/// 1024): float loads take it as their address, alone or plus a constant.
const ADDR: u32 = 13;

/// A float type of the generated code.
#[derive(Clone, Copy)]
enum Float {
    F64,
    F32,
}

impl Float {
    fn name(self) -> &'static str {
        match self {
            Float::F64 => "f64",
            Float::F32 => "f32",
        }
    }

    fn local(self) -> u32 {
        match self {
            Float::F64 => F64_LOCAL,
            Float::F32 => F32_LOCAL,
        }
    }
}

impl Gen {
    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn local(&mut self) -> u32 {
        self.below(SCRATCH as u64) as u32
    }

    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push(' ');
    }

    /// An i32 expression.
    fn expr(&mut self, depth: u32) {
        let leaf = depth == 0 || self.below(3) == 0;
        if leaf {
            if self.below(3) == 0 {
                let c = self.below(40) as i64 - 8;
                self.push(&format!("(i32.const {c})"));
            } else {
                let l = self.local();
                self.push(&format!("(local.get {l})"));
            }
            return;
        }
        match self.below(10) {
            0..=3 if self.below(6) == 0 => {
                // division by a constant (the translator multiplies): both
                // widths, both signs, divisors of every size; never 0 or -1,
                // so nothing traps
                const DIVISORS: [i64; 12] = [
                    2,
                    3,
                    7,
                    10,
                    -10,
                    1000,
                    -65_537,
                    1 << 20,
                    1_000_000_007,
                    -2_147_483_647,
                    10_000_000_000,
                    -(1 << 40),
                ];
                const OPS: [&str; 4] = ["div_u", "rem_u", "div_s", "rem_s"];
                let op = OPS[self.below(4) as usize];
                let d = DIVISORS[self.below(12) as usize];
                if self.below(2) == 0 {
                    self.push(&format!("(i32.{op}"));
                    self.expr(depth - 1);
                    let d = match d as i32 {
                        0 | -1 => 3,
                        d => d,
                    };
                    self.push(&format!("(i32.const {d}))"));
                } else {
                    let ext = if op.ends_with('s') { "s" } else { "u" };
                    self.push(&format!("(i32.wrap_i64 (i64.{op} (i64.extend_i32_{ext}"));
                    self.expr(depth - 1);
                    self.push(&format!(") (i64.const {d})))"));
                }
            }
            0..=3 => {
                const OPS: [&str; 16] = [
                    "add", "sub", "mul", "and", "or", "xor", "shl", "shr_u", "shr_s", "rotl",
                    "lt_u", "ge_s", "eq", "ne", "gt_u", "le_s",
                ];
                let op = OPS[self.below(OPS.len() as u64) as usize];
                self.push(&format!("(i32.{op}"));
                self.expr(depth - 1);
                self.expr(depth - 1);
                self.push(")");
            }
            4 => {
                self.push("(i32.eqz");
                self.expr(depth - 1);
                self.push(")");
            }
            5 => {
                let l = self.local();
                self.push(&format!("(local.tee {l}"));
                self.expr(depth - 1);
                self.push(")");
            }
            6 => {
                // The condition is masked: wasmi 2.0.0 miscompiles `select`
                // whose condition is an `i32.eqz` (it picks the first operand
                // where the second is due; wisp and Node agree on the
                // spec's answer, see `exec::tests`), and an oracle must be right.
                self.push("(select");
                self.expr(depth - 1);
                self.expr(depth - 1);
                self.push("(i32.and (i32.const 3)");
                self.expr(depth - 1);
                self.push("))");
            }
            7 => {
                const LOADS: [&str; 4] = ["i32.load", "i32.load8_u", "i32.load16_s", "i32.load8_s"];
                let op = LOADS[self.below(4) as usize];
                let offset = self.below(3) * 4;
                if self.below(3) == 0 {
                    // a constant address (a global variable's read)
                    let c = self.below(1021);
                    self.push(&format!("({op} offset={offset} (i32.const {c}))"));
                } else {
                    self.push(&format!("({op} offset={offset} (i32.and (i32.const 1020)"));
                    self.expr(depth - 1);
                    self.push("))");
                }
            }
            8 => {
                // a float value back in i32: a comparison (false on NaN) or a
                // saturating truncation (NaN is 0), both exact whatever
                // bits a NaN has
                let t = if self.below(2) == 0 {
                    Float::F64
                } else {
                    Float::F32
                };
                let n = t.name();
                if self.below(2) == 0 {
                    const CMPS: [&str; 4] = ["lt", "ge", "eq", "ne"];
                    let op = CMPS[self.below(4) as usize];
                    self.push(&format!("({n}.{op}"));
                    self.fexpr(t, depth - 1);
                    self.fexpr(t, depth - 1);
                    self.push(")");
                } else {
                    self.push(&format!("(i32.trunc_sat_{n}_s"));
                    self.fexpr(t, depth - 1);
                    self.push(")");
                }
            }
            _ => {
                // a value-carrying block, maybe left early by a branch
                self.labels.push(VALUE_BLOCK);
                self.push("(block (result i32)");
                self.stmts(depth - 1, 2);
                self.expr(depth - 1);
                self.push(")");
                self.labels.pop();
            }
        }
    }

    /// A float expression of type `t`: chains of arithmetic whose other
    /// operand is often a constant or the local (the fused and `X` forms),
    /// conversions, tees, loads, `select` and a block carrying a float that a
    /// branch may leave early (a join no float register may cross).
    fn fexpr(&mut self, t: Float, depth: u32) {
        let n = t.name();
        let leaf = depth == 0 || self.below(4) == 0;
        if leaf {
            match self.below(3) {
                0 => {
                    const C: [&str; 6] = ["0.5", "-3", "1e10", "-0", "0.1", "7"];
                    let c = C[self.below(6) as usize];
                    self.push(&format!("({n}.const {c})"));
                }
                1 => self.push(&format!("(local.get {})", t.local())),
                _ => {
                    let l = self.local();
                    self.push(&format!("({n}.convert_i32_s (local.get {l}))"));
                }
            }
            return;
        }
        match self.below(10) {
            0..=4 => {
                const OPS: [&str; 4] = ["add", "sub", "mul", "div"];
                let op = OPS[self.below(4) as usize];
                self.push(&format!("({n}.{op}"));
                self.fexpr(t, depth - 1);
                // the other operand a leaf more often than not
                let right = if self.below(3) == 0 { depth - 1 } else { 0 };
                self.fexpr(t, right);
                self.push(")");
            }
            5 => {
                self.push(&format!("(local.tee {}", t.local()));
                self.fexpr(t, depth - 1);
                self.push(")");
            }
            6 => {
                let (conv, from) = match t {
                    Float::F64 => ("f64.promote_f32", Float::F32),
                    Float::F32 => ("f32.demote_f64", Float::F64),
                };
                self.push(&format!("({conv}"));
                self.fexpr(from, depth - 1);
                self.push(")");
            }
            7 => {
                let offset = self.below(3) * 8;
                match self.below(5) {
                    0 => {
                        self.push(&format!(
                            "({n}.load offset={offset} (i32.and (i32.const 1008)"
                        ));
                        self.expr(depth - 1);
                        self.push("))");
                    }
                    1 => {
                        self.push(&format!(
                            "({n}.load offset={offset} (local.tee {ADDR} (i32.and (i32.const 1008)"
                        ));
                        self.expr(depth - 1);
                        self.push(")))");
                    }
                    2 => self.push(&format!("({n}.load offset={offset} (local.get {ADDR}))")),
                    3 => {
                        let c = self.below(1009);
                        self.push(&format!("({n}.load offset={offset} (i32.const {c}))"));
                    }
                    _ => {
                        let c = self.below(6) * 4;
                        self.push(&format!(
                            "({n}.load offset={offset} (i32.add (local.get {ADDR}) (i32.const {c})))"
                        ));
                    }
                }
            }
            8 => {
                self.push("(select");
                self.fexpr(t, depth - 1);
                self.fexpr(t, depth - 1);
                self.push("(i32.and (i32.const 1)");
                self.expr(depth - 1);
                self.push("))");
            }
            _ => {
                // the branch carries one float, the fall-through another,
                // and the op after the block reads whichever came
                self.labels.push(FLOAT_BLOCK);
                self.push(&format!("({n}.mul (block (result {n}) (br_if 0"));
                self.fexpr(t, depth - 1);
                self.push("(i32.and (i32.const 1)");
                self.expr(depth - 1);
                self.push(")) (drop)");
                self.fexpr(t, depth - 1);
                self.push(&format!(") ({n}.const 3))"));
                self.labels.pop();
            }
        }
    }

    /// The relative depth of a random enclosing label that forward branches
    /// may target and that carries a value exactly when `value` says so, if
    /// there is one.
    fn forward_label(&mut self, value: Option<bool>) -> Option<(usize, bool)> {
        let fits: Vec<(usize, bool)> = self
            .labels
            .iter()
            .rev()
            .enumerate()
            .filter(|(_, l)| l.forward && value.is_none_or(|v| v == l.value))
            .map(|(d, l)| (d, l.value))
            .collect();
        if fits.is_empty() {
            return None;
        }
        Some(fits[self.below(fits.len() as u64) as usize])
    }

    fn stmts(&mut self, depth: u32, max: u64) {
        for _ in 0..self.below(max + 1) {
            self.stmt(depth);
        }
    }

    fn stmt(&mut self, depth: u32) {
        let choice = if depth == 0 { 0 } else { self.below(16) };
        match choice {
            0..=2 => {
                let l = self.local();
                self.push(&format!("(local.set {l}"));
                self.expr(depth.min(2));
                self.push(")");
            }
            3 => {
                self.push("(i32.store (i32.and (i32.const 1020)");
                self.expr(1);
                self.push(")");
                self.expr(depth.min(2));
                self.push(")");
            }
            4 => {
                self.push("(if");
                self.expr(1);
                self.labels.push(BLOCK);
                self.push("(then");
                self.stmts(depth - 1, 2);
                self.push(") (else");
                self.stmts(depth - 1, 2);
                self.push("))");
                self.labels.pop();
            }
            5 => {
                self.labels.push(BLOCK);
                self.push("(block");
                self.stmts(depth - 1, 3);
                self.push(")");
                self.labels.pop();
            }
            6 => {
                // a loop tested at its top: block { loop { br_if exit; body; br loop } }
                self.labels.push(BLOCK);
                self.labels.push(LOOP);
                self.push(&format!(
                    "(block (loop (br_if 1 (i32.le_s (local.tee {FUEL} (i32.sub (local.get {FUEL}) (i32.const 1))) (i32.const 0)))"
                ));
                self.push("(br_if 1");
                self.expr(1);
                self.push(")");
                self.stmts(depth - 1, 3);
                let l = self.local();
                let k = self.below(3) + 1;
                self.push(&format!(
                    "(local.set {l} (i32.add (local.get {l}) (i32.const {k}))) (br 0)))"
                ));
                self.labels.pop();
                self.labels.pop();
            }
            7 => {
                // a loop tested at its bottom
                self.labels.push(LOOP);
                self.push("(loop");
                self.stmts(depth - 1, 3);
                self.push(&format!(
                    "(br_if 0 (i32.and (i32.gt_s (local.tee {FUEL} (i32.sub (local.get {FUEL}) (i32.const 1))) (i32.const 0)) (i32.ne (i32.const 0)"
                ));
                self.expr(1);
                self.push("))))");
                self.labels.pop();
            }
            8 => {
                // br_if to an enclosing block, carrying a value if it takes one
                let Some((d, value)) = self.forward_label(None) else {
                    return;
                };
                if value {
                    self.push(&format!("(drop (br_if {d}"));
                    self.expr(1);
                    self.expr(1);
                    self.push("))");
                } else {
                    self.push(&format!("(br_if {d}"));
                    self.expr(1);
                    self.push(")");
                }
            }
            9 => {
                // br_table over enclosing blocks of one kind, inside its own
                // block so that the code after it stays reachable
                self.labels.push(BLOCK);
                self.push("(block");
                let value = self.below(2) == 0;
                let mut targets = Vec::new();
                for _ in 0..self.below(5) + 1 {
                    if let Some((d, _)) = self.forward_label(Some(value)) {
                        targets.push(d);
                    }
                }
                if targets.is_empty() {
                    self.push(")");
                    self.labels.pop();
                    return;
                }
                let list: Vec<String> = targets.iter().map(|d| d.to_string()).collect();
                self.push(&format!("(br_table {}", list.join(" ")));
                if value {
                    self.expr(1);
                }
                self.push("(i32.and (i32.const 7)");
                self.expr(1);
                self.push(")))");
                self.labels.pop();
            }
            10 => {
                // a copy and a step, the pairs the translator fuses
                let (a, b) = (self.local(), self.local());
                self.push(&format!(
                    "(local.set {a} (local.get {b})) (local.set {b} (i32.add (local.get {b}) (i32.const 1)))"
                ));
            }
            12 => {
                // a constant stored at the sum of two locals (one op after
                // fusion), the sum first brought below 1000 by an `if` whose
                // end is a jump target at the address's add
                let (a, b) = (self.local(), self.local());
                self.push(&format!(
                    "(if (i32.ge_u (i32.add (local.get {a}) (local.get {b})) (i32.const 1000)) (then (local.set {a} (i32.const 0)) (local.set {b} (i32.const 0))))"
                ));
                const STORES: [&str; 3] = ["i32.store", "i32.store8", "i32.store16"];
                let op = STORES[self.below(3) as usize];
                let offset = self.below(3) * 4;
                let c = self.below(1000) as i64 - 500;
                if self.below(4) == 0 {
                    // a constant stored at the address local (i32 of every
                    // width, or an i64 in or out of an i32's range), now and
                    // then with a branch target between the two
                    let (op, c) = match self.below(3) {
                        0 => ("i64.store", "i64.const -3"),
                        1 => ("i64.store", "i64.const 0x123456789"),
                        _ => (op, "i32.const 77"),
                    };
                    let value = if self.below(3) == 0 {
                        format!("(loop (result {}) ({c}))", &op[..3])
                    } else {
                        format!("({c})")
                    };
                    self.push(&format!(
                        "({op} offset={offset} (local.get {ADDR}) {value})"
                    ));
                    return;
                }
                if self.below(4) == 0 {
                    // the constant at the head of a loop that a branch
                    // re-enters (with another address) at most once, so the
                    // add stays apart from the store
                    let l = self.local();
                    self.push(&format!(
                        "(i32.add (local.get {a}) (local.get {b})) (loop (param i32) ({op} offset={offset} (i32.const {c}))\n\
                         (br_if 0 (i32.and (i32.const 1020) (local.get {l})) (i32.eqz (local.tee {FLIP} (i32.xor (local.get {FLIP}) (i32.const 1))))) (drop))"
                    ));
                    return;
                }
                self.push(&format!(
                    "({op} offset={offset} (i32.add (local.get {a}) (local.get {b}))"
                ));
                match self.below(3) {
                    0 => self.push(&format!("(i32.const {c}))")),
                    // the constant at a loop's head: a label between it and the add
                    1 => self.push(&format!("(loop (result i32) (i32.const {c})))")),
                    // the store at a block's end, which a branch targets
                    _ => {
                        let l = self.local();
                        self.push(&format!(
                            "(block (result i32) (br_if 0 (i32.const {c}) (i32.and (local.get {l}) (i32.const 1))) (drop) (i32.const {})))",
                            c + 1
                        ));
                    }
                }
            }
            14 | 15 => {
                // a float local set from a float expression
                let t = if choice == 14 { Float::F64 } else { Float::F32 };
                self.push(&format!("(local.set {}", t.local()));
                self.fexpr(t, depth.min(3));
                self.push(")");
            }
            13 => {
                // a C frame on a shadow stack in a global: the prologue
                // (`global.get; i32.const; i32.sub; local.tee; global.set`),
                // some statements, the epilogue (`local.get; i32.const;
                // i32.add; global.set`); a branch out skips the epilogue
                let d = self.local();
                let c = self.below(8) * 16 + 16;
                self.push(&format!(
                    "(global.set 0 (local.tee {d} (i32.sub (global.get 0) (i32.const {c}))))"
                ));
                self.labels.push(BLOCK);
                self.push("(block");
                self.stmts(depth - 1, 2);
                self.push(")");
                self.labels.pop();
                self.push(&format!(
                    "(global.set 0 (i32.add (local.get {d}) (i32.const {c})))"
                ));
            }
            _ => {
                // an unconditional branch out of a block of its own
                self.labels.push(BLOCK);
                self.push("(block");
                self.stmts(depth - 1, 2);
                if let Some((d, _)) = self.forward_label(Some(false)) {
                    self.push(&format!("(br {d})"));
                }
                self.push(")");
                self.labels.pop();
            }
        }
    }
}

/// The text of a module exporting `f(a, b) -> i32`, from `seed`.
fn program(seed: u64) -> String {
    let mut g = Gen {
        state: seed | 1,
        labels: Vec::new(),
        text: String::new(),
    };
    // the first KiB starts with bytes of every kind, so that loads (float
    // ones above all) read values that tell their addresses apart
    let data: String = (0..1024)
        .map(|_| format!("\\{:02x}", g.below(256)))
        .collect();
    g.push(&format!(
        "(module (memory 1) (global (mut i32) (i32.const 4096)) (data (i32.const 0) \"{data}\")\n(func (export \"f\") (param i32 i32) (result i32) (local i32 i32 i32 i32 i32 i32 i32 i32 i32 f64 f32 i32)\n(local.set {FUEL} (i32.const 200))"
    ));
    // (the function's own label is never a target: it would need the result)
    for _ in 0..6 {
        g.stmt(4);
        g.push("\n");
    }
    // the result: a hash of the first KiB of memory (local 9, by local 8),
    // every scratch local mixed, and the global
    g.push(
        "(loop (local.set 9 (i32.add (i32.rotl (local.get 9) (i32.const 5)) (i32.load (local.get 8))))\n\
         (br_if 0 (i32.lt_u (local.tee 8 (i32.add (local.get 8) (i32.const 4))) (i32.const 1024))))",
    );
    // the float locals' bits, a NaN's made canonical (its sign and payload
    // are not specified)
    g.push(&format!(
        "(i32.xor (i32.xor (i32.xor (global.get 0) (local.get 9))\n\
         (i32.xor (i32.wrap_i64 (i64.rotl (select (i64.const 0x7ff8000000000000) (i64.reinterpret_f64 (local.get {F64_LOCAL})) (f64.ne (local.get {F64_LOCAL}) (local.get {F64_LOCAL}))) (i64.const 29)))\n\
         (select (i32.const 0x7fc00000) (i32.reinterpret_f32 (local.get {F32_LOCAL})) (f32.ne (local.get {F32_LOCAL}) (local.get {F32_LOCAL})))))"
    ));
    for l in 0..SCRATCH {
        g.push(&format!(
            "(i32.add (i32.mul (local.get {l}) (i32.const {}))",
            2 * l + 1
        ));
    }
    g.push("(i32.const 0)");
    for _ in 0..SCRATCH {
        g.push(")");
    }
    g.push(")))");
    g.text
}

fn run_wisp(bytes: &[u8], args: (i32, i32)) -> Result<i32, String> {
    let module = Module::new(bytes).map_err(|e| format!("decode: {e}"))?;
    let mut store = Store::new(());
    let inst = Linker::new()
        .instantiate(&mut store, &module)
        .map_err(|e| format!("instantiate: {e}"))?;
    let f = inst
        .get_typed_func::<(i32, i32), i32>(&store, "f")
        .map_err(|e| e.to_string())?;
    f.call(&mut store, args).map_err(|e| format!("trap: {e}"))
}

fn run_wasmi(bytes: &[u8], args: (i32, i32)) -> Result<i32, String> {
    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, bytes).map_err(|e| format!("decode: {e}"))?;
    let mut store = wasmi::Store::new(&engine, ());
    let inst = wasmi::Linker::<()>::new(&engine)
        .instantiate_and_start(&mut store, &module)
        .map_err(|e| format!("instantiate: {e}"))?;
    let f = inst
        .get_typed_func::<(i32, i32), i32>(&store, "f")
        .map_err(|e| e.to_string())?;
    f.call(&mut store, args).map_err(|e| format!("trap: {e}"))
}

#[test]
fn the_generator_makes_valid_and_varied_programs() {
    // Guards the test itself: programs must validate, and together use the
    // constructs they exist for.
    let mut all = String::new();
    for seed in 0..64 {
        let text = program(seed);
        let bytes = wat::parse_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        run_wasmi(&bytes, (3, 5)).unwrap_or_else(|e| panic!("{e}\n{text}"));
        all.push_str(&text);
    }
    for construct in [
        "i32.store8 offset",
        "(global.set 0 (local.tee",
        "(loop (result i32)",
        "(loop",
        "br_if",
        "(select",
        "(if",
        "i32.store",
        "load8_s",
        "(f64.mul (block (result f64)",
        "(f32.mul (block (result f32)",
        "f32.demote_f64",
        "(local.tee 12",
        "i32.trunc_sat_f64_s",
        "f32.load",
        "(i32.add (local.get 13)",
        "(local.get 13) (i64.const",
        "(local.get 13) (i32.const 77)",
    ] {
        assert!(all.contains(construct), "no {construct} in 64 programs");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_programs_agree_with_wasmi(seed in any::<u64>(), a in -4i32..40, b in -4i32..40) {
        let text = program(seed);
        let bytes = wat::parse_str(&text).expect("generated text parses");
        let want = run_wasmi(&bytes, (a, b));
        let got = run_wisp(&bytes, (a, b));
        prop_assert!(want.is_ok(), "wasmi: {want:?}\n{text}");
        prop_assert_eq!(got, want, "f({}, {}) of\n{}", a, b, text);
    }
}
