use super::*;

#[test]
fn op_is_at_most_16_bytes() {
    assert!(
        core::mem::size_of::<Op>() <= 16,
        "Op is {} bytes",
        core::mem::size_of::<Op>()
    );
}

#[test]
fn frame_slots_adds_params_locals_a_spill_slot_and_operands() {
    let code = FuncCode {
        params: 2,
        locals: 3,
        max_height: 4,
        ..FuncCode::default()
    };
    assert_eq!(code.frame_slots(), 10);
}
