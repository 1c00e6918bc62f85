// SPDX-License-Identifier: GPL-2.0

#include <linux/refcount.h>

void rust_helper_refcount_set(refcount_t *r, int n)
{
	refcount_set(r, n);
}

unsigned int rust_helper_refcount_read(refcount_t *r)
{
	return refcount_read(r);
}

void rust_helper_refcount_inc(refcount_t *r)
{
	refcount_inc(r);
}

bool rust_helper_refcount_inc_not_zero(refcount_t *r)
{
	return refcount_inc_not_zero(r);
}

bool rust_helper_refcount_dec_and_test(refcount_t *r)
{
	return refcount_dec_and_test(r);
}
