// SPDX-License-Identifier: GPL-2.0

//! A misc device with ioctls that move an integer between userspace and a
//! per-file, mutex-protected value.
//!
//! `/dev/rust-misc-device` understands:
//! - `RUST_MISC_DEV_HELLO`: logs a greeting;
//! - `RUST_MISC_DEV_SET_VALUE` (`_IOW('|', 0x82, int)`): stores the int;
//! - `RUST_MISC_DEV_GET_VALUE` (`_IOR('|', 0x81, int)`): returns it.
//!
//! A bad user pointer fails with `EFAULT`, an unknown command with
//! `ENOTTY`. `scripts/checks/misc_device.c` exercises all of it.

use kernel::ioctl::{_IO, _IOC_SIZE, _IOR, _IOW};
use kernel::miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration};
use kernel::new_mutex;
use kernel::prelude::*;
use kernel::sync::Mutex;
use kernel::uaccess::{UserSlice, UserSliceReader, UserSliceWriter};

const RUST_MISC_DEV_HELLO: u32 = _IO('|' as u32, 0x80);
const RUST_MISC_DEV_GET_VALUE: u32 = _IOR::<i32>('|' as u32, 0x81);
const RUST_MISC_DEV_SET_VALUE: u32 = _IOW::<i32>('|' as u32, 0x82);

module! {
    type: RustMiscDeviceModule,
    name: "rust_misc_device",
    authors: ["rkal developers"],
    description: "Misc device with ioctls",
    license: "GPL",
}

struct RustMiscDeviceModule {
    _miscdev: Pin<KBox<MiscDeviceRegistration<RustMiscDevice>>>,
}

impl kernel::Module for RustMiscDeviceModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let options = MiscDeviceOptions {
            name: c_str!("rust-misc-device"),
        };
        let miscdev = KBox::pin_init(MiscDeviceRegistration::register(options), GFP_KERNEL)?;
        pr_info!("registered /dev/rust-misc-device\n");
        Ok(Self { _miscdev: miscdev })
    }
}

impl Drop for RustMiscDeviceModule {
    fn drop(&mut self) {
        pr_info!("exit\n");
    }
}

#[pin_data]
struct RustMiscDevice {
    #[pin]
    value: Mutex<i32>,
}

#[vtable]
impl MiscDevice for RustMiscDevice {
    type Ptr = Pin<KBox<Self>>;

    fn open() -> Result<Pin<KBox<Self>>> {
        KBox::try_pin_init(
            try_pin_init!(RustMiscDevice {
                value <- new_mutex!(0, "rust_misc_device:value"),
            }),
            GFP_KERNEL,
        )
    }

    fn ioctl(me: Pin<&RustMiscDevice>, cmd: u32, arg: usize) -> Result<isize> {
        let size = _IOC_SIZE(cmd);
        match cmd {
            RUST_MISC_DEV_HELLO => pr_info!("hello from userspace\n"),
            RUST_MISC_DEV_SET_VALUE => me.set_value(UserSlice::new(arg, size).reader())?,
            RUST_MISC_DEV_GET_VALUE => me.get_value(UserSlice::new(arg, size).writer())?,
            _ => return Err(ENOTTY),
        }
        Ok(0)
    }
}

impl RustMiscDevice {
    fn set_value(&self, mut reader: UserSliceReader) -> Result {
        let new: i32 = reader.read()?;
        *self.value.lock() = new;
        Ok(())
    }

    fn get_value(&self, mut writer: UserSliceWriter) -> Result {
        let value = *self.value.lock();
        writer.write(&value)
    }
}
