// SPDX-License-Identifier: GPL-2.0

#include <linux/slab.h>
#include <linux/vmalloc.h>

/* krealloc(), vrealloc() and kvrealloc() are macros (allocation tagging). */

void * __must_check __realloc_size(2)
rust_helper_krealloc(const void *p, size_t size, gfp_t flags)
{
	return krealloc(p, size, flags);
}

void * __must_check __realloc_size(2)
rust_helper_vrealloc(const void *p, size_t size, gfp_t flags)
{
	return vrealloc(p, size, flags);
}

void * __must_check __realloc_size(2)
rust_helper_kvrealloc(const void *p, size_t size, gfp_t flags)
{
	return kvrealloc(p, size, flags);
}
