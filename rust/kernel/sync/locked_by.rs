// SPDX-License-Identifier: GPL-2.0

//! [`LockedBy`]: data protected by a lock that lives elsewhere.

use super::lock::{Backend, Lock};
use crate::error::{code::EINVAL, Result};
use core::cell::UnsafeCell;

/// Data protected by another object's lock: access requires proof that the
/// owner's lock is held (a reference to the owner's locked data), and the
/// owner is checked to be the one given at creation.
///
/// ```
/// use kernel::{new_mutex, sync::{LockedBy, Mutex}};
///
/// struct Inventory {
///     items: u32,
/// }
///
/// let a = KBox::pin_init(new_mutex!(Inventory { items: 0 }), GFP_KERNEL)?;
/// let b = KBox::pin_init(new_mutex!(Inventory { items: 0 }), GFP_KERNEL)?;
/// let count = LockedBy::new(&a, 5u32);
///
/// let ga = a.lock();
/// assert_eq!(*count.try_access(&ga)?, 5);
/// // `b`'s lock does not protect `count`: refused.
/// let gb = b.lock();
/// assert_eq!(count.try_access(&gb).err(), Some(EINVAL));
/// assert_eq!(ga.items + gb.items, 0);
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
///
/// `data` is only accessed with the lock of `owner` held (or through the
/// owner's `&mut`).
pub struct LockedBy<T: ?Sized, U: ?Sized> {
    owner: *const U,
    data: UnsafeCell<T>,
}

// SAFETY: the data moves with the `LockedBy` when it is `Send`.
unsafe impl<T: ?Sized + Send, U: ?Sized> Send for LockedBy<T, U> {}

// SAFETY: shared access is serialised by the owner's lock, so `T: Send`
// suffices (as for a lock's own data).
unsafe impl<T: ?Sized + Send, U: ?Sized> Sync for LockedBy<T, U> {}

impl<T, U> LockedBy<T, U> {
    /// Data protected by `owner`'s lock.
    ///
    /// The owner's data must not be zero-sized: its address identifies it.
    pub fn new<B: Backend>(owner: &Lock<U, B>, data: T) -> Self {
        crate::build_assert!(
            core::mem::size_of::<U>() > 0,
            "LockedBy needs an owner that is not zero-sized"
        );
        // INVARIANT: the data is only reachable through the access methods,
        // which check the owner.
        Self {
            owner: owner.data_ptr(),
            data: UnsafeCell::new(data),
        }
    }
}

impl<T: ?Sized, U> LockedBy<T, U> {
    /// Owners are told apart by address, which zero-sized values do not
    /// have uniquely: a zero-sized `U` is a build error.
    const OWNER_NOT_ZERO_SIZED: () = assert!(
        core::mem::size_of::<U>() != 0,
        "LockedBy needs an owner that is not zero-sized"
    );

    /// The data, given the owner's locked data; `EINVAL` if `owner` is not
    /// the owner this was created with.
    ///
    /// `T: Sync` because the holder of the lock may share `&U`, and so the
    /// returned `&T`, with other threads.
    pub fn try_access<'a>(&'a self, owner: &'a U) -> Result<&'a T>
    where
        T: Sync,
    {
        let () = Self::OWNER_NOT_ZERO_SIZED;
        if !core::ptr::eq(owner, self.owner) {
            return Err(EINVAL);
        }
        // SAFETY: `owner` is the owner's data, which the caller can only
        // reference while holding its lock (or owning it exclusively); the
        // shared borrow of it keeps the lock held for `'a`.
        Ok(unsafe { &*self.data.get() })
    }

    /// Mutable access, given exclusive access to the owner's data.
    pub fn try_access_mut<'a>(&'a self, owner: &'a mut U) -> Result<&'a mut T> {
        let () = Self::OWNER_NOT_ZERO_SIZED;
        if !core::ptr::eq(owner, self.owner) {
            return Err(EINVAL);
        }
        // SAFETY: the owner is exclusively borrowed for `'a` (under its
        // lock), so nothing else can reach the data.
        Ok(unsafe { &mut *self.data.get() })
    }

    /// Like [`LockedBy::try_access`], panicking on the wrong owner (a bug).
    pub fn access<'a>(&'a self, owner: &'a U) -> &'a T
    where
        T: Sync,
    {
        match self.try_access(owner) {
            Ok(v) => v,
            Err(_) => panic!("LockedBy::access: wrong owner"),
        }
    }

    /// Like [`LockedBy::try_access_mut`], panicking on the wrong owner (a
    /// bug).
    pub fn access_mut<'a>(&'a self, owner: &'a mut U) -> &'a mut T {
        match self.try_access_mut(owner) {
            Ok(v) => v,
            Err(_) => panic!("LockedBy::access_mut: wrong owner"),
        }
    }
}
