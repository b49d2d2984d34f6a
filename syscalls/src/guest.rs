//! Typed, bounds-checked access to guest memory, and the bad-pointer policy:
//! every `ptr + len` is computed in 64 bits and anything past the end of
//! memory is `OVERFLOW` (as in Node; see wasi-reference M1), never a trap or
//! a host fault. Pointers need no alignment (M2).

use crate::errno::Errno;

/// A view of the guest's linear memory for the length of one host call (M3:
/// never kept across calls, since memory can grow and move).
pub struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

/// One `iovec`/`ciovec`: a guest buffer.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Iovec {
    /// Guest address.
    pub buf: u32,
    /// Length in bytes.
    pub len: u32,
}

impl<'a> GuestMemory<'a> {
    /// Wraps the guest's memory bytes.
    pub fn new(bytes: &'a mut [u8]) -> Self {
        Self { bytes }
    }

    /// The memory's size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether memory is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn range(&self, ptr: u32, len: u64) -> Result<core::ops::Range<usize>, Errno> {
        let end = ptr as u64 + len;
        if end > self.bytes.len() as u64 {
            return Err(Errno::Overflow);
        }
        Ok(ptr as usize..end as usize)
    }

    /// Checks that `[ptr, ptr + len)` lies inside memory.
    ///
    /// # Errors
    /// `OVERFLOW` when it does not.
    pub fn check(&self, ptr: u32, len: u64) -> Result<(), Errno> {
        self.range(ptr, len).map(drop)
    }

    /// The bytes `[ptr, ptr + len)`.
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds.
    pub fn slice(&self, ptr: u32, len: u32) -> Result<&[u8], Errno> {
        let r = self.range(ptr, len as u64)?;
        Ok(&self.bytes[r])
    }

    /// The bytes `[ptr, ptr + len)`, writable.
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds.
    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
        let r = self.range(ptr, len as u64)?;
        Ok(&mut self.bytes[r])
    }

    /// Copies `data` to `ptr`.
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds (nothing is written then).
    pub fn write(&mut self, ptr: u32, data: &[u8]) -> Result<(), Errno> {
        let r = self.range(ptr, data.len() as u64)?;
        self.bytes[r].copy_from_slice(data);
        Ok(())
    }

    fn array<const N: usize>(&self, ptr: u32) -> Result<[u8; N], Errno> {
        let r = self.range(ptr, N as u64)?;
        let mut out = [0u8; N];
        out.copy_from_slice(&self.bytes[r]);
        Ok(out)
    }

    /// Reads a little-endian `u8`.
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds.
    pub fn read_u8(&self, ptr: u32) -> Result<u8, Errno> {
        Ok(self.array::<1>(ptr)?[0])
    }

    /// Reads a little-endian `u16`.
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds.
    pub fn read_u16(&self, ptr: u32) -> Result<u16, Errno> {
        Ok(u16::from_le_bytes(self.array(ptr)?))
    }

    /// Reads a little-endian `u32`.
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds.
    pub fn read_u32(&self, ptr: u32) -> Result<u32, Errno> {
        Ok(u32::from_le_bytes(self.array(ptr)?))
    }

    /// Reads a little-endian `u64`.
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds.
    pub fn read_u64(&self, ptr: u32) -> Result<u64, Errno> {
        Ok(u64::from_le_bytes(self.array(ptr)?))
    }

    /// Writes a `u8`.
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds.
    pub fn write_u8(&mut self, ptr: u32, v: u8) -> Result<(), Errno> {
        self.write(ptr, &[v])
    }

    /// Writes a little-endian `u16`.
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds.
    pub fn write_u16(&mut self, ptr: u32, v: u16) -> Result<(), Errno> {
        self.write(ptr, &v.to_le_bytes())
    }

    /// Writes a little-endian `u32`.
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds.
    pub fn write_u32(&mut self, ptr: u32, v: u32) -> Result<(), Errno> {
        self.write(ptr, &v.to_le_bytes())
    }

    /// Writes a little-endian `u64`.
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds.
    pub fn write_u64(&mut self, ptr: u32, v: u64) -> Result<(), Errno> {
        self.write(ptr, &v.to_le_bytes())
    }

    /// Reads an array of `count` iovecs at `ptr`, checking every buffer (M8).
    ///
    /// # Errors
    /// `OVERFLOW` when the array or any buffer is out of bounds.
    pub fn iovecs(&self, ptr: u32, count: u32) -> Result<Vec<Iovec>, Errno> {
        self.check(ptr, count as u64 * 8)?;
        let mut out = Vec::with_capacity(count.min(1024) as usize);
        for i in 0..count {
            let at = ptr + i * 8;
            let iov = Iovec {
                buf: self.read_u32(at)?,
                len: self.read_u32(at + 4)?,
            };
            self.check(iov.buf, iov.len as u64)?;
            out.push(iov);
        }
        Ok(out)
    }

    /// Copies the iovecs' contents into one buffer (for writes).
    ///
    /// # Errors
    /// `OVERFLOW` when anything is out of bounds.
    pub fn gather(&self, iovs: &[Iovec]) -> Result<Vec<u8>, Errno> {
        let total: u64 = iovs.iter().map(|i| i.len as u64).sum();
        let mut out = Vec::with_capacity(total.min(1 << 24) as usize);
        for iov in iovs {
            out.extend_from_slice(self.slice(iov.buf, iov.len)?);
        }
        Ok(out)
    }

    /// Spreads `data` over the iovecs in order (for reads); returns bytes written.
    ///
    /// # Errors
    /// `OVERFLOW` when a buffer is out of bounds.
    pub fn scatter(&mut self, iovs: &[Iovec], mut data: &[u8]) -> Result<usize, Errno> {
        let mut done = 0;
        for iov in iovs {
            if data.is_empty() {
                break;
            }
            let n = (iov.len as usize).min(data.len());
            self.slice_mut(iov.buf, n as u32)?
                .copy_from_slice(&data[..n]);
            data = &data[n..];
            done += n;
        }
        Ok(done)
    }

    /// A path argument (M6): `ptr, len` bytes, no NUL inside (`INVAL`), valid
    /// UTF-8 (`ILSEQ`).
    ///
    /// # Errors
    /// `OVERFLOW`, `INVAL` or `ILSEQ` as above.
    pub fn path(&self, ptr: u32, len: u32) -> Result<&str, Errno> {
        let bytes = self.slice(ptr, len)?;
        if bytes.contains(&0) {
            return Err(Errno::Inval);
        }
        core::str::from_utf8(bytes).map_err(|_| Errno::Ilseq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_checked_in_64_bits() {
        let mut mem = vec![0u8; 16];
        let g = GuestMemory::new(&mut mem);
        assert!(g.slice(8, 8).is_ok());
        assert_eq!(g.slice(8, 9), Err(Errno::Overflow));
        assert_eq!(g.slice(u32::MAX, 2), Err(Errno::Overflow));
        assert_eq!(g.read_u64(12), Err(Errno::Overflow));
    }

    #[test]
    fn iovecs_are_all_checked_before_use() {
        let mut mem = vec![0u8; 64];
        let mut g = GuestMemory::new(&mut mem);
        g.write_u32(0, 32).unwrap();
        g.write_u32(4, 4).unwrap();
        g.write_u32(8, 60).unwrap();
        g.write_u32(12, 8).unwrap();
        assert_eq!(g.iovecs(0, 1).unwrap(), vec![Iovec { buf: 32, len: 4 }]);
        assert_eq!(g.iovecs(0, 2), Err(Errno::Overflow));
    }

    #[test]
    fn paths_reject_nul_and_bad_utf8() {
        let mut mem = b"ok\0\xff".to_vec();
        let g = GuestMemory::new(&mut mem);
        assert_eq!(g.path(0, 2), Ok("ok"));
        assert_eq!(g.path(0, 3), Err(Errno::Inval));
        assert_eq!(g.path(3, 1), Err(Errno::Ilseq));
    }

    #[test]
    fn scatter_fills_buffers_in_order() {
        let mut mem = vec![0u8; 16];
        let mut g = GuestMemory::new(&mut mem);
        let iovs = [Iovec { buf: 0, len: 2 }, Iovec { buf: 8, len: 4 }];
        assert_eq!(g.scatter(&iovs, b"abcd").unwrap(), 4);
        assert_eq!(&mem[..2], b"ab");
        assert_eq!(&mem[8..10], b"cd");
    }
}
