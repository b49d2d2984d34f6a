//! A deterministic generator of one large module for the `translate` and
//! `instantiate` groups: [`FUNCS`] functions of compiler-like code (locals
//! arithmetic in i32/i64/f64, loads and stores, nested blocks, loops, `if`,
//! `br_table`, direct and indirect calls, globals, `select`), several MiB in all,
//! with a table holding every function and a few data segments.
//!
//! The binary is written directly (no text step), from a fixed-seed PRNG: the
//! same source always gives the same bytes. Valid by construction; nothing in
//! it is meant to be run (the benches only translate and instantiate it).

/// Number of defined functions.
pub const FUNCS: u32 = 5000;

/// The generated module, about 4 MiB.
pub fn large_module() -> Vec<u8> {
    let mut g = Gen {
        rng: 0x2545_f491_4f6c_dd1d,
        code: Vec::new(),
        func_index: 0,
    };
    let mut out = Vec::with_capacity(5 << 20);
    out.extend_from_slice(b"\0asm");
    out.extend_from_slice(&1u32.to_le_bytes());

    // type section: 0 = (i32 i64) -> i32, the type of every function
    let mut s = Vec::new();
    uleb(&mut s, 1);
    s.extend_from_slice(&[0x60, 2, I32, I64, 1, I32]);
    section(&mut out, 1, &s);

    // function section
    let mut s = Vec::new();
    uleb(&mut s, FUNCS);
    for _ in 0..FUNCS {
        uleb(&mut s, 0);
    }
    section(&mut out, 3, &s);

    // table section: one funcref table holding every function
    let mut s = Vec::new();
    uleb(&mut s, 1);
    s.extend_from_slice(&[0x70, 0x01]);
    uleb(&mut s, FUNCS);
    uleb(&mut s, FUNCS);
    section(&mut out, 4, &s);

    // memory section: 2..16 pages
    section(&mut out, 5, &[1, 0x01, 2, 16]);

    // global section: 4 mutable i32, 2 mutable i64
    let mut s = Vec::new();
    uleb(&mut s, GLOBALS_I32 + GLOBALS_I64);
    for i in 0..GLOBALS_I32 {
        s.extend_from_slice(&[I32, 1, 0x41]);
        sleb(&mut s, i64::from(i) * 7);
        s.push(0x0b);
    }
    for i in 0..GLOBALS_I64 {
        s.extend_from_slice(&[I64, 1, 0x42]);
        sleb(&mut s, i64::from(i) * 11);
        s.push(0x0b);
    }
    section(&mut out, 6, &s);

    // export section: memory and every 64th function
    let mut s = Vec::new();
    let exported: Vec<u32> = (0..FUNCS).step_by(64).collect();
    uleb(&mut s, exported.len() as u32 + 1);
    name(&mut s, "memory");
    s.push(0x02);
    uleb(&mut s, 0);
    for &f in &exported {
        name(&mut s, &format!("f{f}"));
        s.push(0x00);
        uleb(&mut s, f);
    }
    section(&mut out, 7, &s);

    // element section: table[0..FUNCS] = every function
    let mut s = Vec::new();
    uleb(&mut s, 1);
    s.extend_from_slice(&[0x00, 0x41, 0x00, 0x0b]);
    uleb(&mut s, FUNCS);
    for f in 0..FUNCS {
        uleb(&mut s, f);
    }
    section(&mut out, 9, &s);

    // code section
    let mut s = Vec::new();
    uleb(&mut s, FUNCS);
    for f in 0..FUNCS {
        g.func_index = f;
        let body = g.body();
        uleb(&mut s, body.len() as u32);
        s.extend_from_slice(&body);
    }
    section(&mut out, 10, &s);

    // data section: 8 active segments of 1 KiB
    let mut s = Vec::new();
    uleb(&mut s, 8);
    for i in 0..8u32 {
        s.extend_from_slice(&[0x00, 0x41]);
        sleb(&mut s, i64::from(i) * 4096);
        s.push(0x0b);
        uleb(&mut s, 1024);
        for _ in 0..1024 {
            s.push(g.next() as u8);
        }
    }
    section(&mut out, 11, &s);
    out
}

const I32: u8 = 0x7f;
const I64: u8 = 0x7e;
const F64: u8 = 0x7c;
const GLOBALS_I32: u32 = 4;
const GLOBALS_I64: u32 = 2;

// Locals of every function: params 0 (i32), 1 (i64); then 4 x i32, 2 x i64, 2 x f64.
const LOCALS_I32: [u32; 5] = [0, 2, 3, 4, 5];
const LOCALS_I64: [u32; 3] = [1, 6, 7];
const LOCALS_F64: [u32; 2] = [8, 9];

struct Gen {
    rng: u64,
    code: Vec<u8>,
    func_index: u32,
}

impl Gen {
    fn next(&mut self) -> u32 {
        // xorshift64*
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32) as u32
    }

    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u32) as usize]
    }

    fn op(&mut self, bytes: &[u8]) {
        self.code.extend_from_slice(bytes);
    }

    fn idx(&mut self, op: u8, i: u32) {
        self.code.push(op);
        uleb(&mut self.code, i);
    }

    fn i32_const(&mut self, v: i32) {
        self.code.push(0x41);
        sleb(&mut self.code, i64::from(v));
    }

    fn mem_arg(&mut self, align: u32) {
        uleb(&mut self.code, align);
        let offset = self.below(64) * 8;
        uleb(&mut self.code, offset);
    }

    /// An in-bounds address: `(local & 0x7ff8)` (memory has at least 2 pages).
    fn address(&mut self) {
        let l = self.pick(&LOCALS_I32);
        self.idx(0x20, l);
        self.i32_const(0x7ff8);
        self.op(&[0x71]);
    }

    fn body(&mut self) -> Vec<u8> {
        self.code.clear();
        // local declarations
        self.op(&[3, 4, I32, 2, I64, 2, F64]);
        let stmts = 12 + self.below(24);
        for _ in 0..stmts {
            self.stmt(0);
        }
        // result: an i32 expression
        self.expr_i32(0);
        self.op(&[0x0b]);
        std::mem::take(&mut self.code)
    }

    fn stmt(&mut self, depth: u32) {
        let choice = if depth >= 3 {
            self.below(6)
        } else {
            self.below(13)
        };
        match choice {
            0 | 1 => {
                self.expr_i32(depth);
                let l = self.pick(&LOCALS_I32);
                self.idx(0x21, l);
            }
            2 => {
                self.expr_i64(depth);
                let l = self.pick(&LOCALS_I64);
                self.idx(0x21, l);
            }
            3 => {
                self.expr_f64(depth);
                let l = self.pick(&LOCALS_F64);
                self.idx(0x21, l);
            }
            4 => {
                // store of some width
                self.address();
                match self.below(4) {
                    0 => {
                        self.expr_i32(depth + 1);
                        self.code.push(0x36);
                        self.mem_arg(2);
                    }
                    1 => {
                        self.expr_i64(depth + 1);
                        self.code.push(0x37);
                        self.mem_arg(3);
                    }
                    2 => {
                        self.expr_f64(depth + 1);
                        self.code.push(0x39);
                        self.mem_arg(3);
                    }
                    _ => {
                        self.expr_i32(depth + 1);
                        self.code.push(0x3a);
                        self.mem_arg(0);
                    }
                }
            }
            5 => {
                // global update
                if self.below(3) == 0 {
                    let gi = GLOBALS_I32 + self.below(GLOBALS_I64);
                    self.idx(0x23, gi);
                    self.expr_i64(depth + 1);
                    self.op(&[0x7c]);
                    self.idx(0x24, gi);
                } else {
                    let gi = self.below(GLOBALS_I32);
                    self.idx(0x23, gi);
                    self.expr_i32(depth + 1);
                    self.op(&[0x6a]);
                    self.idx(0x24, gi);
                }
            }
            6 | 7 => {
                // if/else
                self.cond(depth);
                self.op(&[0x04, 0x40]);
                for _ in 0..1 + self.below(3) {
                    self.stmt(depth + 1);
                }
                if self.below(2) == 0 {
                    self.op(&[0x05]);
                    for _ in 0..1 + self.below(3) {
                        self.stmt(depth + 1);
                    }
                }
                self.op(&[0x0b]);
            }
            8 => {
                // block with an early exit
                self.op(&[0x02, 0x40]);
                self.cond(depth);
                self.op(&[0x0d, 0x00]);
                for _ in 0..1 + self.below(3) {
                    self.stmt(depth + 1);
                }
                self.op(&[0x0b]);
            }
            9 => {
                // counted loop: l = k; loop { body; l -= 1; br_if l > 0 }
                let l = self.pick(&LOCALS_I32[1..]);
                let k = 1 + self.below(16) as i32;
                self.i32_const(k);
                self.idx(0x21, l);
                self.op(&[0x03, 0x40]);
                for _ in 0..1 + self.below(3) {
                    self.stmt(depth + 1);
                }
                self.idx(0x20, l);
                self.i32_const(1);
                self.op(&[0x6b]);
                self.idx(0x22, l);
                self.i32_const(0);
                self.op(&[0x4a, 0x0d, 0x00, 0x0b]);
            }
            10 => {
                // br_table over 3 nested blocks
                self.op(&[0x02, 0x40, 0x02, 0x40, 0x02, 0x40]);
                let l = self.pick(&LOCALS_I32);
                self.idx(0x20, l);
                self.i32_const(3);
                self.op(&[0x71, 0x0e, 3, 0, 1, 2, 2, 0x0b]);
                self.stmt(depth + 1);
                self.op(&[0x0c, 0x01, 0x0b]);
                self.stmt(depth + 1);
                self.op(&[0x0b]);
            }
            11 => {
                // direct call of an earlier function (or itself)
                self.expr_i32(depth + 1);
                self.expr_i64(depth + 1);
                let callee = self.below(self.func_index + 1);
                self.idx(0x10, callee);
                let l = self.pick(&LOCALS_I32);
                self.idx(0x21, l);
            }
            _ => {
                // indirect call through the table
                self.expr_i32(depth + 1);
                self.expr_i64(depth + 1);
                let l = self.pick(&LOCALS_I32);
                self.idx(0x20, l);
                self.i32_const(1023);
                self.op(&[0x71, 0x11, 0x00, 0x00, 0x1a]);
            }
        }
    }

    fn cond(&mut self, depth: u32) {
        self.expr_i32(depth + 1);
        self.expr_i32(depth + 1);
        let cmp = self.pick(&[0x46u8, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4e]);
        self.op(&[cmp]);
    }

    fn expr_i32(&mut self, depth: u32) {
        let leaf = depth >= 2 || self.below(3) == 0;
        if leaf {
            match self.below(4) {
                0 => {
                    let v = self.next() as i32 >> self.below(24);
                    self.i32_const(v);
                }
                _ => {
                    let l = self.pick(&LOCALS_I32);
                    self.idx(0x20, l);
                }
            }
            return;
        }
        match self.below(8) {
            0..=3 => {
                self.expr_i32(depth + 1);
                self.expr_i32(depth + 1);
                let op = self.pick(&[
                    0x6au8, 0x6b, 0x6c, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78,
                ]);
                self.op(&[op]);
            }
            4 => {
                self.address();
                if self.below(2) == 0 {
                    self.code.push(0x28);
                    self.mem_arg(2);
                } else {
                    self.code.push(0x2d);
                    self.mem_arg(0);
                }
            }
            5 => {
                self.expr_i64(depth + 1);
                self.op(&[0xa7]); // i32.wrap_i64
            }
            6 => {
                self.expr_i32(depth + 1);
                self.expr_i32(depth + 1);
                self.expr_i32(depth + 1);
                self.op(&[0x1b]); // select
            }
            _ => {
                self.expr_f64(depth + 1);
                self.op(&[0xfc, 0x02]); // i32.trunc_sat_f64_s
            }
        }
    }

    fn expr_i64(&mut self, depth: u32) {
        let leaf = depth >= 2 || self.below(3) == 0;
        if leaf {
            if self.below(3) == 0 {
                let v = (u64::from(self.next()) << 32 | u64::from(self.next())) as i64;
                self.code.push(0x42);
                let shift = self.below(56);
                sleb(&mut self.code, v >> shift);
            } else {
                let l = self.pick(&LOCALS_I64);
                self.idx(0x20, l);
            }
            return;
        }
        match self.below(5) {
            0..=2 => {
                self.expr_i64(depth + 1);
                self.expr_i64(depth + 1);
                let op = self.pick(&[0x7cu8, 0x7d, 0x7e, 0x83, 0x84, 0x85, 0x86, 0x88, 0x89]);
                self.op(&[op]);
            }
            3 => {
                self.address();
                self.code.push(0x29);
                self.mem_arg(3);
            }
            _ => {
                self.expr_i32(depth + 1);
                self.op(&[0xad]); // i64.extend_i32_u
            }
        }
    }

    fn expr_f64(&mut self, depth: u32) {
        let leaf = depth >= 2 || self.below(3) == 0;
        if leaf {
            if self.below(3) == 0 {
                let v = f64::from(self.next() % 10_000) / 64.0;
                self.code.push(0x44);
                self.code.extend_from_slice(&v.to_le_bytes());
            } else {
                let l = self.pick(&LOCALS_F64);
                self.idx(0x20, l);
            }
            return;
        }
        match self.below(4) {
            0 | 1 => {
                self.expr_f64(depth + 1);
                self.expr_f64(depth + 1);
                let op = self.pick(&[0xa0u8, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5]);
                self.op(&[op]);
            }
            2 => {
                self.address();
                self.code.push(0x2b);
                self.mem_arg(3);
            }
            _ => {
                self.expr_i32(depth + 1);
                self.op(&[0xb7]); // f64.convert_i32_s
            }
        }
    }
}

fn uleb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
        if done {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn name(out: &mut Vec<u8>, s: &str) {
    uleb(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn section(out: &mut Vec<u8>, id: u8, body: &[u8]) {
    out.push(id);
    uleb(out, body.len() as u32);
    out.extend_from_slice(body);
}
