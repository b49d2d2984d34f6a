//! The fd table: number allocation (lowest free first), lookups that demand rights, renumber, close.

use std::collections::BTreeSet;
use std::convert::Infallible;

use crate::entry::Entry;
use crate::error::{Error, RightsSet};
use crate::fd::Fd;
use crate::flags::Fdflags;
use crate::rights::{FdRights, OpenRequest, Rights};

/// The default limit on fd numbers: a table holds at most this many entries.
pub const DEFAULT_MAX_FDS: u32 = 8192;

/// The highest limit a table accepts: fds at or above 2^31 are never handed out (F1).
pub const MAX_FDS_CEILING: u32 = 1 << 31;

/// Fd flags `fd_fdstat_set_flags` may not change (F9).
const SYNC_FLAGS: Fdflags = Fdflags::DSYNC.union(Fdflags::RSYNC).union(Fdflags::SYNC);

/// The guest's descriptors, by number.
///
/// `S` is the embedding layer's stream type for [`Host::Stream`](crate::Host::Stream);
/// it defaults to [`Infallible`] (no streams).
///
/// Every lookup checks existence before rights, so a closed fd is BADF even when the
/// caller also demanded rights (F2).
#[derive(Debug)]
pub struct FdTable<S = Infallible> {
    /// Index = fd number. Never ends in `None`.
    slots: Vec<Option<Entry<S>>>,
    /// The numbers below `slots.len()` whose slot is `None`.
    free: BTreeSet<Fd>,
    /// Number of open entries.
    open: usize,
    /// Every fd number is below this.
    max_fds: u32,
}

impl<S> Default for FdTable<S> {
    fn default() -> Self {
        FdTable::new()
    }
}

impl<S> FdTable<S> {
    /// An empty table limited to [`DEFAULT_MAX_FDS`] numbers.
    pub fn new() -> FdTable<S> {
        FdTable::with_max_fds(DEFAULT_MAX_FDS)
    }

    /// An empty table whose fd numbers stay below `max_fds` (capped at [`MAX_FDS_CEILING`]).
    pub fn with_max_fds(max_fds: u32) -> FdTable<S> {
        FdTable {
            slots: Vec::new(),
            free: BTreeSet::new(),
            open: 0,
            max_fds: max_fds.min(MAX_FDS_CEILING),
        }
    }

    /// The limit: every fd number is below it.
    pub fn max_fds(&self) -> u32 {
        self.max_fds
    }

    /// Number of open descriptors.
    pub fn len(&self) -> usize {
        self.open
    }

    /// True if no descriptor is open.
    pub fn is_empty(&self) -> bool {
        self.open == 0
    }

    /// True if `fd` is open.
    pub fn contains(&self, fd: Fd) -> bool {
        self.slot(fd).is_some()
    }

    /// Adds `entry` under the lowest free number (F1) and returns that number.
    ///
    /// # Errors
    ///
    /// [`Error::TooManyFiles`] (NFILE) when every number below the limit is in use.
    pub fn insert(&mut self, entry: Entry<S>) -> Result<Fd, Error> {
        let fd = match self.free.pop_first() {
            Some(fd) => {
                self.slots[fd as usize] = Some(entry);
                fd
            }
            None => {
                // No free number below `slots.len()`, so the next is `slots.len()`.
                let fd = self.slots.len() as Fd;
                if fd >= self.max_fds {
                    return Err(Error::too_many_files(self.max_fds));
                }
                self.slots.push(Some(entry));
                fd
            }
        };
        self.open += 1;
        Ok(fd)
    }

    /// Puts `entry` under number `fd` (stdio at 0–2, preopens at 3, 4, …), returning the
    /// entry it replaced, if any; dropping that closes it as [`close`](Self::close) would.
    ///
    /// # Errors
    ///
    /// [`Error::TooManyFiles`] (NFILE) if `fd` is not below the limit.
    pub fn insert_at(&mut self, fd: Fd, entry: Entry<S>) -> Result<Option<Entry<S>>, Error> {
        if fd >= self.max_fds {
            return Err(Error::too_many_files(self.max_fds));
        }
        // `slots.len() <= max_fds <= 2^31`, so every index fits an `Fd`.
        let len = self.slots.len() as Fd;
        if fd >= len {
            self.free.extend(len..fd);
            self.slots.resize_with(fd as usize + 1, || None);
        } else {
            self.free.remove(&fd);
        }
        let old = self.slots[fd as usize].replace(entry);
        if old.is_none() {
            self.open += 1;
        }
        Ok(old)
    }

    /// The entry for `fd`, if its base rights include `required` (pass
    /// [`Rights::empty()`] to demand none).
    ///
    /// # Errors
    ///
    /// [`Error::BadFd`] (BADF) if `fd` is not open; then [`Error::NotCapable`] (NOTCAPABLE)
    /// naming the missing base rights (F2, R1).
    pub fn get(&self, fd: Fd, required: Rights) -> Result<&Entry<S>, Error> {
        let entry = self.slot(fd).ok_or_else(|| Error::bad_fd(fd))?;
        demand(fd, entry, required)?;
        Ok(entry)
    }

    /// Like [`get`](Self::get), mutably.
    ///
    /// # Errors
    ///
    /// [`Error::BadFd`] (BADF), then [`Error::NotCapable`] (NOTCAPABLE), as for `get`.
    pub fn get_mut(&mut self, fd: Fd, required: Rights) -> Result<&mut Entry<S>, Error> {
        let entry = self
            .slots
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or_else(|| Error::bad_fd(fd))?;
        demand(fd, entry, required)?;
        Ok(entry)
    }

    /// The entry for `fd` if it is a directory holding `required` base rights: the lookup
    /// for every `path_*` call and `fd_readdir`.
    ///
    /// # Errors
    ///
    /// In this order (§4.5 step 1): [`Error::BadFd`] (BADF) if `fd` is not open,
    /// [`Error::NotDir`] (NOTDIR, R6) if it is not a directory, [`Error::NotCapable`]
    /// (NOTCAPABLE) if base rights are missing.
    pub fn get_dir(&self, fd: Fd, required: Rights) -> Result<&Entry<S>, Error> {
        let entry = self.slot(fd).ok_or_else(|| Error::bad_fd(fd))?;
        if !entry.is_dir() {
            return Err(Error::not_dir(fd));
        }
        demand(fd, entry, required)?;
        Ok(entry)
    }

    /// The directory entry `path_open` opens through, after checking `request` against it
    /// (R2): the base rights [`OpenRequest::dir_base_rights`] and the inheriting rights
    /// [`OpenRequest::dir_inheriting_rights`]. Asking for more than the directory passes on
    /// is an error, not a silent narrowing; the new fd's rights then come from
    /// [`OpenRequest::granted`].
    ///
    /// # Errors
    ///
    /// As [`get_dir`](Self::get_dir), then [`Error::NotCapable`] with
    /// [`RightsSet::Inheriting`] naming the inheriting rights the directory lacks.
    pub fn get_for_open(&self, fd: Fd, request: &OpenRequest) -> Result<&Entry<S>, Error> {
        let entry = self.get_dir(fd, request.dir_base_rights())?;
        let missing = request
            .dir_inheriting_rights()
            .difference(entry.rights().inheriting);
        if !missing.is_empty() {
            return Err(Error::not_capable(fd, RightsSet::Inheriting, missing));
        }
        Ok(entry)
    }

    /// Removes `fd` and returns its entry; dropping the entry closes an owned host fd, never
    /// a borrowed one such as the host's stdio (F3). The number becomes free.
    ///
    /// # Errors
    ///
    /// [`Error::BadFd`] (BADF) if `fd` is not open (including a second close).
    pub fn close(&mut self, fd: Fd) -> Result<Entry<S>, Error> {
        self.remove(fd).ok_or_else(|| Error::bad_fd(fd))
    }

    /// `fd_renumber` (F4): moves `from`'s entry (rights, flags, preopen name, host handle
    /// and so its offset) to `to`, frees `from`, and returns the entry that was at `to`;
    /// dropping it closes it as [`close`](Self::close) would. Renumbering onto a preopen
    /// replaces it. `from == to` changes nothing and returns `None`.
    ///
    /// # Errors
    ///
    /// [`Error::BadFd`] (BADF) naming `from`, then `to`, if either is not open, including
    /// when they are equal.
    pub fn renumber(&mut self, from: Fd, to: Fd) -> Result<Option<Entry<S>>, Error> {
        if !self.contains(from) {
            return Err(Error::bad_fd(from));
        }
        if !self.contains(to) {
            return Err(Error::bad_fd(to));
        }
        if from == to {
            return Ok(None);
        }
        let Some(moving) = self.remove(from) else {
            unreachable!("`from` was checked open")
        };
        let old = self.slots[to as usize].replace(moving);
        debug_assert!(old.is_some(), "`to` was checked open");
        Ok(old)
    }

    /// `fd_fdstat_set_rights` (F10): replaces `fd`'s rights with narrower sets. Rights never
    /// grow back.
    ///
    /// # Errors
    ///
    /// [`Error::BadFd`] (BADF) if `fd` is not open; [`Error::NotCapable`] (NOTCAPABLE) naming
    /// the set and the rights that `fs_rights_base` or `fs_rights_inheriting` would add.
    pub fn set_rights(
        &mut self,
        fd: Fd,
        fs_rights_base: Rights,
        fs_rights_inheriting: Rights,
    ) -> Result<(), Error> {
        let entry = self.get_mut(fd, Rights::empty())?;
        let current = entry.rights();
        let wider = fs_rights_base.difference(current.base);
        if !wider.is_empty() {
            return Err(Error::not_capable(fd, RightsSet::Base, wider));
        }
        let wider = fs_rights_inheriting.difference(current.inheriting);
        if !wider.is_empty() {
            return Err(Error::not_capable(fd, RightsSet::Inheriting, wider));
        }
        entry.set_rights(FdRights::new(fs_rights_base, fs_rights_inheriting));
        Ok(())
    }

    /// `fd_fdstat_set_flags` (F9): records `fdflags` as `fd`'s flags. Only APPEND and
    /// NONBLOCK may change; the sync flags must stay as they are, so a read-modify-write of
    /// the flags an fd was opened with succeeds. The caller applies the change to the host
    /// handle; this only checks and records it.
    ///
    /// # Errors
    ///
    /// [`Error::BadFd`] (BADF); [`Error::NotCapable`] (NOTCAPABLE) without
    /// FD_FDSTAT_SET_FLAGS; [`Error::UnsupportedFdflags`] (NOTSUP) naming the DSYNC, RSYNC
    /// or SYNC bits the call would change.
    pub fn set_fdflags(&mut self, fd: Fd, fdflags: Fdflags) -> Result<(), Error> {
        let entry = self.get_mut(fd, Rights::FD_FDSTAT_SET_FLAGS)?;
        let changed = entry
            .fdflags()
            .symmetric_difference(fdflags)
            .intersection(SYNC_FLAGS);
        if !changed.is_empty() {
            return Err(Error::unsupported_fdflags(fd, changed));
        }
        entry.set_fdflags(fdflags);
        Ok(())
    }

    /// The preopen name of `fd`, for `fd_prestat_get` and `fd_prestat_dir_name`.
    ///
    /// # Errors
    ///
    /// [`Error::BadFd`] if `fd` is not open; [`Error::NotPreopen`] if it is open but not a
    /// preopen. Both are BADF for the guest (F5), which is what ends wasi-libc's preopen scan.
    pub fn preopen_name(&self, fd: Fd) -> Result<&str, Error> {
        self.get(fd, Rights::empty())?
            .preopen_name()
            .ok_or_else(|| Error::not_preopen(fd))
    }

    /// The preopens still open, with their names, in fd order.
    pub fn preopens(&self) -> impl Iterator<Item = (Fd, &str)> + '_ {
        self.iter()
            .filter_map(|(fd, entry)| Some((fd, entry.preopen_name()?)))
    }

    /// Every open descriptor in fd order.
    pub fn iter(&self) -> impl Iterator<Item = (Fd, &Entry<S>)> + '_ {
        (0..)
            .zip(&self.slots)
            .filter_map(|(fd, slot)| Some((fd, slot.as_ref()?)))
    }

    fn slot(&self, fd: Fd) -> Option<&Entry<S>> {
        self.slots.get(fd as usize)?.as_ref()
    }

    /// Takes `fd`'s entry out, keeping the free set and the no-trailing-`None` rule.
    fn remove(&mut self, fd: Fd) -> Option<Entry<S>> {
        let entry = self.slots.get_mut(fd as usize)?.take()?;
        self.open -= 1;
        self.free.insert(fd);
        while let Some(None) = self.slots.last() {
            self.slots.pop();
            self.free.remove(&(self.slots.len() as Fd));
        }
        Some(entry)
    }
}

/// Checks that `entry`'s base rights include `required`.
fn demand<S>(fd: Fd, entry: &Entry<S>, required: Rights) -> Result<(), Error> {
    let missing = required.difference(entry.rights().base);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::not_capable(fd, RightsSet::Base, missing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::Host;
    use crate::flags::Filetype;

    fn stream(tag: u32) -> Entry<u32> {
        Entry::new(
            Host::Stream(tag),
            Filetype::RegularFile,
            FdRights::REGULAR_FILE,
        )
    }

    /// Checks the private invariants after every step.
    fn check(table: &FdTable<u32>) {
        assert!(
            !matches!(table.slots.last(), Some(None)),
            "no trailing free slots"
        );
        let free: BTreeSet<Fd> = (0..)
            .zip(&table.slots)
            .filter(|(_, s)| s.is_none())
            .map(|(fd, _)| fd)
            .collect();
        assert_eq!(table.free, free);
        assert_eq!(table.open, table.slots.iter().flatten().count());
    }

    #[test]
    fn free_set_tracks_holes_and_trims_the_tail() {
        let mut table = FdTable::new();
        for tag in 0..5 {
            table.insert(stream(tag)).expect("room");
        }
        table.close(1).expect("open");
        table.close(4).expect("open");
        check(&table);
        assert_eq!(table.slots.len(), 4, "trailing slot 4 trimmed");
        table.close(3).expect("open");
        table.close(2).expect("open");
        check(&table);
        assert_eq!(table.slots.len(), 1);
        assert!(table.free.is_empty());
        table.insert_at(6, stream(6)).expect("below limit");
        check(&table);
        assert_eq!(table.free, BTreeSet::from([1, 2, 3, 4, 5]));
        table.renumber(6, 0).expect("both open");
        check(&table);
        assert_eq!(table.slots.len(), 1);
        assert_eq!(table.len(), 1);
    }

    #[test]
    fn table_is_send_and_sync_for_send_streams() {
        // The WASI context must be Send (wasi-reference.md §1.2).
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<FdTable>();
        assert_send_sync::<FdTable<Vec<u8>>>();
    }

    #[test]
    fn limit_is_capped_at_2_pow_31() {
        let table: FdTable<u32> = FdTable::with_max_fds(u32::MAX);
        assert_eq!(table.max_fds(), 1 << 31);
        assert_eq!(FdTable::<u32>::new().max_fds(), DEFAULT_MAX_FDS);
    }
}
