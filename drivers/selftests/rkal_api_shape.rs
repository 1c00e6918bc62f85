// SPDX-License-Identifier: GPL-2.0

//! Upstream's API, spelled as upstream spells it.
//!
//! Every path and signature below is written the way a driver written for
//! current upstream Linux (or for 6.12, where the two differ) writes it:
//! that this module compiles is the first half of the check, its KUnit
//! suite exercising the items is the second.

use kernel::{
    alloc::{
        allocator::{KVmalloc, Kmalloc, Vmalloc},
        flags::GFP_KERNEL,
        kbox::{Box, KBox},
        kvec::{InsertError, KVec, PushError, RemoveError, Vec},
        layout::ArrayLayout,
        AllocError,
    },
    b_str,
    device::Device,
    fs::{File, Kiocb},
    iov::{IovIterDest, IovIterSource},
    macros::{pin_data, vtable},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    str::{BStr, CStr},
    sync::{
        aref::ARef,
        atomic::{ordering, Atomic, AtomicType, Full, Relaxed},
        new_condvar, new_mutex, new_spinlock, Arc, ArcBorrow, CondVar, CondVarTimeoutResult,
        LockedBy, Mutex, Refcount, SpinLock, UniqueArc,
    },
    time::{msecs_to_jiffies, Jiffies},
    transmute::{AsBytes, FromBytes},
    types::{Either, ScopeGuard},
    uaccess::{UserPtr, UserSlice},
};

// `types::ARef` is still there, for 6.12 code.
#[allow(unused_imports)]
use kernel::types::ARef as _;

module! {
    type: ApiShape,
    name: "rkal_api_shape",
    authors: ["rkal developers"],
    description: "Upstream API shapes, compiled and exercised",
    license: "GPL",
}

#[pin_data]
struct ApiShape {
    #[pin]
    misc: MiscDeviceRegistration<ShapeDev>,
}

impl kernel::InPlaceModule for ApiShape {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            misc <- MiscDeviceRegistration::register(MiscDeviceOptions {
                name: c_str!("rkal-api-shape"),
            }),
        })
    }
}

/// A misc device with every operation in upstream's signatures.
#[pin_data]
struct ShapeDev {
    #[pin]
    buf: Mutex<KVVec<u8>>,
    dev: ARef<Device>,
}

#[vtable]
impl MiscDevice for ShapeDev {
    type Ptr = Pin<KBox<Self>>;

    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Pin<KBox<Self>>> {
        let dev = ARef::from(misc.device());
        dev_dbg!(dev, "open\n");
        KBox::try_pin_init(
            try_pin_init!(ShapeDev { buf <- new_mutex!(KVVec::new()), dev }),
            GFP_KERNEL,
        )
    }

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let me = kiocb.file();
        let buf = me.buf.lock();
        iov.simple_read_from_buffer(kiocb.ki_pos_mut(), &buf)
    }

    fn write_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let me = kiocb.file();
        let mut buf = me.buf.lock();
        let wanted = iov.len();
        let n = iov.copy_from_iter_vec(&mut buf, GFP_KERNEL)?;
        // A write that moved nothing from a non-empty buffer hit a bad
        // pointer: 0 would tell the caller to try again, for ever.
        if n == 0 && wanted != 0 {
            return Err(EFAULT);
        }
        Ok(n)
    }

    fn ioctl(me: Pin<&ShapeDev>, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        let mut data = KVec::new();
        UserSlice::new(UserPtr::from_addr(arg), 8)
            .reader()
            .read_all(&mut data, GFP_KERNEL)?;
        dev_info!(me.dev, "ioctl {:#x}: {} bytes\n", cmd, data.len());
        Ok(0)
    }

    fn compat_ioctl(me: Pin<&ShapeDev>, file: &File, cmd: u32, arg: usize) -> Result<isize> {
        Self::ioctl(me, file, cmd, arg)
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
#[repr(i32)]
enum Mode {
    Idle = 0,
    Busy = 1,
}

// SAFETY: `repr(i32)`, so `i32`'s size and alignment; only `Mode`s are
// stored, and `Mode` is `Send`.
unsafe impl AtomicType for Mode {
    type Repr = i32;
}

/// Upstream's bound for read-modify-write orderings.
fn swap_in<O: ordering::Ordering>(a: &Atomic<Mode>, m: Mode, o: O) -> Mode {
    a.xchg(m, o)
}

#[kunit_tests(rkal_api_shape)]
mod tests {
    use super::*;

    #[test]
    fn sync_paths_and_locks() -> Result {
        let m = KBox::pin_init(new_mutex!(1u32), GFP_KERNEL)?;
        let s: Pin<KBox<SpinLock<u32>>> = KBox::pin_init(new_spinlock!(2u32), GFP_KERNEL)?;
        // One lock at a time: a mutex may sleep, so it is never taken with
        // a spinlock held.
        let add = *s.lock();
        *m.lock() += add;
        assert_eq!(*m.lock(), 3);

        let owner = KBox::pin_init(new_mutex!(0u32), GFP_KERNEL)?;
        let lb = LockedBy::new(&owner, 5u64);
        let mut g = owner.lock();
        *lb.access_mut(&mut g) += 1;
        assert_eq!(*lb.access(&g), 6);
        Ok(())
    }

    #[test]
    fn condvar_times_out_in_jiffies() -> Result {
        #[pin_data]
        struct W {
            #[pin]
            m: Mutex<()>,
            #[pin]
            c: CondVar,
        }
        let w = KBox::pin_init(
            pin_init!(W { m <- new_mutex!(()), c <- new_condvar!() }),
            GFP_KERNEL,
        )?;
        let j: Jiffies = msecs_to_jiffies(5);
        let mut g = w.m.lock();
        assert!(matches!(
            w.c.wait_interruptible_timeout(&mut g, j),
            CondVarTimeoutResult::Timeout
        ));
        w.c.notify_sync();
        Ok(())
    }

    #[test]
    fn arc_family() -> Result {
        let u = UniqueArc::new_uninit(GFP_KERNEL)?.pin_init_with(new_mutex!(7u8))?;
        let a: Arc<Mutex<u8>> = u.into();
        let r: &Mutex<u8> = a.as_ref();
        assert_eq!(*r.lock(), 7);
        let p = Arc::as_ptr(&a);
        // SAFETY: `p` comes from `as_ptr` of `a`, which outlives the borrow.
        let b = unsafe { ArcBorrow::from_raw(p) };
        assert_eq!(*b.lock(), 7);
        let u = Arc::into_unique_or_drop(a).ok_or(EINVAL)?;
        assert_eq!(*u.lock(), 7);
        let rc = Refcount::new(2);
        rc.dec();
        assert_eq!(rc.as_atomic().load(Relaxed), 1);
        Ok(())
    }

    #[test]
    fn atomics_with_user_types() {
        let a = Atomic::new(Mode::Idle);
        assert_eq!(swap_in(&a, Mode::Busy, Full), Mode::Idle);
        assert_eq!(a.load(Relaxed), Mode::Busy);
    }

    #[test]
    fn vec_and_box() -> Result {
        let mut v: Vec<u32, Kmalloc> = Vec::new();
        v.extend_with(3, 1, GFP_KERNEL)?;
        assert_eq!(v, [1, 1, 1]);
        assert_eq!(v, &[1u32, 1, 1][..]);
        assert_eq!(v.remove(0)?, 1);
        assert!(matches!(v.remove(9), Err(RemoveError)));
        let full = v.capacity() - v.len();
        for _ in 0..full {
            v.push_within_capacity(0)?;
        }
        assert!(matches!(v.push_within_capacity(5), Err(PushError(5))));
        assert!(matches!(
            v.insert_within_capacity(99, 1),
            Err(InsertError::IndexOutOfBounds(1))
        ));
        let vv: Vec<u8, Vmalloc> = Vec::with_capacity(1, GFP_KERNEL)?;
        let kv: Vec<u8, KVmalloc> = Vec::new();
        assert!(vv == kv);
        let b: Box<u64, Kmalloc> = Box::new(1, GFP_KERNEL)?;
        let _empty = KBox::drop_contents(b);
        let l = ArrayLayout::<u64>::new(8).map_err(|_| EINVAL)?;
        assert_eq!(l.len(), 8);
        let _: Result<(), AllocError> = Ok(());
        Ok(())
    }

    #[test]
    fn types_and_strings() {
        let mut seen = 0;
        {
            let mut g = ScopeGuard::new_with_data(1, |v| seen = v);
            *g = 2;
        }
        assert_eq!(seen, 2);
        let e: Either<u8, u16> = Either::Right(3);
        assert!(matches!(e, Either::Right(3)));
        assert_eq!(true.as_bytes(), &[1]);
        assert_eq!([1u8, 2][..].as_bytes(), &[1, 2]);
        assert_eq!(
            u16::from_bytes_copy(&[1, 0]),
            Some(u16::from_le_bytes([1, 0]))
        );
        let s: &BStr = b_str!("abc");
        assert_eq!(&s[1..], b"bc");
        let c: &CStr = c_str!("abc");
        assert_eq!(c[1..].as_bytes(), b"bc");
        let lit: &CStr = c"abc".into();
        assert_eq!(lit, c);
        pr_debug!("only with debug assertions\n");
    }

    #[test]
    fn current_task() {
        assert!(current!().pid() > 0);
    }
}
