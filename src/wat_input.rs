//! Modules from the WebAssembly text format, through the `wast` crate that
//! the `wisp` command links anyway (feature `wat`).

use crate::interp::{Error, Module};

/// Builds a [`Module`] from the text format.
///
/// ```
/// use wisp::{Linker, Module, Store, WatModule};
///
/// let module = Module::from_wat(r#"(module (func (export "seven") (result i32) (i32.const 7)))"#)?;
/// let mut store = Store::new(());
/// let instance = Linker::new().instantiate(&mut store, &module)?;
/// let seven = instance.get_typed_func::<(), i32>(&store, "seven")?;
/// assert_eq!(seven.call(&mut store, ())?, 7);
/// assert!(Module::from_wat("(module (func (result i32)))").is_err()); // invalid
/// assert!(Module::from_wat("(module").is_err()); // not text
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait WatModule: Sized {
    /// Parses `text` (a `(module ...)`), encodes it and validates the result.
    ///
    /// # Errors
    /// A parse error with its line and column, or the module's own decoding
    /// or validation error.
    fn from_wat(text: &str) -> Result<Self, Error>;
}

impl WatModule for Module {
    fn from_wat(text: &str) -> Result<Module, Error> {
        let encoded = wast::parser::ParseBuffer::new(text)
            .and_then(|buf| wast::parser::parse::<wast::Wat<'_>>(&buf)?.encode());
        match encoded {
            Ok(bytes) => Module::new(&bytes),
            Err(e) => {
                let (line, col) = e.span().linecol_in(text);
                Err(Error::from(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "not the WebAssembly text format: {} at line {}, column {}",
                        e.message(),
                        line + 1,
                        col + 1
                    ),
                )))
            }
        }
    }
}
