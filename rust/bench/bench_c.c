// SPDX-License-Identifier: GPL-2.0
/*
 * C side of `make bench`: a corpus of call sites, each written the way C
 * code writes it, next to rust/bench/bench_rs.rs which writes the same
 * through our abstractions. Compiled with the kernel's flags, disassembled
 * for the static counts (scripts/bench.py) and timed in the booted kernel
 * by the runner in bench_rs.rs. `notrace`, since Rust
 * functions get no ftrace call site in 6.12: the snippets are compared, not
 * the tracing prologue.
 */

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "bench.h"

/*
 * A snippet's name: rkal_bench_c_<name> here. bench_c2.c includes this file
 * with BENCH_C() naming them rkal_bench_c2_<name>: the same code at other
 * addresses, which the runner times in place of a second run of the same
 * function, so that the noise floor includes what code placement costs.
 */
#ifndef BENCH_C
#define BENCH_C(name) rkal_bench_c_##name
#endif

notrace void BENCH_C(spinlock)(spinlock_t *lock)
{
	spin_lock(lock);
	spin_unlock(lock);
}

notrace void BENCH_C(spinlock_irqsave)(spinlock_t *lock)
{
	unsigned long flags;

	spin_lock_irqsave(lock, flags);
	spin_unlock_irqrestore(lock, flags);
}

notrace void BENCH_C(mutex)(struct mutex *lock)
{
	mutex_lock(lock);
	mutex_unlock(lock);
}

notrace void BENCH_C(refcount)(refcount_t *r)
{
	refcount_inc(r);
	if (refcount_dec_and_test(r))
		rkal_bench_sink();
}

notrace void BENCH_C(arc)(struct rkal_bench_obj *o)
{
	refcount_inc(&o->refs);
	if (refcount_dec_and_test(&o->refs))
		kfree(o);
}

notrace void BENCH_C(add_const)(atomic_t *v)
{
	atomic_add(5, v);
}

notrace void BENCH_C(inc)(atomic_t *v)
{
	atomic_inc(v);
}

notrace void BENCH_C(dec_and_test_if)(atomic_t *v)
{
	if (atomic_dec_and_test(v))
		rkal_bench_sink();
}

notrace int BENCH_C(fetch_sub_one)(atomic_t *v)
{
	return atomic_fetch_sub(1, v);
}

/* A saturating increment: a try_cmpxchg loop. */
notrace void BENCH_C(try_cmpxchg_loop)(atomic_t *v)
{
	int old = atomic_read(v);

	do {
		if (old == INT_MAX)
			return;
	} while (!atomic_try_cmpxchg(v, &old, old + 1));
}

notrace void BENCH_C(struct_offset)(struct rkal_bench_stats *s)
{
	atomic_inc(&s->packets);
}

notrace int BENCH_C(relaxed_and_plain)(struct rkal_bench_pair *p)
{
	return READ_ONCE(p->shared) + p->private;
}

notrace void BENCH_C(mp_publish)(struct rkal_bench_msg *m, int v)
{
	WRITE_ONCE(m->data, v);
	smp_store_release(&m->ready, 1);
}

notrace int BENCH_C(mp_consume)(struct rkal_bench_msg *m)
{
	if (smp_load_acquire(&m->ready))
		return READ_ONCE(m->data);
	return -1;
}

notrace bool BENCH_C(cmpxchg_claim)(atomic_t *v)
{
	return atomic_cmpxchg(v, 0, 1) == 0;
}

notrace void *BENCH_C(xchg_ptr)(void **slot)
{
	return xchg(slot, NULL);
}

notrace void BENCH_C(smp_mb)(void)
{
	smp_mb();
}

notrace bool BENCH_C(inc_not_zero)(atomic_t *v)
{
	return atomic_inc_not_zero(v);
}

notrace s64 BENCH_C(add_return64)(atomic64_t *v)
{
	return atomic64_add_return(16, v);
}

notrace bool BENCH_C(test_and_set)(bool *flag)
{
	return xchg(flag, true);
}

notrace long BENCH_C(long_dec_return)(atomic_long_t *v)
{
	return atomic_long_dec_return_release(v);
}

notrace void BENCH_C(kbox)(void)
{
	u64 *p = kmalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return;
	*p = 1;
	WRITE_ONCE(*p, 2);
	kfree(p);
}
