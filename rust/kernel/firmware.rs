// SPDX-License-Identifier: GPL-2.0

//! Firmware images loaded from the filesystem (C's `request_firmware`).
//!
//! C header: [`include/linux/firmware.h`](srctree/include/linux/firmware.h).
//!
//! A driver asks for a firmware image by name, on behalf of one of its
//! devices; the loader looks for it under `/lib/firmware` (and the other
//! directories it knows) and hands back the bytes. [`Firmware`] owns the
//! image until it is dropped. A module names the images it may load in its
//! `.modinfo` section, so that tools copy them into the initramfs: with the
//! `firmware:` key of [`module!`](crate::prelude::module), or with
//! [`module_firmware!`](crate::module_firmware) when the names are composed
//! at compile time.

use crate::{bindings, device::Device, error::to_result, error::Result, ffi, str::CStr};
use core::ptr::NonNull;
use macros::kunit_tests;

/// One of the C loader's request functions: each takes where to store the
/// image, its name and the device, and returns zero or a negative errno.
type RequestFn = unsafe extern "C" fn(
    *mut *const bindings::firmware,
    *const ffi::c_char,
    *mut bindings::device,
) -> ffi::c_int;

/// A firmware image, owned: released (`release_firmware`) when dropped.
///
/// # Invariants
///
/// The pointer is a `struct firmware` the loader returned, not released
/// yet, and owned by this value; its `data` points to `size` bytes that
/// nobody writes while it lives.
///
/// # Examples
///
/// A missing image is an error, here without the loader's warning:
///
/// ```
/// use kernel::{c_str, device::Device, firmware::Firmware};
///
/// fn load(dev: &Device) -> Result<usize> {
///     let fw = Firmware::request_nowarn(c_str!("rkal/no-such-image.bin"), dev)?;
///     // The bytes, for as long as `fw` lives.
///     assert_eq!(fw.data().len(), fw.size());
///     Ok(fw.size())
/// }
/// # kernel::firmware::tests_support::with_test_device(|dev| {
/// assert_eq!(load(dev), Err(ENOENT));
/// # });
/// ```
pub struct Firmware(NonNull<bindings::firmware>);

impl Firmware {
    /// Runs one of the loader's request functions.
    fn request_with(request: RequestFn, name: &CStr, dev: &Device) -> Result<Self> {
        let mut fw: *const bindings::firmware = core::ptr::null();
        // SAFETY: `request` is one of the C loader's request functions
        // (callers below), which are all sound to call with a valid place
        // for the result, a NUL-terminated name (`CStr`) and a live device
        // (`Device`'s invariant); none keeps `name` or `&mut fw` past the
        // call.
        to_result(unsafe { request(&mut fw, name.as_char_ptr(), dev.as_raw()) })?;
        // On success the loader stored an image it allocated; a null one
        // would be a loader bug, reported rather than trusted.
        let fw = NonNull::new(fw.cast_mut()).ok_or(crate::error::code::EINVAL)?;
        // INVARIANT: the loader returned `fw` to us, and nothing else
        // releases it.
        Ok(Self(fw))
    }

    /// Loads the image `name` for `dev`, waiting for it; the loader logs
    /// a warning when it is missing (C's `request_firmware`).
    pub fn request(name: &CStr, dev: &Device) -> Result<Self> {
        Self::request_with(bindings::request_firmware, name, dev)
    }

    /// Like [`Firmware::request`], without the warning, for an optional
    /// image (C's `firmware_request_nowarn`).
    pub fn request_nowarn(name: &CStr, dev: &Device) -> Result<Self> {
        Self::request_with(bindings::firmware_request_nowarn, name, dev)
    }

    /// The image's size in bytes.
    pub fn size(&self) -> usize {
        // SAFETY: the image is valid while `self` lives (type invariant).
        unsafe { (*self.0.as_ptr()).size }
    }

    /// The image's bytes.
    pub fn data(&self) -> &[u8] {
        let fw = self.0.as_ptr();
        // SAFETY: the image is valid while `self` lives, so `data` points
        // to `size` bytes that are not written while the borrow of `self`
        // lasts (type invariant). An empty image may have a null `data`,
        // which `from_raw_parts` does not accept: it gets an empty slice.
        unsafe {
            let data = (*fw).data;
            if data.is_null() {
                &[]
            } else {
                core::slice::from_raw_parts(data, (*fw).size)
            }
        }
    }
}

impl Drop for Firmware {
    fn drop(&mut self) {
        // SAFETY: `self` owns the image (type invariant) and it is not used
        // again.
        unsafe { bindings::release_firmware(self.0.as_ptr()) };
    }
}

// SAFETY: the image is plain memory that is only read; releasing it may
// happen on any thread.
unsafe impl Send for Firmware {}
// SAFETY: `&Firmware` only reads the image.
unsafe impl Sync for Firmware {}

/// Adds the firmware names a [`ModInfoBuilder`] composes to the module's
/// `.modinfo` (C's `MODULE_FIRMWARE`, for names built at compile time; for
/// literal names, the `firmware:` key of
/// [`module!`](crate::prelude::module) is simpler).
///
/// The argument is a type with a
/// `const fn create(module_name: &'static CStr) -> ModInfoBuilder<N>` that
/// passes `module_name` to [`ModInfoBuilder::new`]; the macro works out
/// `N`, the length of the entries, by calling it twice. Used once per
/// module, after [`module!`](crate::prelude::module).
///
/// # Examples
///
/// ```
/// # mod module_firmware_example {
/// use kernel::firmware::ModInfoBuilder;
/// use kernel::prelude::*;
///
/// struct Images<const N: usize>;
///
/// impl<const N: usize> Images<N> {
///     const fn create(module_name: &'static CStr) -> ModInfoBuilder<N> {
///         let chips = ["a0", "b1"];
///         let mut b = ModInfoBuilder::new(module_name);
///         let mut i = 0;
///         while i < chips.len() {
///             b = b.new_entry().push("vendor/chip-").push(chips[i]).push(".bin");
///             i += 1;
///         }
///         b
///     }
/// }
///
/// struct Example;
///
/// impl kernel::Module for Example {
///     fn init(_module: &'static ThisModule) -> Result<Self> {
///         Ok(Example)
///     }
/// }
///
/// module! {
///     type: Example,
///     name: "module_firmware_example",
///     authors: ["rkal"],
///     description: "module_firmware! example",
///     license: "GPL",
/// }
///
/// kernel::module_firmware!(Images);
/// # }
/// ```
#[macro_export]
macro_rules! module_firmware {
    // The builder is a type path without its const parameter, which the
    // macro supplies: neither `ty` nor `expr` fits it.
    ($($builder:tt)*) => {
        const _: () = {
            // Built-in code prefixes each entry with the module's name, as
            // C's `MODULE_FIRMWARE` does.
            const __PREFIX: &'static $crate::str::CStr = if cfg!(MODULE) {
                $crate::c_str!("")
            } else {
                <LocalModule as $crate::ModuleMetadata>::NAME
            };
            const __LEN: usize = $($builder)*::<0>::create(__PREFIX).build_length();

            #[link_section = ".modinfo"]
            #[used(compiler)]
            static __MODULE_FIRMWARE: [u8; __LEN] = $($builder)*::<__LEN>::create(__PREFIX).build();
        };
    };
}

/// Composes `.modinfo` firmware entries at compile time, for
/// [`module_firmware!`](crate::module_firmware).
///
/// Each entry starts with [`ModInfoBuilder::new_entry`] and is made of the
/// pieces [`ModInfoBuilder::push`] appends. With `N == 0` the builder only
/// counts bytes ([`ModInfoBuilder::build_length`]); with that count as
/// `N` it writes them ([`ModInfoBuilder::build`]).
///
/// ```
/// use kernel::firmware::ModInfoBuilder;
///
/// const fn entries<const N: usize>() -> ModInfoBuilder<N> {
///     ModInfoBuilder::new(kernel::c_str!("")).new_entry().push("fw/").push("x.bin")
/// }
/// const LEN: usize = entries::<0>().build_length();
/// const BYTES: [u8; LEN] = entries::<LEN>().build();
/// assert_eq!(&BYTES, b"\0firmware=fw/x.bin\0");
///
/// // Built-in code names the module in each entry.
/// const fn named<const N: usize>() -> ModInfoBuilder<N> {
///     ModInfoBuilder::new(kernel::c_str!("mymod")).new_entry().push("y.bin")
/// }
/// const LEN2: usize = named::<0>().build_length();
/// assert_eq!(&named::<LEN2>().build(), b"\0mymod.firmware=y.bin\0");
/// ```
pub struct ModInfoBuilder<const N: usize> {
    buf: [u8; N],
    len: usize,
    module_name: &'static CStr,
}

impl<const N: usize> ModInfoBuilder<N> {
    /// An empty builder; `module_name` is the name
    /// [`module_firmware!`](crate::module_firmware) passes to `create`
    /// (empty for a loadable module).
    pub const fn new(module_name: &'static CStr) -> Self {
        Self {
            buf: [0; N],
            len: 0,
            module_name,
        }
    }

    /// Appends `bytes`; when only counting (`N == 0`), counts them.
    const fn append(mut self, bytes: &[u8]) -> Self {
        let mut i = 0;
        while i < bytes.len() {
            if self.len < N {
                self.buf[self.len] = bytes[i];
            }
            self.len += 1;
            i += 1;
        }
        self
    }

    /// Starts a new entry: `firmware=`, after the module's name and a dot
    /// for built-in code. Entries are NUL-separated, as `.modinfo` wants.
    pub const fn new_entry(self) -> Self {
        let mut this = self.append(b"\0");
        let name = this.module_name.as_bytes_with_nul();
        if name.len() > 1 {
            let mut i = 0;
            // The name without its NUL, then the dot.
            while i + 1 < name.len() {
                this = this.append(&[name[i]]);
                i += 1;
            }
            this = this.append(b".");
        }
        this.append(b"firmware=")
    }

    /// Appends `s` to the current entry. An entry must have been started
    /// with [`ModInfoBuilder::new_entry`] (a build error otherwise).
    pub const fn push(self, s: &str) -> Self {
        if self.len == 0 {
            crate::build_error!("ModInfoBuilder::push before any new_entry()");
        }
        self.append(s.as_bytes())
    }

    /// The entries, NUL-terminated. `N` must be the
    /// [`ModInfoBuilder::build_length`] of the same entries (a build error
    /// otherwise).
    pub const fn build(self) -> [u8; N] {
        let this = self.append(b"\0");
        if this.len != N {
            crate::build_error!("ModInfoBuilder::build: N is not the entries' length");
        }
        this.buf
    }
}

impl ModInfoBuilder<0> {
    /// The length of what [`ModInfoBuilder::build`] writes for these
    /// entries: the `N` to build them with.
    pub const fn build_length(self) -> usize {
        // `build` adds the final NUL.
        self.len + 1
    }
}

/// Support for this module's examples and tests: a device to load firmware
/// for.
#[doc(hidden)]
pub mod tests_support {
    use crate::{bindings, device::Device};

    /// Runs `f` with a root device (`/sys/devices/rkal-fw-test`) that
    /// exists only for the call.
    pub fn with_test_device<R>(f: impl FnOnce(&Device) -> R) -> R {
        // SAFETY: the name is a NUL-terminated string with static storage;
        // a null owner stands for built-in code.
        let raw = unsafe {
            bindings::__root_device_register(c"rkal-fw-test".as_ptr().cast(), core::ptr::null_mut())
        };
        let Ok(raw) = crate::error::from_err_ptr(raw) else {
            panic!("root_device_register failed");
        };
        // SAFETY: `raw` is a registered device, valid until it is
        // unregistered below, after the borrow given to `f` has ended.
        let r = f(unsafe { Device::from_raw(raw) });
        // SAFETY: `raw` was registered above and is not used again.
        unsafe { bindings::root_device_unregister(raw) };
        r
    }
}

#[kunit_tests(rust_kernel_firmware)]
mod tests {
    use super::{tests_support::with_test_device, Firmware};
    use crate::prelude::*;

    /// What scripts/qemu.sh puts in the initramfs as
    /// `/lib/firmware/rkal/test.fw`.
    const IMAGE: &[u8] = b"rkal firmware test image\n";

    #[test]
    fn request_returns_the_image_from_lib_firmware() {
        let got = with_test_device(|dev| {
            let fw = Firmware::request(c_str!("rkal/test.fw"), dev)?;
            Ok::<_, Error>((fw.size(), fw.data() == IMAGE))
        });
        assert_eq!(got, Ok((IMAGE.len(), true)));
    }

    #[test]
    fn missing_image_is_enoent() {
        let got = with_test_device(|dev| {
            Firmware::request_nowarn(c_str!("rkal/missing.fw"), dev).map(|fw| fw.size())
        });
        assert_eq!(got, Err(ENOENT));
    }
}
