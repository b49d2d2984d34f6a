//! preview1 (and snapshot-0) struct layouts with explicit sizes and offsets
//! (wasi-reference §2.5 and §3). Padding is written as zero.

use crate::errno::Errno;
use crate::guest::GuestMemory;
use wisp_fdtable::{Filetype, Rights};

/// `filestat`, as both ABIs know it; written in either layout.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Filestat {
    /// Device id.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
    /// File type.
    pub filetype: u8,
    /// Hard-link count.
    pub nlink: u64,
    /// Size in bytes (a symlink: the length of its target).
    pub size: u64,
    /// Access time, ns since the epoch.
    pub atim: u64,
    /// Modification time, ns since the epoch.
    pub mtim: u64,
    /// Status-change time, ns since the epoch.
    pub ctim: u64,
}

impl Filestat {
    /// Size of the preview1 layout.
    pub const SIZE: u32 = 64;
    /// Size of the snapshot-0 layout.
    pub const SIZE_UNSTABLE: u32 = 56;

    /// From a host `stat`.
    #[allow(clippy::unnecessary_cast)] // Field widths differ between targets.
    pub fn from_host(st: &rustix::fs::Stat) -> Filestat {
        let ns = |sec: i64, nsec: u64| -> u64 {
            if sec < 0 {
                0
            } else {
                (sec as u64)
                    .saturating_mul(1_000_000_000)
                    .saturating_add(nsec)
            }
        };
        Filestat {
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
            filetype: Filetype::from_host(rustix::fs::FileType::from_raw_mode(st.st_mode as _))
                .raw(),
            nlink: st.st_nlink as u64,
            size: st.st_size as u64,
            atim: ns(st.st_atime as i64, st.st_atime_nsec as u64),
            mtim: ns(st.st_mtime as i64, st.st_mtime_nsec as u64),
            ctim: ns(st.st_ctime as i64, st.st_ctime_nsec as u64),
        }
    }

    /// Writes the 64-byte preview1 layout at `ptr`.
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds (nothing written then).
    pub fn write_preview1(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> Result<(), Errno> {
        let mut b = [0u8; 64];
        b[0..8].copy_from_slice(&self.dev.to_le_bytes());
        b[8..16].copy_from_slice(&self.ino.to_le_bytes());
        b[16] = self.filetype;
        b[24..32].copy_from_slice(&self.nlink.to_le_bytes());
        b[32..40].copy_from_slice(&self.size.to_le_bytes());
        b[40..48].copy_from_slice(&self.atim.to_le_bytes());
        b[48..56].copy_from_slice(&self.mtim.to_le_bytes());
        b[56..64].copy_from_slice(&self.ctim.to_le_bytes());
        mem.write(ptr, &b)
    }

    /// Writes the 56-byte snapshot-0 layout (`nlink` as a saturated u32 at 20).
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds (nothing written then).
    pub fn write_unstable(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> Result<(), Errno> {
        let mut b = [0u8; 56];
        b[0..8].copy_from_slice(&self.dev.to_le_bytes());
        b[8..16].copy_from_slice(&self.ino.to_le_bytes());
        b[16] = self.filetype;
        b[20..24].copy_from_slice(&(self.nlink.min(u32::MAX as u64) as u32).to_le_bytes());
        b[24..32].copy_from_slice(&self.size.to_le_bytes());
        b[32..40].copy_from_slice(&self.atim.to_le_bytes());
        b[40..48].copy_from_slice(&self.mtim.to_le_bytes());
        b[48..56].copy_from_slice(&self.ctim.to_le_bytes());
        mem.write(ptr, &b)
    }
}

/// `fdstat`: 24 bytes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Fdstat {
    /// File type.
    pub filetype: u8,
    /// WASI fd flags.
    pub flags: u16,
    /// Base rights.
    pub rights_base: Rights,
    /// Inheriting rights.
    pub rights_inheriting: Rights,
}

impl Fdstat {
    /// Writes the 24-byte layout, with rights masked to `mask` (29 bits for snapshot 0).
    ///
    /// # Errors
    /// `OVERFLOW` when out of bounds.
    pub fn write(&self, mem: &mut GuestMemory<'_>, ptr: u32, mask: Rights) -> Result<(), Errno> {
        let mut b = [0u8; 24];
        b[0] = self.filetype;
        b[2..4].copy_from_slice(&self.flags.to_le_bytes());
        b[8..16].copy_from_slice(&(self.rights_base & mask).bits().to_le_bytes());
        b[16..24].copy_from_slice(&(self.rights_inheriting & mask).bits().to_le_bytes());
        mem.write(ptr, &b)
    }
}

/// `whence` of `fd_seek`, by name (the numbering differs between ABIs).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Whence {
    /// From the start.
    Set,
    /// From the current offset.
    Cur,
    /// From the end.
    End,
}

impl Whence {
    /// preview1 numbering: 0 SET, 1 CUR, 2 END.
    ///
    /// # Errors
    /// `INVAL` for anything else (M4).
    pub fn from_preview1(raw: u32) -> Result<Whence, Errno> {
        match raw {
            0 => Ok(Whence::Set),
            1 => Ok(Whence::Cur),
            2 => Ok(Whence::End),
            _ => Err(Errno::Inval),
        }
    }

    /// snapshot-0 numbering: 0 CUR, 1 END, 2 SET.
    ///
    /// # Errors
    /// `INVAL` for anything else.
    pub fn from_unstable(raw: u32) -> Result<Whence, Errno> {
        match raw {
            0 => Ok(Whence::Cur),
            1 => Ok(Whence::End),
            2 => Ok(Whence::Set),
            _ => Err(Errno::Inval),
        }
    }
}

/// Size of an `event`, both ABIs.
pub const EVENT_SIZE: u32 = 32;
/// Size of a preview1 `subscription`.
pub const SUBSCRIPTION_SIZE: u32 = 48;
/// Size of a snapshot-0 `subscription`.
pub const SUBSCRIPTION_SIZE_UNSTABLE: u32 = 56;
/// Size of a `dirent` header (the name follows it).
pub const DIRENT_SIZE: u32 = 24;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filestat_layouts_put_fields_at_their_offsets() {
        let st = Filestat {
            dev: 1,
            ino: 2,
            filetype: 4,
            nlink: 3,
            size: 5,
            atim: 6,
            mtim: 7,
            ctim: 8,
        };
        let mut mem = vec![0xaau8; 128];
        let mut g = GuestMemory::new(&mut mem);
        st.write_preview1(&mut g, 0).unwrap();
        st.write_unstable(&mut g, 64).unwrap();
        assert_eq!(mem[16], 4);
        assert_eq!(&mem[17..24], &[0; 7]);
        assert_eq!(u64::from_le_bytes(mem[24..32].try_into().unwrap()), 3);
        assert_eq!(u64::from_le_bytes(mem[56..64].try_into().unwrap()), 8);
        assert_eq!(u32::from_le_bytes(mem[84..88].try_into().unwrap()), 3);
        assert_eq!(u64::from_le_bytes(mem[88..96].try_into().unwrap()), 5);
        assert_eq!(u64::from_le_bytes(mem[112..120].try_into().unwrap()), 8);
        assert_eq!(mem[120], 0xaa, "the 56-byte layout stops at 56");
    }

    #[test]
    fn whence_numbering_differs_between_abis() {
        assert_eq!(Whence::from_preview1(0), Ok(Whence::Set));
        assert_eq!(Whence::from_unstable(0), Ok(Whence::Cur));
        assert_eq!(Whence::from_unstable(2), Ok(Whence::Set));
        assert_eq!(Whence::from_preview1(3), Err(Errno::Inval));
    }
}
