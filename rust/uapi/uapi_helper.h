/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace-API headers bindgen reads to generate the `uapi` crate:
 * constants and types that the kernel shares with userspace (MII and MDIO
 * register bits, ethtool speeds, ioctl encoding). Kept apart from the
 * `bindings` crate so that drivers may use them directly, as
 * `kernel::uapi::<NAME>`.
 */

#include <uapi/asm-generic/ioctl.h>
#include <uapi/linux/ethtool.h>
#include <uapi/linux/mdio.h>
#include <uapi/linux/mii.h>
