// SPDX-License-Identifier: GPL-2.0

//! Atomics under the Linux kernel memory model (LKMM).
//!
//! [`Atomic<T>`] is the Rust side of C's `atomic_t`, `atomic64_t` and
//! `atomic_long_t` (and of `READ_ONCE`/`xchg`/`cmpxchg` on plain scalars):
//! every operation of the kernel's `scripts/atomic/atomics.tbl`, in every
//! ordering the table defines. The methods are generated at build time from
//! that table by `scripts/gen_atomics.py`, and each runs, inline, the very
//! instructions clang generates for the C function of the same name: Rust
//! and C cannot drift, and there is no call. `make atomics-check` proves it.
//!
//! Orderings are types ([`Relaxed`], [`Acquire`], [`Release`], [`Full`])
//! passed by value; an ordering an operation does not have is a compile
//! error: loads take [`AcquireOrRelaxed`], stores [`ReleaseOrRelaxed`],
//! read-modify-write operations [`ordering::Ordering`]. Operations without
//! ordering variants in C take the one ordering they have: `Relaxed` for
//! the void ones (`add`), `Full` for the conditional ones (`dec_and_test`).
//!
//! ```
//! use kernel::sync::atomic::{Atomic, Acquire, Full, Relaxed, Release};
//!
//! let a = Atomic::new(40i32);
//! a.add(2, Relaxed);
//! assert_eq!(a.load(Acquire), 42);
//! assert_eq!(a.fetch_add(1, Full), 42);
//! assert_eq!(a.cmpxchg(43, 0, Release), Ok(43));
//! assert_eq!(a.cmpxchg(43, 1, Full), Err(0));
//! assert!(!a.inc_and_test(Full));
//! ```
//!
//! A wrong ordering does not compile; `a.load(Release)` fails with:
//!
//! ```text
//! error[E0277]: the trait bound `kernel::sync::atomic::Release: AcquireOrRelaxed` is not satisfied
//! ```
//!
//! (`make test` compiles such misuse from `scripts/compile-fail/` and checks
//! it is rejected.)
//!
//! User types opt in through the unsafe trait [`AtomicType`]: here a
//! `#[repr(i32)]` enum, stored in an `atomic_t`-sized cell. It gets the
//! operations that only move whole values (no arithmetic):
//!
//! ```
//! use kernel::sync::atomic::{Atomic, AtomicType, Acquire, Full, Release};
//!
//! #[derive(Clone, Copy, PartialEq, Debug)]
//! #[repr(i32)]
//! enum State {
//!     Idle = 0,
//!     Busy = 1,
//! }
//!
//! // SAFETY: `State` is `repr(i32)`, so it has `i32`'s size and alignment,
//! // and the operations available without `AtomicArith` only store values
//! // that were `State`s.
//! unsafe impl AtomicType for State {
//!     type Repr = i32;
//! }
//!
//! let s = Atomic::new(State::Idle);
//! assert_eq!(s.cmpxchg(State::Idle, State::Busy, Full), Ok(State::Idle));
//! assert_eq!(s.cmpxchg(State::Idle, State::Busy, Full), Err(State::Busy));
//! s.store(State::Idle, Release);
//! assert_eq!(s.load(Acquire), State::Idle);
//! ```
//!
//! [`atomic_load`] and [`atomic_store`] are `READ_ONCE()` /
//! `smp_load_acquire()` and `WRITE_ONCE()` / `smp_store_release()` for
//! memory that is not an `Atomic<T>` (for example a field of a C struct).
//!
//! See `Documentation/rust/memory-model.rst`.

pub mod ordering;

pub use ordering::{Acquire, AcquireOrRelaxed, Full, Relaxed, Release, ReleaseOrRelaxed};

use core::cell::UnsafeCell;

/// A value of type `T` that may be accessed concurrently, only through
/// atomic operations.
///
/// Same size, alignment and bit validity as `T` (`repr(transparent)`), so
/// [`Atomic::from_ptr`] can view memory C shares with Rust.
///
/// # Examples
///
/// Arithmetic returns the new value (`*_return`) or the old one (`fetch_*`),
/// and wraps around like C's:
///
/// ```
/// use kernel::sync::atomic::{Atomic, Acquire, Full, Relaxed, Release};
/// let a = Atomic::new(10i32);
/// assert_eq!(a.add_return(5, Full), 15);
/// assert_eq!(a.fetch_add(5, Acquire), 15);
/// assert_eq!(a.sub_return(1, Release), 19);
/// assert_eq!(a.fetch_sub(9, Relaxed), 19);
/// assert_eq!(a.inc_return(Full), 11);
/// assert_eq!(a.fetch_inc(Full), 11);
/// assert_eq!(a.dec_return(Full), 11);
/// assert_eq!(a.fetch_dec(Full), 11);
/// a.add(100, Relaxed);
/// a.sub(10, Relaxed);
/// a.inc(Relaxed);
/// a.dec(Relaxed);
/// assert_eq!(a.load(Relaxed), 100);
///
/// let w = Atomic::new(i32::MAX);
/// assert_eq!(w.inc_return(Full), i32::MIN);
/// let u = Atomic::new(0u64);
/// assert_eq!(u.dec_return(Full), u64::MAX);
/// let z = Atomic::new(usize::MAX);
/// assert_eq!(z.fetch_add(2, Full), usize::MAX);
/// assert_eq!(z.load(Relaxed), 1);
/// ```
///
/// Bitwise operations:
///
/// ```
/// use kernel::sync::atomic::{Atomic, Full, Relaxed};
/// let a = Atomic::new(0b1100u32);
/// assert_eq!(a.fetch_and(0b1010, Full), 0b1100);
/// assert_eq!(a.load(Relaxed), 0b1000);
/// assert_eq!(a.fetch_or(0b0011, Full), 0b1000);
/// assert_eq!(a.fetch_xor(0b1111, Full), 0b1011);
/// assert_eq!(a.load(Relaxed), 0b0100);
/// assert_eq!(a.fetch_andnot(0b0100, Full), 0b0100);
/// assert_eq!(a.load(Relaxed), 0);
/// a.or(0b11, Relaxed);
/// a.and(0b10, Relaxed);
/// a.xor(0b11, Relaxed);
/// a.andnot(0b10, Relaxed);
/// assert_eq!(a.load(Relaxed), 0b01);
/// ```
///
/// Exchange and compare-exchange; a failed compare-exchange reports the
/// value it found:
///
/// ```
/// use kernel::sync::atomic::{Atomic, Acquire, Full, Relaxed};
/// let a = Atomic::new(1i64);
/// assert_eq!(a.xchg(2, Full), 1);
/// assert_eq!(a.cmpxchg(2, 3, Full), Ok(2));
/// assert_eq!(a.cmpxchg(2, 4, Acquire), Err(3));
/// assert_eq!(a.load(Relaxed), 3);
///
/// let mut old = 5;
/// assert!(!a.try_cmpxchg(&mut old, 6, Full));
/// assert_eq!(old, 3);
/// assert!(a.try_cmpxchg(&mut old, 6, Full));
/// assert_eq!(a.load(Relaxed), 6);
/// ```
///
/// Conditional operations:
///
/// ```
/// use kernel::sync::atomic::{Atomic, Full, Relaxed};
/// let a = Atomic::new(2i32);
/// assert!(!a.dec_and_test(Full));
/// assert!(a.dec_and_test(Full));
/// assert!(!a.inc_and_test(Full));
/// assert!(a.sub_and_test(1, Full));
/// assert!(a.add_negative(-1, Full));
/// assert!(!a.add_negative(1, Full));
///
/// // add_unless: adds unless the value is the limit.
/// assert!(!a.add_unless(5, 0, Full));
/// assert_eq!(a.load(Relaxed), 0);
/// assert!(a.add_unless(5, 1, Full));
/// assert_eq!(a.fetch_add_unless(1, 5, Full), 5);
/// assert_eq!(a.fetch_add_unless(1, 7, Full), 5);
/// assert_eq!(a.load(Relaxed), 6);
///
/// let z = Atomic::new(0i32);
/// assert!(!z.inc_not_zero(Full));
/// assert!(z.inc_unless_negative(Full));
/// assert!(!z.dec_unless_positive(Full));
/// assert_eq!(z.dec_if_positive(Full), 0);
/// assert_eq!(z.dec_if_positive(Full), -1);
/// assert_eq!(z.load(Relaxed), 0);
/// let n = Atomic::new(-1i32);
/// assert!(!n.inc_unless_negative(Full));
/// assert!(n.dec_unless_positive(Full));
/// assert_eq!(n.load(Relaxed), -2);
/// ```
///
/// Narrow types, `bool` and pointers (the pointer keeps its provenance):
///
/// ```
/// use kernel::sync::atomic::{Atomic, Acquire, Full, Relaxed, Release};
/// let b = Atomic::new(-3i8);
/// assert_eq!(b.xchg(4, Full), -3);
/// assert_eq!(b.cmpxchg(4, 5, Relaxed), Ok(4));
/// let h = Atomic::new(u16::MAX);
/// assert_eq!(h.cmpxchg(0, 1, Full), Err(u16::MAX));
/// let f = Atomic::new(false);
/// f.store(true, Release);
/// assert!(f.load(Acquire));
/// assert_eq!(f.xchg(false, Full), true);
///
/// let mut x = 7u32;
/// let mut y = 8u32;
/// let p = Atomic::new(&mut x as *mut u32);
/// let old = p.xchg(&mut y as *mut u32, Full);
/// // SAFETY: `old` came from `&mut x`, which is live and not otherwise
/// // borrowed now.
/// assert_eq!(unsafe { *old }, 7);
/// // SAFETY: the stored pointer came from `&mut y`, likewise.
/// assert_eq!(unsafe { *p.load(Acquire) }, 8);
/// ```
///
/// Concurrent increments from several kernel threads add up exactly:
///
/// ```
/// use kernel::{kthread, sync::atomic::{Atomic, Acquire, Full, Relaxed}};
/// const THREADS: usize = 4;
/// const ROUNDS: i64 = 20_000;
/// static SUM: Atomic<i64> = Atomic::new(0);
/// static HITS: Atomic<u32> = Atomic::new(0);
/// let mut threads = KVec::new();
/// for _ in 0..THREADS {
///     threads.push(
///         kthread::spawn(c_str!("rkal-atomic-add"), || {
///             for _ in 0..ROUNDS {
///                 SUM.fetch_add(1, Relaxed);
///                 HITS.inc(Relaxed);
///             }
///             SUM.add_return(0, Full);
///         })?,
///         GFP_KERNEL,
///     )?;
/// }
/// for t in threads {
///     t.join();
/// }
/// assert_eq!(SUM.load(Acquire), THREADS as i64 * ROUNDS);
/// assert_eq!(HITS.load(Acquire), (THREADS as i64 * ROUNDS) as u32);
/// # Ok::<(), Error>(())
/// ```
///
/// Message passing: a reader that sees the flag (acquire) sees the data
/// written before it (release), over many rounds on two CPUs:
///
/// ```
/// use kernel::{kthread, sync::atomic::{Atomic, Acquire, Relaxed, Release}};
/// const ROUNDS: i64 = 200_000;
/// static DATA: Atomic<i64> = Atomic::new(0);
/// static FLAG: Atomic<i64> = Atomic::new(0);
/// static STALE: Atomic<i64> = Atomic::new(0);
/// let writer = kthread::spawn(c_str!("rkal-mp-writer"), || {
///     for r in 1..=ROUNDS {
///         DATA.store(r, Relaxed);
///         FLAG.store(r, Release);
///     }
/// })?;
/// // The reader runs until it has seen the last round, so it overlaps the
/// // writer for as long as the writer runs.
/// let reader = kthread::spawn(c_str!("rkal-mp-reader"), || {
///     let mut spins = 0u32;
///     loop {
///         let f = FLAG.load(Acquire);
///         let d = DATA.load(Relaxed);
///         // DATA is written before FLAG, so it is never behind what FLAG says.
///         if d < f {
///             STALE.inc(Relaxed);
///         }
///         if f == ROUNDS {
///             break;
///         }
///         spins = spins.wrapping_add(1);
///         if spins % 1024 == 0 {
///             kthread::cond_resched();
///         }
///     }
/// })?;
/// writer.join();
/// reader.join();
/// assert_eq!(STALE.load(Acquire), 0);
/// assert_eq!(FLAG.load(Acquire), ROUNDS);
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
///
/// While an `&Atomic<T>` exists, every access to the value is atomic.
#[repr(transparent)]
pub struct Atomic<T: AtomicValue>(UnsafeCell<T>);

// SAFETY: all accesses through a shared `Atomic<T>` are atomic (type
// invariant), and every `AtomicValue` may move between threads: it is an
// `AtomicType` (which requires `Send`) or a raw pointer, whose value is
// harmless to move because using it takes `unsafe` code arguing its own
// thread safety. The `Atomic` never dereferences a pointer it holds.
unsafe impl<T: AtomicValue> Sync for Atomic<T> {}

// SAFETY: as above: the value may move between threads.
unsafe impl<T: AtomicValue> Send for Atomic<T> {}

/// Types `Atomic<T>` can hold.
///
/// `Send` is required because an `Atomic<T>` shared between threads hands
/// values stored by one thread to another: a type that must stay on one
/// thread, such as `&Cell<u32>`, cannot be made atomic.
///
/// # Safety
///
/// `T` and `T::Repr` must have the same size and alignment, and every bit
/// pattern an atomic operation on `T::Repr` can produce from values of `T`
/// (loads, exchanges and compare-exchanges of such values) must be a valid
/// `T`.
pub unsafe trait AtomicType: Sized + Copy + Send {
    /// The C-level representation the operations act on.
    type Repr: AtomicRepr;
}

mod private {
    /// Seals [`super::AtomicValue`].
    pub trait Sealed {}
}

/// What `Atomic<T>` holds: every [`AtomicType`], and raw pointers (which are
/// not `Send`, but moving a pointer value is harmless; using it needs
/// `unsafe`). Sealed: implement [`AtomicType`] instead.
///
/// # Safety
///
/// As for [`AtomicType`]; only this module implements it.
#[doc(hidden)]
pub unsafe trait AtomicValue: Sized + Copy + private::Sealed {
    /// The C-level representation the operations act on.
    type Repr: AtomicRepr;
}

impl<T: AtomicType> private::Sealed for T {}

// SAFETY: the layout and validity requirements are `AtomicType`'s.
unsafe impl<T: AtomicType> AtomicValue for T {
    type Repr = <T as AtomicType>::Repr;
}

/// Types on which the arithmetic of C's atomic integers is the type's own
/// (wrapping) arithmetic.
///
/// # Safety
///
/// `T::Repr` arithmetic, bit for bit, must be `T`'s wrapping arithmetic.
pub unsafe trait AtomicArith: AtomicType {}

macro_rules! atomic_types {
    ($($t:ty => $repr:ty, arith: $arith:tt;)*) => {
        $(
            // SAFETY: same size and alignment on every supported (64-bit)
            // architecture, and every bit pattern is a valid `$t`.
            unsafe impl AtomicType for $t {
                type Repr = $repr;
            }
            atomic_types!(@arith $t, $arith);
        )*
    };
    (@arith $t:ty, yes) => {
        // SAFETY: two's complement wrapping arithmetic is the same bits for
        // the signed and unsigned integers of one width.
        unsafe impl AtomicArith for $t {}
    };
    (@arith $t:ty, no) => {};
}

atomic_types! {
    i32 => i32, arith: yes;
    u32 => i32, arith: yes;
    i64 => i64, arith: yes;
    u64 => i64, arith: yes;
    isize => isize, arith: yes;
    usize => isize, arith: yes;
    i8 => i8, arith: no;
    u8 => i8, arith: no;
    i16 => i16, arith: no;
    u16 => i16, arith: no;
}

// SAFETY: `bool` is one byte; the operations only ever store values read
// from `bool`s (0 or 1) into it.
unsafe impl AtomicType for bool {
    type Repr = i8;
}

impl<T> private::Sealed for *mut T {}

// SAFETY: all raw pointers to sized types are one pointer-sized word; the
// operations move pointer values whole, keeping their provenance.
unsafe impl<T> AtomicValue for *mut T {
    type Repr = *mut ffi::c_void;
}

impl<T> private::Sealed for *const T {}

// SAFETY: as for `*mut T`.
unsafe impl<T> AtomicValue for *const T {
    type Repr = *mut ffi::c_void;
}

/// `T` as its representation.
#[inline(always)]
fn into_repr<T: AtomicValue>(v: T) -> <T as AtomicValue>::Repr {
    // SAFETY: same size and alignment (`AtomicValue`); every `T` is a valid
    // representation bit pattern.
    unsafe { core::mem::transmute_copy(&v) }
}

/// A representation produced from `T` values, as `T`.
#[inline(always)]
fn from_repr<T: AtomicValue>(r: <T as AtomicValue>::Repr) -> T {
    // SAFETY: same size and alignment; representations produced by the
    // atomic operations from `T` values are valid `T`s (`AtomicValue`).
    unsafe { core::mem::transmute_copy(&r) }
}

impl<T: AtomicValue> Atomic<T> {
    /// An atomic holding `v`.
    pub const fn new(v: T) -> Self {
        Self(UnsafeCell::new(v))
    }

    /// `from_ptr` without the `Sync` bound, for the one-shot accesses of
    /// [`atomic_load`] and [`atomic_store`] (which also serve pointers).
    ///
    /// # Safety
    ///
    /// As for `from_ptr`.
    #[inline(always)]
    unsafe fn from_ptr_unchecked<'a>(ptr: *mut T) -> &'a Self {
        // SAFETY: `Atomic<T>` is `repr(transparent)` over `T`; validity and
        // the all-accesses-atomic invariant are the caller's guarantee.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// A raw pointer to the value, for C.
    pub const fn as_ptr(&self) -> *mut T {
        self.0.get()
    }

    /// The value, through an exclusive reference: no other access can
    /// happen, so no atomic operation is needed.
    pub fn get_mut(&mut self) -> &mut T {
        self.0.get_mut()
    }

    /// The value as the representation the operations act on.
    #[inline(always)]
    fn as_repr_ptr(&self) -> *mut T::Repr {
        self.0.get().cast()
    }
}

impl<T: AtomicValue> Atomic<T> {
    /// Views memory that may be shared with C as an `Atomic<T>`.
    ///
    /// ```
    /// use kernel::sync::atomic::{Atomic, Relaxed};
    /// let mut counter = 0u64; // stands for a field of a C struct
    /// // SAFETY: `counter` outlives `a` and is only accessed through it.
    /// let a = unsafe { Atomic::from_ptr(&mut counter as *mut u64) };
    /// a.inc(Relaxed);
    /// assert_eq!(a.load(Relaxed), 1);
    /// ```
    ///
    /// # Safety
    ///
    /// `ptr` must be aligned for `T` and valid for reads and writes for
    /// `'a`, and every access to `*ptr` during `'a` must be atomic (C
    /// `atomic_*()`, `READ_ONCE()`/`WRITE_ONCE()`, or Rust atomics).
    ///
    /// `T: Sync`, as upstream requires: the memory is shared with whoever
    /// else accesses it.
    pub unsafe fn from_ptr<'a>(ptr: *mut T) -> &'a Self
    where
        T: Sync,
    {
        // SAFETY: the caller's guarantees are those of `from_ptr_unchecked`.
        unsafe { Self::from_ptr_unchecked(ptr) }
    }
}

impl<T: AtomicValue + core::fmt::Debug> core::fmt::Debug for Atomic<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(&self.load(Relaxed), f)
    }
}

include!(concat!(env!("OBJTREE"), "/rust/atomic_generated.rs"));

/// Loads `*ptr` once: `READ_ONCE(*ptr)` with [`Relaxed`],
/// `smp_load_acquire(ptr)` with [`Acquire`]. For 1-, 2-, 4- and 8-byte
/// types.
///
/// ```
/// use kernel::sync::atomic::{atomic_load, atomic_store, Acquire, Relaxed, Release};
/// let mut x = 5u32;
/// let p = &mut x as *mut u32;
/// // SAFETY: `p` points to a live, aligned `u32` only this code accesses.
/// unsafe { atomic_store(p, 7, Release) };
/// // SAFETY: as above.
/// assert_eq!(unsafe { atomic_load(p, Acquire) }, 7);
/// // SAFETY: as above.
/// assert_eq!(unsafe { atomic_load(p, Relaxed) }, 7);
/// ```
///
/// # Safety
///
/// `ptr` must be valid for reads and aligned, and every concurrent write
/// to `*ptr` must be a marked access (`WRITE_ONCE()`, an atomic, or
/// [`atomic_store`]); a concurrent plain write is a data race.
#[inline(always)]
pub unsafe fn atomic_load<T: AtomicValue, O: AcquireOrRelaxed>(ptr: *const T, o: O) -> T {
    // SAFETY: the caller guarantees validity and that concurrent accesses
    // are marked, which is all `Atomic::from_ptr` asks for the duration of
    // this one load; the value read is returned by value, as any atomic
    // load returns it.
    unsafe { Atomic::from_ptr_unchecked(ptr.cast_mut()) }.load(o)
}

/// Stores `v` to `*ptr` once: `WRITE_ONCE(*ptr, v)` with [`Relaxed`],
/// `smp_store_release(ptr, v)` with [`Release`]. For 1-, 2-, 4- and 8-byte
/// types.
///
/// # Safety
///
/// `ptr` must be valid for writes and aligned, and every concurrent access
/// to `*ptr` must be a marked access; a concurrent plain access is a data
/// race.
#[inline(always)]
pub unsafe fn atomic_store<T: AtomicValue, O: ReleaseOrRelaxed>(ptr: *mut T, v: T, o: O) {
    // SAFETY: as for `atomic_load`.
    unsafe { Atomic::from_ptr_unchecked(ptr) }.store(v, o)
}
