//! Bad input never crashes wisp: random and mutated bytes through decoding,
//! validation, translation and instantiation end in `Ok` or a clear `Err`.

use proptest::prelude::*;
use wisp::interp::{Linker, Module, Store};

/// Valid modules to mutate: together they use most sections and many operators.
fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = ["fib", "trap", "recursion", "multi"]
        .iter()
        .map(|n| {
            std::fs::read(format!(
                "{}/fixtures/wasm/{n}.wasm",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
        })
        .collect();
    seeds.push(
        wat::parse_str(
            r#"(module
                (type $t (func (param i32) (result i32)))
                (import "env" "g" (global i32))
                (table 4 funcref) (memory 1 2)
                (global $m (mut i64) (i64.const 5))
                (func $a (type $t) (local.get 0))
                (elem (i32.const 0) $a $a)
                (elem funcref (ref.func $a))
                (data (i32.const 16) "abc") (data "passive")
                (func (export "f") (param i32) (result i32)
                  (block (result i32)
                    (br_table 0 0 (local.get 0) (local.get 0)))
                  (call_indirect (type $t) (i32.const 1))
                  (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 1))
                  (table.size 0) (i32.add)))"#,
        )
        .unwrap(),
    );
    seeds
}

/// Whether a (valid) module has a start section, by walking its sections.
fn has_start_section(bytes: &[u8]) -> bool {
    let mut at = 8;
    while at < bytes.len() {
        let id = bytes[at];
        at += 1;
        let (mut size, mut shift) = (0usize, 0);
        loop {
            let Some(&b) = bytes.get(at) else { return true };
            at += 1;
            size |= ((b & 0x7f) as usize) << shift;
            shift += 7;
            if b & 0x80 == 0 || shift > 28 {
                break;
            }
        }
        if id == 8 {
            return true;
        }
        at = at.saturating_add(size);
    }
    false
}

fn exercise(bytes: &[u8]) {
    if let Ok(m) = Module::new(bytes) {
        // Instantiate only modules that cannot run guest code forever (no start
        // function); without imports provided, most others end in a link error.
        if !has_start_section(bytes) {
            let _ = Linker::<()>::new().instantiate(Store::new(()), &m);
        }
    }
    let _ = Module::validate(bytes);
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Remove(usize),
    Truncate(usize),
}

fn apply(mut bytes: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        if bytes.is_empty() {
            break;
        }
        match *m {
            Mutation::Flip(i, b) => {
                let i = i % bytes.len();
                bytes[i] ^= b;
            }
            Mutation::Insert(i, b) => {
                let i = i % (bytes.len() + 1);
                bytes.insert(i, b);
            }
            Mutation::Remove(i) => {
                let i = i % bytes.len();
                bytes.remove(i);
            }
            Mutation::Truncate(i) => bytes.truncate(i % bytes.len()),
        }
    }
    bytes
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Remove),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        exercise(&bytes);
        let mut with_header = b"\0asm\x01\0\0\0".to_vec();
        with_header.extend_from_slice(&bytes);
        exercise(&with_header);
    }

    #[test]
    fn mutated_modules_never_panic(seed in 0usize..5, muts in proptest::collection::vec(mutation(), 1..6)) {
        let seeds = seeds();
        let bytes = apply(seeds[seed % seeds.len()].clone(), &muts);
        exercise(&bytes);
    }
}

#[test]
fn the_seeds_are_valid_so_mutations_start_from_real_modules() {
    for s in seeds() {
        Module::new(&s).expect("seed is valid");
    }
}
