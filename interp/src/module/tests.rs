//! Parallel validation must accept and reject exactly what serial validation
//! does, with the same first error.

use super::{Module, PARALLEL_MIN_CODE_BYTES};
use crate::{Linker, Store};

/// A module of `funcs` functions `(param i32) (result i32)`, each about 170
/// bytes of code; the functions in `bad` end by returning an i64 (invalid).
fn module(funcs: usize, bad: &[usize]) -> Vec<u8> {
    let mut wat = String::from("(module\n");
    for i in 0..funcs {
        wat.push_str(&format!(
            "(func $f{i} (export \"f{i}\") (param i32) (result i32)\n"
        ));
        wat.push_str("  local.get 0\n");
        for k in 0..24 {
            wat.push_str(&format!("  i32.const {}\n  i32.add\n", 1000 + k + i));
        }
        if bad.contains(&i) {
            wat.push_str("  drop\n  i64.const 7\n");
        }
        wat.push_str(")\n");
    }
    wat.push(')');
    let bytes = wat::parse_str(&wat).unwrap();
    assert!(
        bytes.len() > PARALLEL_MIN_CODE_BYTES as usize + 1024,
        "{}",
        bytes.len()
    );
    bytes
}

fn error_of(bytes: &[u8], threads: usize) -> String {
    Module::decode(bytes, threads).unwrap_err().to_string()
}

#[test]
fn a_large_valid_module_validates_on_threads_and_runs() {
    let bytes = module(1500, &[]);
    let m = Module::decode(&bytes, 4).unwrap();
    assert_eq!(m.inner.code.len(), 1500);
    let mut store = Store::new(());
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    let f = inst.get_typed_func::<i32, i32>(&store, "f1499").unwrap();
    let expected = (0..24).map(|k| 1000 + k + 1499).sum::<i32>() + 5;
    assert_eq!(f.call(&mut store, 5).unwrap(), expected);
}

#[test]
fn threads_report_the_first_invalid_body_in_module_order() {
    for bad in [
        &[0usize][..],
        &[1499],
        &[700, 701],
        &[1200, 33],
        &[15, 16, 17, 1000],
    ] {
        let bytes = module(1500, bad);
        let serial = error_of(&bytes, 1);
        let first = bad.iter().min().unwrap();
        assert!(serial.contains("type mismatch"), "{serial}");
        for threads in [2, 3, 8] {
            assert_eq!(
                error_of(&bytes, threads),
                serial,
                "bad {bad:?}, {threads} threads"
            );
        }
        // and it is the first bad function's error: that body alone fails with it
        let offset_of_first = Module::decode(&module(1500, &[*first]), 1)
            .unwrap_err()
            .to_string();
        assert_eq!(serial, offset_of_first);
    }
}

#[test]
fn when_every_body_is_invalid_the_first_one_is_reported() {
    // Every thread fails on its first chunk at about the same time; whichever
    // finishes last, the error kept must be function 0's.
    let all: Vec<usize> = (0..1500).collect();
    let bytes = module(1500, &all);
    let serial = error_of(&bytes, 1);
    assert_eq!(serial, error_of(&module(1500, &[0]), 1));
    for _ in 0..20 {
        assert_eq!(error_of(&bytes, 4), serial);
    }
}

#[test]
fn an_invalid_body_is_reported_before_a_later_malformed_section() {
    let mut bytes = module(1500, &[900]);
    // a data section that claims more bytes than there are
    bytes.extend_from_slice(&[11, 0x80, 0x80, 0x04, 1]);
    let serial = error_of(&bytes, 1);
    assert!(serial.contains("type mismatch"), "{serial}");
    assert_eq!(error_of(&bytes, 4), serial);
    // without the bad body, the malformed section is what is reported
    let mut ok = module(1500, &[]);
    ok.extend_from_slice(&[11, 0x80, 0x80, 0x04, 1]);
    let serial = error_of(&ok, 1);
    assert!(!serial.contains("type mismatch"), "{serial}");
    assert_eq!(error_of(&ok, 4), serial);
}

#[test]
fn new_and_new_single_threaded_agree() {
    let bytes = module(1500, &[1100]);
    assert_eq!(
        Module::new(&bytes).unwrap_err().to_string(),
        Module::new_single_threaded(&bytes).unwrap_err().to_string()
    );
    let bytes = module(1500, &[]);
    assert_eq!(
        Module::new(&bytes).unwrap().inner.code.len(),
        Module::new_single_threaded(&bytes)
            .unwrap()
            .inner
            .code
            .len()
    );
}

/// A module keeps only its bodies' bytes: data segments (copied at decode)
/// and custom sections are not held twice or at all, and bodies translated
/// later read the right bytes.
#[test]
fn a_module_keeps_only_its_function_bodies() {
    let data = "x".repeat(50_000);
    let mut bytes = wat::parse_str(format!(
        r#"(module
             (memory (export "m") 1)
             (data (i32.const 0) "{data}")
             (func (export "f") (param i32) (result i32)
               local.get 0 i32.load8_u offset=49999 local.get 0 i32.add)
             (func (export "g") (result i32) i32.const 7))"#
    ))
    .unwrap();
    // a 60 000-byte custom section after everything else
    let payload = [b'd'; 60_000];
    bytes.push(0);
    let mut size = payload.len() as u32 + 2;
    while size >= 0x80 {
        bytes.push((size as u8 & 0x7f) | 0x80);
        size >>= 7;
    }
    bytes.push(size as u8);
    bytes.extend_from_slice(&[1, b'n']);
    bytes.extend_from_slice(&payload);

    let m = Module::new(&bytes).unwrap();
    assert!(
        m.inner.bytes.len() < 100,
        "{} bytes kept",
        m.inner.bytes.len()
    );
    let mut store = Store::new(());
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    let f = inst.get_typed_func::<i32, i32>(&store, "f").unwrap();
    let g = inst.get_typed_func::<(), i32>(&store, "g").unwrap();
    assert_eq!(g.call(&mut store, ()).unwrap(), 7);
    assert_eq!(f.call(&mut store, 0).unwrap(), i32::from(b'x'));
    assert_eq!(f.call(&mut store, 1).unwrap(), 1, "one past the data");
}
