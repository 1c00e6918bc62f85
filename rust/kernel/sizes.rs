// SPDX-License-Identifier: GPL-2.0

//! Size constants, as C's `<linux/sizes.h>`.
//!
//! ```
//! use kernel::sizes::{SZ_16K, SZ_4K, SZ_8K};
//! assert_eq!(SZ_16K + SZ_8K, 6 * SZ_4K);
//! ```

macro_rules! sizes {
    ($($name:ident = $shift:expr;)*) => {
        $(
            #[doc = concat!("`", stringify!($name), "`: 2^", stringify!($shift), " bytes.")]
            pub const $name: usize = 1 << $shift;
        )*
    };
}

sizes! {
    SZ_1K = 10; SZ_2K = 11; SZ_4K = 12; SZ_8K = 13; SZ_16K = 14; SZ_32K = 15;
    SZ_64K = 16; SZ_128K = 17; SZ_256K = 18; SZ_512K = 19;
    SZ_1M = 20; SZ_2M = 21; SZ_4M = 22; SZ_8M = 23; SZ_16M = 24; SZ_32M = 25;
    SZ_64M = 26; SZ_128M = 27; SZ_256M = 28; SZ_512M = 29;
    SZ_1G = 30; SZ_2G = 31;
}
