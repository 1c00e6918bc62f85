// SPDX-License-Identifier: GPL-2.0

//! [`Vec`]: a growable array whose every allocation can fail.

use super::{AllocError, Allocator, Flags, KVmalloc, Kmalloc, Vmalloc};
use core::{
    alloc::Layout,
    fmt,
    marker::PhantomData,
    mem::{ManuallyDrop, MaybeUninit},
    ops::{Deref, DerefMut},
    ptr::NonNull,
};
use macros::kunit_tests;

/// A contiguous growable array in memory from allocator `A`.
///
/// Unlike `std`'s, every method that may allocate takes [`Flags`] and
/// returns `Err(AllocError)` instead of aborting.
///
/// ```
/// let mut v = KVec::new();
/// v.push(1, GFP_KERNEL)?;
/// v.extend_from_slice(&[2, 3], GFP_KERNEL)?;
/// assert_eq!(&v[..], &[1, 2, 3]);
/// assert_eq!(v.pop(), Some(3));
/// assert_eq!(v.len(), 2);
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
///
/// - `ptr` is dangling and aligned when `cap == 0` or `T` is zero-sized;
///   otherwise it points to memory from `A` allocated with
///   `Layout::array::<T>(cap)`.
/// - The first `len <= cap` elements are initialised and owned.
pub struct Vec<T, A: Allocator> {
    ptr: NonNull<T>,
    len: usize,
    cap: usize,
    _alloc: PhantomData<(A, T)>,
}

/// A [`Vec`] in `kmalloc` memory.
pub type KVec<T> = Vec<T, Kmalloc>;
/// A [`Vec`] in `vmalloc` memory.
pub type VVec<T> = Vec<T, Vmalloc>;
/// A [`Vec`] in `kvmalloc` memory.
pub type KVVec<T> = Vec<T, KVmalloc>;

// SAFETY: a `Vec` owns its elements like an array of them does.
unsafe impl<T: Send, A: Allocator> Send for Vec<T, A> {}
// SAFETY: `&Vec<T>` only gives `&T`s.
unsafe impl<T: Sync, A: Allocator> Sync for Vec<T, A> {}

impl<T, A: Allocator> Vec<T, A> {
    const IS_ZST: bool = core::mem::size_of::<T>() == 0;

    /// An empty vector; allocates nothing.
    pub const fn new() -> Self {
        // INVARIANT: `cap == 0` with a dangling, aligned pointer.
        Self {
            ptr: NonNull::dangling(),
            len: 0,
            cap: 0,
            _alloc: PhantomData,
        }
    }

    /// An empty vector with room for `capacity` elements.
    pub fn with_capacity(capacity: usize, flags: Flags) -> Result<Self, AllocError> {
        let mut v = Self::new();
        v.reserve(capacity, flags)?;
        Ok(v)
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of elements the allocation can hold.
    pub fn capacity(&self) -> usize {
        if Self::IS_ZST {
            usize::MAX
        } else {
            self.cap
        }
    }

    /// Ensures room for at least `additional` more elements.
    ///
    /// ```
    /// let mut v = KVec::<u32>::new();
    /// v.reserve(10, GFP_KERNEL)?;
    /// assert!(v.capacity() >= 10);
    /// assert!(KVec::<u64>::new().reserve(usize::MAX, GFP_KERNEL).is_err());
    /// # Ok::<(), Error>(())
    /// ```
    pub fn reserve(&mut self, additional: usize, flags: Flags) -> Result<(), AllocError> {
        let needed = self.len.checked_add(additional).ok_or(AllocError)?;
        if needed <= self.capacity() {
            return Ok(());
        }
        let new_cap = needed.max(self.cap.saturating_mul(2)).max(4);
        let layout = Layout::array::<T>(new_cap).map_err(|_| AllocError)?;
        let old_layout = Layout::array::<T>(self.cap).map_err(|_| AllocError)?;
        let old = if self.cap == 0 {
            None
        } else {
            Some(self.ptr.cast::<u8>())
        };
        // SAFETY: `old` is `None` or our allocation with `old_layout` (type
        // invariant).
        let p = unsafe { A::realloc(old, layout, old_layout, flags)? };
        // INVARIANT: the allocation now holds `new_cap` elements; the first
        // `len` were preserved by `realloc`.
        self.ptr = p.cast();
        self.cap = new_cap;
        Ok(())
    }

    /// Appends an element.
    pub fn push(&mut self, v: T, flags: Flags) -> Result<(), AllocError> {
        self.reserve(1, flags)?;
        // SAFETY: `len < capacity` after `reserve`, so the slot is inside
        // the allocation and uninitialised.
        unsafe { self.as_mut_ptr().add(self.len).write(v) };
        // INVARIANT: the new element was initialised above.
        self.len += 1;
        Ok(())
    }

    /// Removes and returns the last element.
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // SAFETY: the element at the old `len - 1` is initialised; after the
        // decrement it is no longer counted, so it is read exactly once.
        Some(unsafe { self.as_mut_ptr().add(self.len).read() })
    }

    /// Shortens to `len` elements, dropping the rest.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let tail = core::ptr::slice_from_raw_parts_mut(
            // SAFETY: `len < self.len`, so the offset is in bounds.
            unsafe { self.as_mut_ptr().add(len) },
            self.len - len,
        );
        // INVARIANT: shrink first, so a panicking destructor cannot lead to
        // a double drop.
        self.len = len;
        // SAFETY: the tail elements are initialised and no longer counted.
        unsafe { core::ptr::drop_in_place(tail) };
    }

    /// Removes every element, keeping the allocation.
    pub fn clear(&mut self) {
        self.truncate(0);
    }

    /// The elements as a slice.
    pub fn as_slice(&self) -> &[T] {
        self
    }

    /// The elements as a mutable slice.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        self
    }

    /// A pointer to the first element.
    pub fn as_ptr(&self) -> *const T {
        self.ptr.as_ptr()
    }

    /// A mutable pointer to the first element.
    pub fn as_mut_ptr(&mut self) -> *mut T {
        self.ptr.as_ptr()
    }

    /// The allocated but unused slots.
    pub fn spare_capacity_mut(&mut self) -> &mut [MaybeUninit<T>] {
        let spare = self.capacity() - self.len;
        // SAFETY: slots `len..capacity` lie in our allocation (or are
        // zero-sized); `MaybeUninit` does not require initialisation.
        unsafe { core::slice::from_raw_parts_mut(self.as_mut_ptr().add(self.len).cast(), spare) }
    }

    /// Counts `additional` more elements, written into the spare capacity
    /// (upstream's replacement of `set_len` for growing).
    ///
    /// # Safety
    ///
    /// `len() + additional <= capacity()`, and those elements must be
    /// initialised.
    pub unsafe fn inc_len(&mut self, additional: usize) {
        debug_assert!(additional <= self.capacity() - self.len);
        // INVARIANT: the caller guarantees the elements are initialised.
        self.len += additional;
    }

    /// Sets the length.
    ///
    /// # Safety
    ///
    /// `new_len <= capacity()`, and the first `new_len` elements must be
    /// initialised. Elements beyond `new_len` are forgotten, not dropped.
    pub unsafe fn set_len(&mut self, new_len: usize) {
        // INVARIANT: the caller guarantees the elements are initialised.
        self.len = new_len;
    }

    /// Decomposes into pointer, length and capacity, without freeing.
    pub fn into_raw_parts(self) -> (*mut T, usize, usize) {
        let me = ManuallyDrop::new(self);
        (me.ptr.as_ptr(), me.len, me.cap)
    }

    /// Rebuilds a vector from [`Vec::into_raw_parts`].
    ///
    /// # Safety
    ///
    /// The parts must come from `Vec::<T, A>::into_raw_parts` and not have
    /// been rebuilt already.
    pub unsafe fn from_raw_parts(ptr: *mut T, len: usize, cap: usize) -> Self {
        // SAFETY: `into_raw_parts` never gives a null pointer.
        let ptr = unsafe { NonNull::new_unchecked(ptr) };
        // INVARIANT: the parts satisfied the invariant when decomposed.
        Self {
            ptr,
            len,
            cap,
            _alloc: PhantomData,
        }
    }
}

impl<T, A: Allocator> Vec<T, A> {
    /// Appends `v` if there is room, without allocating; gives it back in
    /// the error otherwise.
    ///
    /// ```
    /// let mut v = KVec::with_capacity(1, GFP_KERNEL)?;
    /// assert!(v.push_within_capacity(1u8).is_ok());
    /// // The allocation may hold more than asked for: fill it.
    /// while v.len() < v.capacity() {
    ///     v.push_within_capacity(0u8)?;
    /// }
    /// assert!(matches!(v.push_within_capacity(2u8), Err(e) if e.0 == 2));
    /// assert_eq!(v[0], 1);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn push_within_capacity(&mut self, v: T) -> Result<(), PushError<T>> {
        if self.len == self.capacity() {
            return Err(PushError(v));
        }
        // SAFETY: `len < capacity`, so the slot is in the allocation (or
        // zero-sized) and uninitialised.
        unsafe { self.as_mut_ptr().add(self.len).write(v) };
        // INVARIANT: the new element was just written.
        self.len += 1;
        Ok(())
    }

    /// Inserts `element` at `index`, shifting the rest right, if there is
    /// room and `index <= len()`; never allocates.
    ///
    /// ```
    /// use kernel::alloc::kvec::InsertError;
    /// let mut v = KVec::with_capacity(3, GFP_KERNEL)?;
    /// v.push(1, GFP_KERNEL)?;
    /// v.push(3, GFP_KERNEL)?;
    /// assert!(v.insert_within_capacity(1, 2).is_ok());
    /// assert_eq!(v, [1, 2, 3]);
    /// assert!(matches!(v.insert_within_capacity(5, 9), Err(InsertError::IndexOutOfBounds(9))));
    /// while v.len() < v.capacity() {
    ///     v.push_within_capacity(0)?;
    /// }
    /// assert!(matches!(v.insert_within_capacity(0, 0), Err(InsertError::OutOfCapacity(0))));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn insert_within_capacity(
        &mut self,
        index: usize,
        element: T,
    ) -> Result<(), InsertError<T>> {
        if index > self.len {
            return Err(InsertError::IndexOutOfBounds(element));
        }
        if self.len == self.capacity() {
            return Err(InsertError::OutOfCapacity(element));
        }
        let p = self.as_mut_ptr();
        // SAFETY: `index <= len < capacity`: the `len - index` elements from
        // `index` move one slot up, within the allocation, and the slot at
        // `index` is then free for the new element.
        unsafe {
            core::ptr::copy(p.add(index), p.add(index + 1), self.len - index);
            p.add(index).write(element);
        }
        // INVARIANT: the first `len + 1` slots are initialised now.
        self.len += 1;
        Ok(())
    }

    /// Removes and returns the element at `i`, shifting the rest left;
    /// `RemoveError` if `i >= len()`.
    ///
    /// ```
    /// let mut v = KVec::new();
    /// v.extend_from_slice(&[1, 2, 3], GFP_KERNEL)?;
    /// assert_eq!(v.remove(1)?, 2);
    /// assert_eq!(v, [1, 3]);
    /// assert!(v.remove(2).is_err());
    /// # Ok::<(), Error>(())
    /// ```
    pub fn remove(&mut self, i: usize) -> Result<T, RemoveError> {
        if i >= self.len {
            return Err(RemoveError);
        }
        let p = self.as_mut_ptr();
        // SAFETY: `i < len`: the element is initialised and read out once;
        // the `len - i - 1` elements after it move one slot down, within
        // the initialised part.
        let v = unsafe {
            let v = p.add(i).read();
            core::ptr::copy(p.add(i + 1), p.add(i), self.len - i - 1);
            v
        };
        // INVARIANT: the last slot was moved down; `len - 1` remain.
        self.len -= 1;
        Ok(v)
    }

    /// Keeps only the elements for which `f` returns `true`, in order.
    ///
    /// ```
    /// let mut v = KVec::new();
    /// v.extend_from_slice(&[1, 2, 3, 4, 5], GFP_KERNEL)?;
    /// v.retain(|x| *x % 2 == 1);
    /// assert_eq!(v, [1, 3, 5]);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn retain(&mut self, mut f: impl FnMut(&mut T) -> bool) {
        let len = self.len;
        // Elements are moved out of the vector first: a panicking `f` then
        // leaks the rest instead of dropping anything twice.
        // INVARIANT: no slot counts as initialised while we shuffle.
        self.len = 0;
        let p = self.as_mut_ptr();
        let mut kept = 0;
        for i in 0..len {
            // SAFETY: `i < len`, so the slot is initialised and ours.
            let keep = f(unsafe { &mut *p.add(i) });
            if keep {
                if i != kept {
                    // SAFETY: `kept < i`, both within the first `len` slots;
                    // slot `kept` was moved out or dropped already.
                    unsafe { core::ptr::copy_nonoverlapping(p.add(i), p.add(kept), 1) };
                }
                kept += 1;
            } else {
                // SAFETY: initialised, dropped once; never read again.
                unsafe { core::ptr::drop_in_place(p.add(i)) };
            }
        }
        // INVARIANT: the first `kept` slots hold the kept elements.
        self.len = kept;
    }

    /// Removes every element, returning them through an iterator; keeps
    /// the allocation. Elements not taken are dropped with the iterator.
    ///
    /// ```
    /// let mut v = KVec::new();
    /// v.extend_from_slice(&[1, 2, 3], GFP_KERNEL)?;
    /// let mut sum = 0;
    /// for x in v.drain_all() {
    ///     sum += x;
    /// }
    /// assert_eq!(sum, 6);
    /// assert!(v.is_empty() && v.capacity() >= 3);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn drain_all(&mut self) -> DrainAll<'_, T> {
        let len = self.len;
        // INVARIANT: the elements now belong to the iterator.
        self.len = 0;
        // SAFETY: the first `len` slots are initialised and, the length
        // being 0, no longer owned by the vector.
        let elems = unsafe { core::slice::from_raw_parts_mut(self.as_mut_ptr(), len) };
        DrainAll {
            elems: elems.iter_mut(),
        }
    }
}

/// The iterator of [`Vec::drain_all`].
pub struct DrainAll<'vec, T> {
    elems: core::slice::IterMut<'vec, T>,
}

impl<T> Iterator for DrainAll<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let e = self.elems.next()?;
        // SAFETY: each element is yielded once and the vector no longer owns
        // it (`drain_all` set its length to 0).
        Some(unsafe { core::ptr::read(e) })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.elems.size_hint()
    }
}

impl<T> Drop for DrainAll<'_, T> {
    fn drop(&mut self) {
        for e in self.elems.by_ref() {
            // SAFETY: not yielded, so still owned here; dropped once.
            unsafe { core::ptr::drop_in_place(e) };
        }
    }
}

/// [`Vec::push_within_capacity`] found no room; the value comes back.
pub struct PushError<T>(pub T);

impl<T> fmt::Debug for PushError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Not enough capacity")
    }
}

impl<T> From<PushError<T>> for crate::error::Error {
    fn from(_: PushError<T>) -> Self {
        crate::error::code::EINVAL
    }
}

/// [`Vec::remove`] was given an index past the end.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RemoveError;

impl fmt::Debug for RemoveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Index out of bounds")
    }
}

impl From<RemoveError> for crate::error::Error {
    fn from(_: RemoveError) -> Self {
        crate::error::code::EINVAL
    }
}

/// Why [`Vec::insert_within_capacity`] failed; the value comes back.
pub enum InsertError<T> {
    /// The index was past the end.
    IndexOutOfBounds(T),
    /// There was no room.
    OutOfCapacity(T),
}

impl<T> fmt::Debug for InsertError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InsertError::IndexOutOfBounds(_) => f.write_str("Index out of bounds"),
            InsertError::OutOfCapacity(_) => f.write_str("Not enough capacity"),
        }
    }
}

impl<T> From<InsertError<T>> for crate::error::Error {
    fn from(_: InsertError<T>) -> Self {
        crate::error::code::EINVAL
    }
}

impl<T: Clone, A: Allocator> Vec<T, A> {
    /// Appends `n` clones of `value`.
    ///
    /// ```
    /// let mut v = KVec::new();
    /// v.extend_with(2, 9u8, GFP_KERNEL)?;
    /// assert_eq!(v, [9, 9]);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn extend_with(&mut self, n: usize, value: T, flags: Flags) -> Result<(), AllocError> {
        self.reserve(n, flags)?;
        for _ in 0..n {
            // Room was reserved above.
            let _ = self.push_within_capacity(value.clone());
        }
        Ok(())
    }

    /// Grows to `new_len` with clones of `value`, or truncates to it.
    ///
    /// ```
    /// let mut v = KVec::new();
    /// v.resize(3, 1u8, GFP_KERNEL)?;
    /// assert_eq!(v, [1, 1, 1]);
    /// v.resize(1, 0, GFP_KERNEL)?;
    /// assert_eq!(v, [1]);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn resize(&mut self, new_len: usize, value: T, flags: Flags) -> Result<(), AllocError> {
        match new_len.checked_sub(self.len) {
            Some(more) => self.extend_with(more, value, flags),
            None => {
                self.truncate(new_len);
                Ok(())
            }
        }
    }
}

impl<T: Eq, A: Allocator> Eq for Vec<T, A> {}

impl<T, A: Allocator> core::borrow::Borrow<[T]> for Vec<T, A> {
    fn borrow(&self) -> &[T] {
        self
    }
}

impl<T, A: Allocator> core::borrow::BorrowMut<[T]> for Vec<T, A> {
    fn borrow_mut(&mut self) -> &mut [T] {
        self
    }
}

/// A boxed array becomes a vector without copying or reallocating.
///
/// ```
/// let b = KBox::new([1u8, 2, 3], GFP_KERNEL)?;
/// let v: KVec<u8> = b.into();
/// assert_eq!(v, [1, 2, 3]);
/// assert_eq!(v.capacity(), 3);
/// # Ok::<(), Error>(())
/// ```
impl<T, A: Allocator, const N: usize> From<super::Box<[T; N], A>> for Vec<T, A> {
    fn from(b: super::Box<[T; N], A>) -> Self {
        let p = super::Box::into_raw(b).cast::<T>();
        // SAFETY: the box's allocation, from `A` with the layout of
        // `[T; N]` (that is `Layout::array::<T>(N)`), holds `N` initialised
        // elements, now owned by the vector. INVARIANT: as required.
        unsafe { Vec::from_raw_parts(p, N, N) }
    }
}

/// Creates a [`KVec`]: `kvec![]` (empty, no allocation), `kvec![x; n]` and
/// `kvec![a, b, c]` (both `Result`s, allocating with `GFP_KERNEL`).
///
/// ```
/// let e: KVec<u8> = kernel::kvec![];
/// assert!(e.is_empty());
/// assert_eq!(kernel::kvec![7u8; 2]?, [7, 7]);
/// assert_eq!(kernel::kvec![1, 2, 3]?, [1, 2, 3]);
/// # Ok::<(), Error>(())
/// ```
#[macro_export]
macro_rules! kvec {
    () => {
        $crate::alloc::KVec::new()
    };
    ($elem:expr; $n:expr) => {
        $crate::alloc::KVec::from_elem($elem, $n, $crate::alloc::flags::GFP_KERNEL)
    };
    ($($x:expr),+ $(,)?) => {
        match $crate::alloc::KBox::new([$($x),+], $crate::alloc::flags::GFP_KERNEL) {
            Ok(b) => Ok($crate::alloc::KVec::from(b)),
            Err(e) => Err(e),
        }
    };
}

macro_rules! vec_eq {
    ($([$($gen:tt)*] $lhs:ty, $rhs:ty;)*) => {
        $(
            impl<T: PartialEq<U>, U, $($gen)*> PartialEq<$rhs> for $lhs {
                fn eq(&self, other: &$rhs) -> bool {
                    self[..] == other[..]
                }
            }
        )*
    };
}

vec_eq! {
    [A: Allocator] Vec<T, A>, &[U];
    [A: Allocator] Vec<T, A>, &mut [U];
    [A: Allocator] &[T], Vec<U, A>;
    [A: Allocator] &mut [T], Vec<U, A>;
    [A: Allocator] Vec<T, A>, [U];
    [A: Allocator] [T], Vec<U, A>;
    [A: Allocator, const N: usize] Vec<T, A>, [U; N];
    [A: Allocator, const N: usize] Vec<T, A>, &[U; N];
}

impl<T: Clone, A: Allocator> Vec<T, A> {
    /// Appends clones of every element of `other`.
    pub fn extend_from_slice(&mut self, other: &[T], flags: Flags) -> Result<(), AllocError> {
        self.reserve(other.len(), flags)?;
        for item in other {
            // SAFETY: `reserve` made room for all of `other`, so the slot is
            // in the allocation and uninitialised.
            unsafe { self.as_mut_ptr().add(self.len).write(item.clone()) };
            // INVARIANT: counted only once written, so a panicking `clone`
            // leaves the vector consistent.
            self.len += 1;
        }
        Ok(())
    }

    /// A vector of `n` clones of `value`.
    ///
    /// ```
    /// let v = KVec::from_elem(7u8, 3, GFP_KERNEL)?;
    /// assert_eq!(&v[..], &[7, 7, 7]);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_elem(value: T, n: usize, flags: Flags) -> Result<Self, AllocError> {
        let mut v = Self::with_capacity(n, flags)?;
        for _ in 0..n {
            v.push(value.clone(), flags)?;
        }
        Ok(v)
    }
}

impl<T, A: Allocator> Default for Vec<T, A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, A: Allocator> Drop for Vec<T, A> {
    fn drop(&mut self) {
        self.clear();
        if self.cap != 0 && !Self::IS_ZST {
            if let Ok(layout) = Layout::array::<T>(self.cap) {
                // SAFETY: our allocation, made with this layout (type
                // invariant), and never used again.
                unsafe { A::free(self.ptr.cast(), layout) };
            }
        }
    }
}

impl<T, A: Allocator> Deref for Vec<T, A> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // SAFETY: the first `len` elements are initialised (type invariant).
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T, A: Allocator> DerefMut for Vec<T, A> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: initialised (type invariant) and uniquely borrowed.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: fmt::Debug, A: Allocator> fmt::Debug for Vec<T, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: PartialEq<U>, U, A1: Allocator, A2: Allocator> PartialEq<Vec<U, A2>> for Vec<T, A1> {
    fn eq(&self, other: &Vec<U, A2>) -> bool {
        self[..] == other[..]
    }
}

impl<'a, T, A: Allocator> IntoIterator for &'a Vec<T, A> {
    type Item = &'a T;
    type IntoIter = core::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T, A: Allocator> IntoIterator for &'a mut Vec<T, A> {
    type Item = &'a mut T;
    type IntoIter = core::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

/// The owning iterator of a [`Vec`].
///
/// ```
/// let mut v = KVec::new();
/// v.extend_from_slice(&[1, 2, 3], GFP_KERNEL)?;
/// let sum: i32 = v.into_iter().sum();
/// assert_eq!(sum, 6);
/// # Ok::<(), Error>(())
/// ```
pub struct IntoIter<T, A: Allocator> {
    vec: Vec<T, A>,
    next: usize,
}

impl<T, A: Allocator> Iterator for IntoIter<T, A> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        if self.next >= self.vec.len {
            return None;
        }
        // SAFETY: elements `next..len` are initialised and not yet moved out.
        let v = unsafe { self.vec.as_ptr().add(self.next).read() };
        self.next += 1;
        Some(v)
    }
}

impl<T, A: Allocator> IntoIter<T, A> {
    /// The elements not yet taken, as a vector reusing the allocation
    /// (upstream's replacement for `FromIterator`, which cannot fail).
    ///
    /// ```
    /// let mut v = KVec::new();
    /// v.extend_from_slice(&[1, 2, 3], GFP_KERNEL)?;
    /// let mut it = v.into_iter();
    /// assert_eq!(it.next(), Some(1));
    /// let rest = it.collect(GFP_KERNEL);
    /// assert_eq!(rest, [2, 3]);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn collect(mut self, _flags: Flags) -> Vec<T, A> {
        let rest = self.vec.len - self.next;
        let p = self.vec.as_mut_ptr();
        // SAFETY: elements `next..len` are initialised and owned; they move
        // to the front of the same allocation (`copy` handles overlap), and
        // the slots they left are no longer counted.
        unsafe { core::ptr::copy(p.add(self.next), p, rest) };
        // INVARIANT: the first `rest` slots hold the remaining elements.
        self.vec.len = rest;
        self.next = 0;
        // The iterator gives its vector away; its `Drop` sees nothing left.
        core::mem::take(&mut self.vec)
    }
}

impl<T, A: Allocator> Drop for IntoIter<T, A> {
    fn drop(&mut self) {
        let rest = self.vec.len - self.next;
        let tail = core::ptr::slice_from_raw_parts_mut(
            // SAFETY: `next <= len`, so the offset is in bounds.
            unsafe { self.vec.as_mut_ptr().add(self.next) },
            rest,
        );
        // SAFETY: every element was moved out or is dropped just below; the
        // vector must not drop any of them again.
        unsafe { self.vec.set_len(0) };
        // SAFETY: elements `next..len` are initialised and owned.
        unsafe { core::ptr::drop_in_place(tail) };
    }
}

impl<T, A: Allocator> IntoIterator for Vec<T, A> {
    type Item = T;
    type IntoIter = IntoIter<T, A>;
    fn into_iter(self) -> IntoIter<T, A> {
        IntoIter { vec: self, next: 0 }
    }
}

#[kunit_tests(rust_kernel_kvec)]
mod tests {
    use crate::prelude::*;
    use crate::sync::atomic::{Atomic, Relaxed};

    static DROPS: Atomic<u32> = Atomic::new(0);

    struct Counted;

    impl Drop for Counted {
        fn drop(&mut self) {
            DROPS.inc(Relaxed);
        }
    }

    #[test]
    fn truncate_and_drop_run_each_destructor_once() {
        DROPS.store(0, Relaxed);
        let mut v = KVec::new();
        for _ in 0..5 {
            assert!(v.push(Counted, GFP_KERNEL).is_ok());
        }
        v.truncate(2);
        assert_eq!(DROPS.load(Relaxed), 3);
        assert_eq!(v.len(), 2);
        drop(v);
        assert_eq!(DROPS.load(Relaxed), 5);
    }

    #[test]
    fn growth_keeps_elements_in_order() {
        let mut v = KVVec::new();
        for i in 0..1000u32 {
            assert!(v.push(i, GFP_KERNEL).is_ok());
        }
        assert!(v.capacity() >= 1000);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u32));
        let mut it = v.into_iter();
        assert_eq!(it.next(), Some(0));
        assert_eq!(it.next(), Some(1));
    }

    #[test]
    fn zero_sized_elements_never_allocate() {
        let mut v = KVec::new();
        for _ in 0..100 {
            assert!(v.push((), GFP_NOWAIT).is_ok());
        }
        assert_eq!(v.len(), 100);
        assert_eq!(v.capacity(), usize::MAX);
    }
}
