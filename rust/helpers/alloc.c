// SPDX-License-Identifier: GPL-2.0

#include <linux/slab.h>
#include <linux/vmalloc.h>

/*
 * kmalloc(), kvmalloc(), krealloc(), vrealloc() and kvrealloc() are macros
 * (allocation tagging). Inlined into Rust, kmalloc() with a size known at
 * compile time takes its slab cache directly, as in C.
 */

__rust_helper void *rust_helper_kmalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags);
}

__rust_helper void *rust_helper_kvmalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags);
}

__rust_helper void * __must_check __realloc_size(2)
rust_helper_krealloc(const void *p, size_t size, gfp_t flags)
{
	return krealloc(p, size, flags);
}

/*
 * vrealloc_noprof() is not exported in 6.12: Rust calls this helper only
 * from an out-of-line function of the kernel crate (kernel::alloc's
 * Vmalloc), so no module inlines it.
 */
__rust_helper void * __must_check __realloc_size(2)
rust_helper_vrealloc(const void *p, size_t size, gfp_t flags)
{
	return vrealloc(p, size, flags);
}

__rust_helper void * __must_check __realloc_size(2)
rust_helper_kvrealloc(const void *p, size_t size, gfp_t flags)
{
	return kvrealloc(p, size, flags);
}
