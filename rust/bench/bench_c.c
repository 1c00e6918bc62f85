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

notrace void rkal_bench_c_spinlock(spinlock_t *lock)
{
	spin_lock(lock);
	spin_unlock(lock);
}

notrace void rkal_bench_c_spinlock_irqsave(spinlock_t *lock)
{
	unsigned long flags;

	spin_lock_irqsave(lock, flags);
	spin_unlock_irqrestore(lock, flags);
}

notrace void rkal_bench_c_mutex(struct mutex *lock)
{
	mutex_lock(lock);
	mutex_unlock(lock);
}

notrace void rkal_bench_c_refcount(refcount_t *r)
{
	refcount_inc(r);
	if (refcount_dec_and_test(r))
		rkal_bench_sink();
}

notrace void rkal_bench_c_arc(struct rkal_bench_obj *o)
{
	refcount_inc(&o->refs);
	if (refcount_dec_and_test(&o->refs))
		kfree(o);
}

notrace void rkal_bench_c_add_const(atomic_t *v)
{
	atomic_add(5, v);
}

notrace void rkal_bench_c_inc(atomic_t *v)
{
	atomic_inc(v);
}

notrace void rkal_bench_c_dec_and_test_if(atomic_t *v)
{
	if (atomic_dec_and_test(v))
		rkal_bench_sink();
}

notrace int rkal_bench_c_fetch_sub_one(atomic_t *v)
{
	return atomic_fetch_sub(1, v);
}

/* A saturating increment: a try_cmpxchg loop. */
notrace void rkal_bench_c_try_cmpxchg_loop(atomic_t *v)
{
	int old = atomic_read(v);

	do {
		if (old == INT_MAX)
			return;
	} while (!atomic_try_cmpxchg(v, &old, old + 1));
}

notrace void rkal_bench_c_struct_offset(struct rkal_bench_stats *s)
{
	atomic_inc(&s->packets);
}

notrace int rkal_bench_c_relaxed_and_plain(struct rkal_bench_pair *p)
{
	return READ_ONCE(p->shared) + p->private;
}

notrace void rkal_bench_c_mp_publish(struct rkal_bench_msg *m, int v)
{
	WRITE_ONCE(m->data, v);
	smp_store_release(&m->ready, 1);
}

notrace int rkal_bench_c_mp_consume(struct rkal_bench_msg *m)
{
	if (smp_load_acquire(&m->ready))
		return READ_ONCE(m->data);
	return -1;
}

notrace bool rkal_bench_c_cmpxchg_claim(atomic_t *v)
{
	return atomic_cmpxchg(v, 0, 1) == 0;
}

notrace void *rkal_bench_c_xchg_ptr(void **slot)
{
	return xchg(slot, NULL);
}

notrace void rkal_bench_c_smp_mb(void)
{
	smp_mb();
}

notrace bool rkal_bench_c_inc_not_zero(atomic_t *v)
{
	return atomic_inc_not_zero(v);
}

notrace s64 rkal_bench_c_add_return64(atomic64_t *v)
{
	return atomic64_add_return(16, v);
}

notrace bool rkal_bench_c_test_and_set(bool *flag)
{
	return xchg(flag, true);
}

notrace long rkal_bench_c_long_dec_return(atomic_long_t *v)
{
	return atomic_long_dec_return_release(v);
}

notrace void rkal_bench_c_kbox(void)
{
	u64 *p = kmalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return;
	*p = 1;
	WRITE_ONCE(*p, 2);
	kfree(p);
}
