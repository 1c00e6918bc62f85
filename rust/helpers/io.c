// SPDX-License-Identifier: GPL-2.0

#include <linux/io.h>

#define RKAL_IO(sfx, type)							\
__rust_helper type rust_helper_read##sfx(const void __iomem *addr)		\
{										\
	return read##sfx(addr);							\
}										\
__rust_helper void rust_helper_write##sfx(type value, void __iomem *addr)	\
{										\
	write##sfx(value, addr);						\
}										\
__rust_helper type rust_helper_read##sfx##_relaxed(const void __iomem *addr)	\
{										\
	return read##sfx##_relaxed(addr);					\
}										\
__rust_helper void rust_helper_write##sfx##_relaxed(type value, void __iomem *addr) \
{										\
	write##sfx##_relaxed(value, addr);					\
}

RKAL_IO(b, u8)
RKAL_IO(w, u16)
RKAL_IO(l, u32)
#ifdef CONFIG_64BIT
RKAL_IO(q, u64)
#endif
