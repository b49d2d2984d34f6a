//! Loading a module from a file by mapping it instead of reading it into memory.
#![allow(unsafe_code)]

use super::Module;
use crate::error::Error;
use std::path::Path;

impl Module {
    /// Maps a `.wasm` file and decodes it as [`Module::new`] does; the file is
    /// not copied into memory (only data segments are kept once decoded).
    ///
    /// # Errors
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) when the file cannot be opened or
    /// mapped; otherwise as [`Module::new`].
    pub fn from_file(path: impl AsRef<Path>) -> Result<Module, Error> {
        let file = std::fs::File::open(path.as_ref())?;
        let len = file.metadata()?.len();
        if len == 0 {
            // mmap of an empty file fails; an empty module is just invalid bytes.
            return Module::new(&[]);
        }
        // SAFETY: the map is private and read-only, and is dropped before this
        // function returns; decoding only reads it. Another process truncating
        // the file meanwhile is outside what any mmap-based loader can defend
        // against, and is documented as such (wasmtime makes the same choice).
        let map = unsafe { memmap2::Mmap::map(&file)? };
        debug_assert_eq!(map.len() as u64, len);
        Module::new(&map)
    }
}
