//! The executor's unchecked hot-path state that is its own: the cached
//! linear-memory view and `assume`. The value stack's unchecked types (stack
//! pointer, locals, instruction and code pointers) are in `stack::raw`, and
//! are re-exported here under the names the dispatch backends use. Everything
//! else in `exec` is safe code, but for the two `assume`s of the threaded
//! backend.
//!
//! The invariant `MemView` relies on is established elsewhere, once:
//! - **Memory**: a `MemView` is re-taken after anything that can move or grow
//!   memory (`memory.grow`, leaving the run for a host call or another
//!   instance); every access is bounds-checked against its `len` first.
#![allow(unsafe_code)]

use super::TrapCode;
pub(crate) use crate::stack::raw::{Ip, Locals, Sp};

/// The current instance's memory 0 as a raw view.
#[derive(Copy, Clone, Debug)]
pub(crate) struct MemView {
    ptr: *mut u8,
    len: usize,
}

impl MemView {
    /// A view of `bytes` (re-taken whenever memory may have moved or grown).
    #[inline(always)]
    pub fn new(bytes: &mut [u8]) -> MemView {
        MemView {
            ptr: bytes.as_mut_ptr(),
            len: bytes.len(),
        }
    }

    /// A view of no memory (an instance without one never accesses it).
    #[inline(always)]
    pub fn empty() -> MemView {
        MemView {
            ptr: core::ptr::NonNull::<u8>::dangling().as_ptr(),
            len: 0,
        }
    }

    /// A view rebuilt from the parts `ptr` and `len` of a current view.
    #[inline(always)]
    pub fn from_parts(ptr: *mut u8, len: usize) -> MemView {
        MemView { ptr, len }
    }

    /// Pointer to byte 0.
    #[inline(always)]
    pub fn ptr(self) -> *mut u8 {
        self.ptr
    }

    /// Memory size in bytes.
    #[inline(always)]
    pub fn len(self) -> usize {
        self.len
    }

    /// Loads `N` bytes at `addr + offset` (32-bit address and offset, no wrap).
    #[inline(always)]
    pub fn load<const N: usize>(self, addr: u64, offset: u32) -> Result<[u8; N], TrapCode> {
        let ea = (addr as u32 as usize) + offset as usize;
        if ea + N > self.len {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        // The byte is at `(ptr + offset) + addr`, added in that order: the
        // address usually comes last (a local reloaded just after a store, a
        // load before), and the offset, from the op, early, so the load then
        // waits on one address generation after `addr` instead of an add and
        // then an address generation (a list walk's `p = p->next` chain).
        // SAFETY: `offset <= ea` and `ea + N <= len` was just checked, so both
        // steps stay inside the view, which is current (memory invariant).
        Ok(unsafe {
            self.ptr
                .add(offset as usize)
                .add(addr as u32 as usize)
                .cast::<[u8; N]>()
                .read_unaligned()
        })
    }

    /// Stores `N` bytes at `addr + offset`.
    #[inline(always)]
    pub fn store<const N: usize>(
        self,
        addr: u64,
        offset: u32,
        bytes: [u8; N],
    ) -> Result<(), TrapCode> {
        let ea = (addr as u32 as usize) + offset as usize;
        if ea + N > self.len {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        // SAFETY: as `load`.
        unsafe { self.ptr.add(ea).cast::<[u8; N]>().write_unaligned(bytes) };
        Ok(())
    }

    /// Whether `start..start + n` lies inside the view.
    #[inline(always)]
    fn holds(self, start: u64, n: u64) -> bool {
        start
            .checked_add(n)
            .is_some_and(|end| end <= self.len as u64)
    }

    /// `memory.copy`: `n` bytes from `s` to `d`; the ranges may overlap.
    #[inline(always)]
    pub fn copy(self, d: u64, s: u64, n: u64) -> Result<(), TrapCode> {
        if !self.holds(s, n) || !self.holds(d, n) {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        // SAFETY: both ranges were just checked to lie in the current view
        // (memory invariant), and `ptr::copy` allows them to overlap.
        unsafe {
            core::ptr::copy(
                self.ptr.add(s as usize),
                self.ptr.add(d as usize),
                n as usize,
            )
        };
        Ok(())
    }

    /// `memory.fill`: `n` bytes at `d` set to `v`.
    #[inline(always)]
    pub fn fill(self, d: u64, v: u8, n: u64) -> Result<(), TrapCode> {
        if !self.holds(d, n) {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        // SAFETY: the range was just checked to lie in the current view.
        unsafe { core::ptr::write_bytes(self.ptr.add(d as usize), v, n as usize) };
        Ok(())
    }
}

/// Tells the optimiser that `cond` holds.
///
/// # Safety
/// `cond` must be true.
#[inline(always)]
pub(crate) unsafe fn assume(cond: bool) {
    if !cond {
        // SAFETY: the caller guarantees `cond`.
        unsafe { core::hint::unreachable_unchecked() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_view_copies_and_fills_inside_its_bounds_only() {
        let mut bytes: Vec<u8> = (0..16).collect();
        let m = MemView::new(&mut bytes);
        // overlapping, both directions
        m.copy(2, 0, 6).unwrap();
        m.copy(8, 10, 4).unwrap();
        m.fill(14, 0xaa, 2).unwrap();
        // empty ranges at the very end are fine; one byte past is not
        m.copy(16, 16, 0).unwrap();
        m.fill(16, 1, 0).unwrap();
        assert_eq!(m.copy(0, 11, 6), Err(TrapCode::MemoryOutOfBounds));
        assert_eq!(m.copy(11, 0, 6), Err(TrapCode::MemoryOutOfBounds));
        assert_eq!(m.fill(10, 1, 7), Err(TrapCode::MemoryOutOfBounds));
        assert_eq!(m.fill(u64::MAX, 1, 2), Err(TrapCode::MemoryOutOfBounds));
        assert_eq!(
            bytes,
            [0, 1, 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 12, 13, 0xaa, 0xaa]
        );
    }

    #[test]
    fn memory_view_checks_bounds() {
        let mut bytes = vec![0u8; 8];
        let m = MemView::new(&mut bytes);
        m.store::<4>(4, 0, [1, 2, 3, 4]).unwrap();
        assert_eq!(m.load::<2>(3, 3).unwrap(), [3, 4]);
        assert!(m.load::<4>(5, 0).is_err());
        assert!(m.store::<1>(u32::MAX as u64, 1, [0]).is_err());
    }
}
