// SPDX-License-Identifier: GPL-2.0

//! A misc device, `/dev/rust-misc-device`, in upstream's current shape.
//!
//! Each open file has its own integer and byte buffer, behind a mutex:
//! - `read()`/`write()` (through `read_iter`/`write_iter`) return and
//!   replace the buffer;
//! - `RUST_MISC_DEV_HELLO` (`_IO('|', 0x80)`) logs a greeting;
//! - `RUST_MISC_DEV_GET_VALUE` (`_IOR('|', 0x81, int)`) returns the integer;
//! - `RUST_MISC_DEV_SET_VALUE` (`_IOW('|', 0x82, int)`) replaces it.
//!
//! A bad user pointer fails with `EFAULT`, an unknown command with
//! `ENOTTY`; an open file keeps the module loaded. The userspace side is
//! `scripts/checks/misc_device.c`.

use kernel::{
    device::Device,
    fs::{File, Kiocb},
    ioctl::{_IO, _IOC_SIZE, _IOR, _IOW},
    iov::{IovIterDest, IovIterSource},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    new_mutex,
    prelude::*,
    sync::Mutex,
    types::ARef,
    uaccess::{UserPtr, UserSlice, UserSliceReader, UserSliceWriter},
};

const RUST_MISC_DEV_HELLO: u32 = _IO('|' as u32, 0x80);
const RUST_MISC_DEV_GET_VALUE: u32 = _IOR::<i32>('|' as u32, 0x81);
const RUST_MISC_DEV_SET_VALUE: u32 = _IOW::<i32>('|' as u32, 0x82);

module! {
    type: RustMiscDeviceModule,
    name: "rust_misc_device",
    authors: ["rkal developers"],
    description: "Misc device sample: read/write and ioctls",
    license: "GPL",
}

#[pin_data]
struct RustMiscDeviceModule {
    #[pin]
    _miscdev: MiscDeviceRegistration<RustMiscDevice>,
}

impl kernel::InPlaceModule for RustMiscDeviceModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!("registering /dev/rust-misc-device\n");
        let options = MiscDeviceOptions {
            name: c_str!("rust-misc-device"),
        };
        try_pin_init!(Self {
            _miscdev <- MiscDeviceRegistration::register(options),
        })
    }
}

/// What one open file holds.
struct Inner {
    value: i32,
    buffer: KVVec<u8>,
}

#[pin_data(PinnedDrop)]
struct RustMiscDevice {
    #[pin]
    inner: Mutex<Inner>,
    dev: ARef<Device>,
}

#[vtable]
impl MiscDevice for RustMiscDevice {
    type Ptr = Pin<KBox<Self>>;

    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Pin<KBox<Self>>> {
        let dev = ARef::from(misc.device());
        dev_info!(dev, "opened\n");
        KBox::try_pin_init(
            try_pin_init!(RustMiscDevice {
                inner <- new_mutex!(Inner { value: 0, buffer: KVVec::new() }),
                dev,
            }),
            GFP_KERNEL,
        )
    }

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let me = kiocb.file();
        let inner = me.inner.lock();
        let n = iov.simple_read_from_buffer(kiocb.ki_pos_mut(), &inner.buffer)?;
        dev_info!(me.dev, "read {} bytes\n", n);
        Ok(n)
    }

    fn write_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let me = kiocb.file();
        let mut inner = me.inner.lock();
        inner.buffer.clear();
        let wanted = iov.len();
        let n = iov.copy_from_iter_vec(&mut inner.buffer, GFP_KERNEL)?;
        if n == 0 && wanted != 0 {
            // Nothing could be read from the user's buffer.
            return Err(EFAULT);
        }
        // The next read starts at the beginning of what was written.
        *kiocb.ki_pos_mut() = 0;
        dev_info!(me.dev, "wrote {} bytes\n", n);
        Ok(n)
    }

    fn ioctl(me: Pin<&RustMiscDevice>, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        let arg = UserPtr::from_addr(arg);
        let size = _IOC_SIZE(cmd);
        match cmd {
            RUST_MISC_DEV_HELLO => me.hello(),
            RUST_MISC_DEV_SET_VALUE => me.set_value(UserSlice::new(arg, size).reader()),
            RUST_MISC_DEV_GET_VALUE => me.get_value(UserSlice::new(arg, size).writer()),
            _ => {
                // A debug message, not an error: the caller's mistake,
                // answered by the errno, and any user who can open the
                // device could flood the log with it.
                dev_dbg!(me.dev, "unknown ioctl {:#x}\n", cmd);
                Err(ENOTTY)
            }
        }
    }
}

#[pinned_drop]
impl PinnedDrop for RustMiscDevice {
    fn drop(self: Pin<&mut Self>) {
        dev_info!(self.dev, "closed\n");
    }
}

impl RustMiscDevice {
    fn hello(&self) -> Result<isize> {
        dev_info!(self.dev, "hello from userspace\n");
        Ok(0)
    }

    fn set_value(&self, mut reader: UserSliceReader) -> Result<isize> {
        let new: i32 = reader.read()?;
        self.inner.lock().value = new;
        dev_info!(self.dev, "value set to {}\n", new);
        Ok(0)
    }

    fn get_value(&self, mut writer: UserSliceWriter) -> Result<isize> {
        let value = self.inner.lock().value;
        writer.write(&value)?;
        Ok(0)
    }
}
