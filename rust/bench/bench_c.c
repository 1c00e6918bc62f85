// SPDX-License-Identifier: GPL-2.0
/*
 * C side of `make bench`: the fast paths the Rust abstractions are compared
 * with, compiled with the kernel's flags. Never called; only disassembled.
 */

#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

void rkal_bench_c_spinlock(spinlock_t *lock)
{
	spin_lock(lock);
	spin_unlock(lock);
}

void rkal_bench_c_mutex(struct mutex *lock)
{
	mutex_lock(lock);
	mutex_unlock(lock);
}

void rkal_bench_c_refcount(refcount_t *r)
{
	refcount_inc(r);
	if (refcount_dec_and_test(r))
		kfree(r);
}

/* An Arc clone + drop is a refcount inc + dec_and_test on the object's count. */
struct rkal_bench_obj {
	refcount_t refs;
	int data;
};

void rkal_bench_c_arc(struct rkal_bench_obj *o)
{
	refcount_inc(&o->refs);
	if (refcount_dec_and_test(&o->refs))
		kfree(o);
}
