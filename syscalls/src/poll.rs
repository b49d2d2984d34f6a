//! `poll_oneoff` (§4.11): clock and fd subscriptions, per-subscription
//! errors, both subscription layouts.

use crate::abi::{EVENT_SIZE, SUBSCRIPTION_SIZE, SUBSCRIPTION_SIZE_UNSTABLE};
use crate::clock;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;
use std::time::{Duration, Instant};
use wisp_fdtable::{Filetype, Host, Rights};

/// Which `subscription` layout the guest uses.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// 48 bytes (preview1).
    Preview1,
    /// 56 bytes with a clock `identifier` (snapshot 0).
    Unstable,
}

const EVENTTYPE_CLOCK: u8 = 0;
const EVENTTYPE_FD_READ: u8 = 1;
const EVENTTYPE_FD_WRITE: u8 = 2;
const SUBSCRIPTION_CLOCK_ABSTIME: u16 = 1;
const FD_READWRITE_HANGUP: u16 = 1;

#[derive(Copy, Clone, Debug)]
struct Event {
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
    flags: u16,
}

enum Wait {
    /// Ready now with this event.
    Ready(Event),
    /// A clock firing at the deadline.
    Clock { deadline: Instant, userdata: u64 },
    /// A host fd to poll.
    Fd { userdata: u64, kind: u8, fd: u32 },
}

/// `poll_oneoff(in, out, nsubscriptions, nevents)`: waits until at least one
/// subscription is ready and reports every ready one.
///
/// # Errors
/// `INVAL` for no subscriptions or an unknown event type; `OVERFLOW` for bad
/// pointers. Problems of one subscription go in its event instead (P4).
///
/// # References
/// - [preview1 `poll_oneoff`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#poll_oneoff)
/// - [`poll(2)`](https://man7.org/linux/man-pages/man2/poll.2.html)
/// - [`clock_gettime(2)`](https://man7.org/linux/man-pages/man2/clock_gettime.2.html)
pub fn poll_oneoff(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    in_: u32,
    out: u32,
    nsubscriptions: u32,
    nevents: u32,
) -> Result<(), Errno> {
    poll(cx, mem, in_, out, nsubscriptions, nevents, Layout::Preview1)
}

fn ready(userdata: u64, kind: u8, error: Errno, nbytes: u64) -> Wait {
    Wait::Ready(Event {
        userdata,
        error,
        kind,
        nbytes,
        flags: 0,
    })
}

pub(crate) fn poll(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    in_: u32,
    out: u32,
    n: u32,
    nevents: u32,
    layout: Layout,
) -> Result<(), Errno> {
    if n == 0 {
        return Err(Errno::Inval);
    }
    let size = match layout {
        Layout::Preview1 => SUBSCRIPTION_SIZE,
        Layout::Unstable => SUBSCRIPTION_SIZE_UNSTABLE,
    };
    mem.check(in_, n as u64 * size as u64)?;
    mem.check(out, n as u64 * EVENT_SIZE as u64)?;
    mem.check(nevents, 4)?;

    let start = Instant::now();
    let mut waits = Vec::with_capacity(n as usize);
    for i in 0..n {
        let at = in_ + i * size;
        let userdata = mem.read_u64(at)?;
        let tag = mem.read_u8(at + 8)?;
        match tag {
            EVENTTYPE_CLOCK => {
                let (id, timeout, flags) = match layout {
                    Layout::Preview1 => (
                        mem.read_u32(at + 16)?,
                        mem.read_u64(at + 24)?,
                        mem.read_u16(at + 40)?,
                    ),
                    Layout::Unstable => (
                        mem.read_u32(at + 24)?,
                        mem.read_u64(at + 32)?,
                        mem.read_u16(at + 48)?,
                    ),
                };
                waits.push(clock_wait(userdata, id, timeout, flags, start));
            }
            EVENTTYPE_FD_READ | EVENTTYPE_FD_WRITE => {
                let fd = mem.read_u32(at + 16)?;
                waits.push(fd_wait(cx, userdata, tag, fd));
            }
            _ => return Err(Errno::Inval),
        }
    }

    let mut events: Vec<Event> = waits
        .iter()
        .filter_map(|w| {
            if let Wait::Ready(e) = w {
                Some(*e)
            } else {
                None
            }
        })
        .collect();
    if events.is_empty() {
        events = block(cx, &waits);
    }
    for (i, e) in events.iter().enumerate() {
        let mut b = [0u8; EVENT_SIZE as usize];
        b[0..8].copy_from_slice(&e.userdata.to_le_bytes());
        b[8..10].copy_from_slice(&e.error.raw().to_le_bytes());
        b[10] = e.kind;
        b[16..24].copy_from_slice(&e.nbytes.to_le_bytes());
        b[24..26].copy_from_slice(&e.flags.to_le_bytes());
        mem.write(out + i as u32 * EVENT_SIZE, &b)?;
    }
    mem.write_u32(nevents, events.len() as u32)
}

fn clock_wait(userdata: u64, id: u32, timeout: u64, flags: u16, start: Instant) -> Wait {
    if flags & !SUBSCRIPTION_CLOCK_ABSTIME != 0 || !(id == 0 || id == 1) {
        // CPU-time clocks cannot be waited on (P2); unknown flags are invalid.
        return ready(userdata, EVENTTYPE_CLOCK, Errno::Inval, 0);
    }
    let remaining = if flags & SUBSCRIPTION_CLOCK_ABSTIME != 0 {
        // Absolute deadlines are measured on their own clock (P2).
        match clock::now(id) {
            Ok(now) => timeout.saturating_sub(now),
            Err(e) => return ready(userdata, EVENTTYPE_CLOCK, e, 0),
        }
    } else {
        timeout
    };
    if remaining == 0 {
        return ready(userdata, EVENTTYPE_CLOCK, Errno::Success, 0);
    }
    match start.checked_add(Duration::from_nanos(remaining)) {
        Some(deadline) => Wait::Clock { deadline, userdata },
        // Beyond what the host can represent: effectively never.
        None => Wait::Clock {
            deadline: start + Duration::from_secs(u32::MAX as u64),
            userdata,
        },
    }
}

fn fd_wait(cx: &mut WasiCtx, userdata: u64, kind: u8, fd: u32) -> Wait {
    let right = if kind == EVENTTYPE_FD_READ {
        Rights::FD_READ
    } else {
        Rights::FD_WRITE
    };
    let entry = match cx.table.get(fd, right | Rights::POLL_FD_READWRITE) {
        Ok(e) => e,
        Err(e) => return ready(userdata, kind, e.into(), 0),
    };
    match entry.host() {
        Host::Stream(s) => {
            let n = if kind == EVENTTYPE_FD_READ {
                s.readable()
            } else {
                1
            };
            ready(userdata, kind, Errno::Success, n)
        }
        host => {
            let Some(bfd) = host.fd() else {
                return ready(userdata, kind, Errno::Badf, 0);
            };
            if entry.filetype() == Filetype::RegularFile {
                // Regular files are always ready (P3).
                let n = if kind == EVENTTYPE_FD_READ {
                    let size = rustix::fs::fstat(bfd)
                        .map(|st| st.st_size as u64)
                        .unwrap_or(0);
                    let pos = rustix::fs::seek(bfd, rustix::fs::SeekFrom::Current(0)).unwrap_or(0);
                    size.saturating_sub(pos)
                } else {
                    1
                };
                return ready(userdata, kind, Errno::Success, n);
            }
            if entry.filetype() == Filetype::Directory {
                return ready(userdata, kind, Errno::Isdir, 0);
            }
            Wait::Fd { userdata, kind, fd }
        }
    }
}

/// Blocks until a host fd is ready or the earliest clock fires; gives every
/// subscription ready at that point.
fn block(cx: &mut WasiCtx, waits: &[Wait]) -> Vec<Event> {
    let fds: Vec<(u64, u8, u32)> = waits
        .iter()
        .filter_map(|w| {
            if let Wait::Fd { userdata, kind, fd } = w {
                Some((*userdata, *kind, *fd))
            } else {
                None
            }
        })
        .collect();
    let earliest = waits
        .iter()
        .filter_map(|w| {
            if let Wait::Clock { deadline, .. } = w {
                Some(*deadline)
            } else {
                None
            }
        })
        .min();
    loop {
        let mut events = Vec::new();
        if fds.is_empty() {
            // Only clocks: a plain sleep, no busy waiting (P6).
            if let Some(d) = earliest {
                let now = Instant::now();
                if d > now {
                    std::thread::sleep(d - now);
                }
            }
        } else {
            let mut pollfds = Vec::with_capacity(fds.len());
            for &(_, kind, fd) in &fds {
                let flags = if kind == EVENTTYPE_FD_READ {
                    rustix::event::PollFlags::IN
                } else {
                    rustix::event::PollFlags::OUT
                };
                if let Some(b) = cx.table.get(fd, Rights::empty()).ok().and_then(|e| e.fd()) {
                    pollfds.push(rustix::event::PollFd::from_borrowed_fd(b, flags));
                }
            }
            let timeout = earliest.map(|d| {
                let left = d.saturating_duration_since(Instant::now());
                rustix::time::Timespec {
                    tv_sec: left.as_secs() as i64,
                    tv_nsec: left.subsec_nanos() as _,
                }
            });
            match rustix::event::poll(&mut pollfds, timeout.as_ref()) {
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(e) => {
                    for &(userdata, kind, _) in &fds {
                        events.push(Event {
                            userdata,
                            error: e.into(),
                            kind,
                            nbytes: 0,
                            flags: 0,
                        });
                    }
                    return events;
                }
            }
            for (pfd, &(userdata, kind, _)) in pollfds.iter().zip(&fds) {
                let r = pfd.revents();
                if r.is_empty() {
                    continue;
                }
                let hangup = r.contains(rustix::event::PollFlags::HUP);
                let flags = if hangup { FD_READWRITE_HANGUP } else { 0 };
                let error = if r.contains(rustix::event::PollFlags::NVAL) {
                    Errno::Badf
                } else {
                    Errno::Success
                };
                events.push(Event {
                    userdata,
                    error,
                    kind,
                    nbytes: if hangup { 0 } else { 1 },
                    flags,
                });
            }
        }
        let now = Instant::now();
        for w in waits {
            if let Wait::Clock { deadline, userdata } = w
                && *deadline <= now
            {
                events.push(Event {
                    userdata: *userdata,
                    error: Errno::Success,
                    kind: EVENTTYPE_CLOCK,
                    nbytes: 0,
                    flags: 0,
                });
            }
        }
        if !events.is_empty() {
            return events;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wisp_fdtable::{Entry, FdRights};

    /// One FD_READ subscription for `fd` at 0, the event at 64, nevents at 128.
    fn poll_read(cx: &mut WasiCtx, fd: u32) -> (Errno, u16, u64) {
        let mut bytes = vec![0u8; 256];
        let mut mem = GuestMemory::new(&mut bytes);
        mem.write_u64(0, 7).unwrap();
        mem.write_u8(8, EVENTTYPE_FD_READ).unwrap();
        mem.write_u32(16, fd).unwrap();
        poll_oneoff(cx, &mut mem, 0, 64, 1, 128).unwrap();
        assert_eq!(mem.read_u32(128).unwrap(), 1);
        assert_eq!(mem.read_u64(64).unwrap(), 7, "userdata is copied");
        let error = Errno::from_raw(mem.read_u16(72).unwrap()).unwrap();
        (error, mem.read_u16(88).unwrap(), mem.read_u64(80).unwrap())
    }

    #[test]
    fn a_closed_pipe_reports_hangup() {
        let (r, w) = rustix::pipe::pipe().unwrap();
        drop(w);
        let mut cx = WasiCtx::new();
        let entry = Entry::new(
            Host::Owned(r),
            Filetype::SocketStream,
            FdRights::for_filetype(Filetype::SocketStream, false),
        );
        let fd = cx.table_mut().insert(entry).unwrap();
        let (error, flags, _) = poll_read(&mut cx, fd);
        assert_eq!(error, Errno::Success);
        assert_eq!(flags, FD_READWRITE_HANGUP, "P7");
    }

    #[test]
    fn an_unknown_fd_is_an_event_error_not_a_call_error() {
        let mut cx = WasiCtx::new();
        let (error, _, _) = poll_read(&mut cx, 42);
        assert_eq!(error, Errno::Badf, "P4");
    }

    #[test]
    fn zero_subscriptions_are_inval() {
        let mut cx = WasiCtx::new();
        let mut bytes = vec![0u8; 64];
        let mut mem = GuestMemory::new(&mut bytes);
        assert_eq!(
            poll_oneoff(&mut cx, &mut mem, 0, 0, 0, 32),
            Err(Errno::Inval)
        );
    }
}
