//! Linear memory: reserved up front as virtual address space so `memory.grow`
//! neither moves nor copies, with an explicit length every access is checked against.

use crate::error::Error;
use crate::types::MemoryType;

/// Bytes in a wasm page.
pub const PAGE_SIZE: usize = 65536;

/// One linear memory.
pub(crate) struct MemoryEntity {
    /// Reserved mapping: `len` bytes are in use, the rest is untouched (and so
    /// costs no physical memory) until growth.
    map: Option<memmap2::MmapMut>,
    /// Current size in bytes (a multiple of `PAGE_SIZE`).
    len: usize,
    /// The effective maximum in pages: the type's maximum capped by the store's limit.
    max_pages: u32,
    pub ty: MemoryType,
}

fn map(bytes: usize) -> Result<Option<memmap2::MmapMut>, std::io::Error> {
    if bytes == 0 {
        return Ok(None);
    }
    memmap2::MmapOptions::new()
        .len(bytes)
        .no_reserve_swap()
        .map_anon()
        .map(Some)
}

impl MemoryEntity {
    /// A memory of type `ty`, growable to at most `limit_pages`.
    pub fn new(ty: MemoryType, limit_pages: u32) -> Result<Self, Error> {
        let max_pages = ty.limits.max.unwrap_or(65536).min(65536).min(limit_pages);
        if ty.limits.min > max_pages {
            return Err(Error::limit(format!(
                "memory of {} pages exceeds the limit of {max_pages} pages",
                ty.limits.min
            )));
        }
        let len = ty.limits.min as usize * PAGE_SIZE;
        // Reserve the whole growable range; if the host refuses (no overcommit),
        // fall back to the initial size and copy on growth.
        let map = match map(max_pages as usize * PAGE_SIZE) {
            Ok(m) => m,
            Err(_) => map(len)
                .map_err(|e| Error::limit(format!("cannot map {len} bytes of memory: {e}")))?,
        };
        Ok(Self {
            map,
            len,
            max_pages,
            ty,
        })
    }

    /// The most pages it may grow to.
    pub fn max_pages(&self) -> u32 {
        self.max_pages
    }

    /// Current size in pages.
    pub fn pages(&self) -> u32 {
        (self.len / PAGE_SIZE) as u32
    }

    /// The bytes in use.
    #[inline(always)]
    pub fn data(&self) -> &[u8] {
        match &self.map {
            Some(m) => &m[..self.len],
            None => &[],
        }
    }

    /// The bytes in use, writable.
    #[inline(always)]
    pub fn data_mut(&mut self) -> &mut [u8] {
        match &mut self.map {
            Some(m) => &mut m[..self.len],
            None => &mut [],
        }
    }

    /// Grows by `delta` pages; the old size in pages, or `None` if it would
    /// exceed the maximum or the host has no memory for it.
    pub fn grow(&mut self, delta: u32) -> Option<u32> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        if new > self.max_pages {
            return None;
        }
        let new_len = new as usize * PAGE_SIZE;
        let capacity = self.map.as_ref().map_or(0, |m| m.len());
        if new_len > capacity {
            // Only when the up-front reservation was refused.
            let mut bigger = map(new_len).ok()??;
            bigger[..self.len].copy_from_slice(self.data());
            self.map = Some(bigger);
        }
        self.len = new_len;
        self.ty.limits.min = new;
        Some(old)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Limits;

    fn mem(min: u32, max: Option<u32>) -> MemoryEntity {
        MemoryEntity::new(
            MemoryType {
                limits: Limits { min, max },
            },
            65536,
        )
        .unwrap()
    }

    #[test]
    fn grow_keeps_the_base_address_and_contents() {
        let mut m = mem(1, None);
        m.data_mut()[100] = 7;
        let base = m.data().as_ptr();
        assert_eq!(m.grow(3), Some(1));
        assert_eq!(m.pages(), 4);
        assert_eq!(m.data().as_ptr(), base);
        assert_eq!(m.data()[100], 7);
        assert_eq!(m.data()[4 * PAGE_SIZE - 1], 0);
    }

    #[test]
    fn grow_past_the_maximum_fails() {
        let mut m = mem(1, Some(2));
        assert_eq!(m.grow(2), None);
        assert_eq!(m.grow(1), Some(1));
        assert_eq!(m.grow(1), None);
        assert_eq!(m.grow(0), Some(2));
    }

    #[test]
    fn the_store_limit_caps_growth_and_creation() {
        let ty = MemoryType {
            limits: Limits { min: 2, max: None },
        };
        assert!(MemoryEntity::new(ty, 1).is_err());
        let mut m = MemoryEntity::new(
            MemoryType {
                limits: Limits { min: 1, max: None },
            },
            2,
        )
        .unwrap();
        assert_eq!(m.grow(1), Some(1));
        assert_eq!(m.grow(1), None);
    }
}
