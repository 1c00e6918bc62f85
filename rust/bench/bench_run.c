// SPDX-License-Identifier: GPL-2.0
/*
 * The C objects the snippets of bench_c.c work on, for the runner in
 * bench_rs.rs, which times each snippet in C and in Rust in the same boot.
 * Kept apart from bench_c.c so that its snippets call rkal_bench_sink() as
 * an external function, exactly as the Rust ones do.
 */

#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "bench.h"

/* The default is for the debug boots of make test and make run, where the
 * figures mean nothing (slub_debug, kmemleak) and the equality check is
 * what counts: every snippet runs, in half a second. */
static unsigned int iterations = 100;
module_param(iterations, uint, 0444);
MODULE_PARM_DESC(iterations, "calls of each snippet per side and round (make bench: 1000000)");

unsigned int rkal_bench_iterations(void)
{
	return iterations;
}

/* What a snippet calls when its condition holds; it must not be elided. */
noinline void rkal_bench_sink(void)
{
	barrier();
}

/*
 * The locks are on the heap, each in an allocation of its own and each
 * initialised at run time (a lockdep class of its own), as the Rust
 * runner's are (a KBox each, from new_spinlock!() and new_mutex!()): where
 * a lock lives then makes no difference between the two sides. Owned
 * between rkal_bench_c_setup() and rkal_bench_c_teardown().
 */
static spinlock_t *c_lock;
static spinlock_t *c_lock_irq;
static struct mutex *c_mutex;
static refcount_t c_ref;
static struct rkal_bench_obj c_obj;
static atomic_t c_v;
static struct rkal_bench_stats c_stats;
static struct rkal_bench_pair c_pair;
static struct rkal_bench_msg c_msg;
static void *c_slot;
static atomic64_t c_v64;
static bool c_flag;
static atomic_long_t c_vlong;

static void free_locks(void)
{
	kfree(c_mutex);
	kfree(c_lock_irq);
	kfree(c_lock);
	c_mutex = NULL;
	c_lock_irq = NULL;
	c_lock = NULL;
}

/* 0, or -ENOMEM with nothing allocated. */
int rkal_bench_c_setup(void)
{
	c_lock = kmalloc(sizeof(*c_lock), GFP_KERNEL);
	c_lock_irq = kmalloc(sizeof(*c_lock_irq), GFP_KERNEL);
	c_mutex = kmalloc(sizeof(*c_mutex), GFP_KERNEL);
	if (!c_lock || !c_lock_irq || !c_mutex) {
		free_locks();
		return -ENOMEM;
	}
	spin_lock_init(c_lock);
	spin_lock_init(c_lock_irq);
	mutex_init(c_mutex);
	return 0;
}

/* Frees what a successful rkal_bench_c_setup() allocated. */
void rkal_bench_c_teardown(void)
{
	mutex_destroy(c_mutex);
	free_locks();
}

/* The same start values as the Rust runner's objects. */
void rkal_bench_c_reset(void)
{
	refcount_set(&c_ref, 1);
	refcount_set(&c_obj.refs, 1);
	atomic_set(&c_v, 1);
	c_stats.bytes = 0;
	atomic_set(&c_stats.packets, 0);
	c_pair.shared = 3;
	c_pair.private = 4;
	c_msg.data = 7;
	c_msg.ready = 1;
	c_slot = NULL;
	atomic64_set(&c_v64, 0);
	c_flag = false;
	atomic_long_set(&c_vlong, 0);
}

void *rkal_bench_c_obj(unsigned int which)
{
	switch (which) {
	case RKAL_BENCH_LOCK: return c_lock;
	case RKAL_BENCH_LOCK_IRQ: return c_lock_irq;
	case RKAL_BENCH_MUTEX: return c_mutex;
	case RKAL_BENCH_REF: return &c_ref;
	case RKAL_BENCH_OBJ: return &c_obj;
	case RKAL_BENCH_V: return &c_v;
	case RKAL_BENCH_STATS: return &c_stats;
	case RKAL_BENCH_PAIR: return &c_pair;
	case RKAL_BENCH_MSG: return &c_msg;
	case RKAL_BENCH_SLOT: return &c_slot;
	case RKAL_BENCH_V64: return &c_v64;
	case RKAL_BENCH_FLAG: return &c_flag;
	case RKAL_BENCH_VLONG: return &c_vlong;
	}
	return NULL;
}

/* What an object holds after a run, to compare with the Rust side's. */
s64 rkal_bench_c_state(unsigned int which)
{
	switch (which) {
	case RKAL_BENCH_LOCK: return spin_is_locked(c_lock);
	case RKAL_BENCH_LOCK_IRQ: return spin_is_locked(c_lock_irq);
	case RKAL_BENCH_MUTEX: return mutex_is_locked(c_mutex);
	case RKAL_BENCH_REF: return refcount_read(&c_ref);
	case RKAL_BENCH_OBJ: return refcount_read(&c_obj.refs);
	case RKAL_BENCH_V: return atomic_read(&c_v);
	case RKAL_BENCH_STATS: return atomic_read(&c_stats.packets);
	case RKAL_BENCH_PAIR: return c_pair.shared + c_pair.private;
	case RKAL_BENCH_MSG: return READ_ONCE(c_msg.data);
	case RKAL_BENCH_SLOT: return (s64)(unsigned long)READ_ONCE(c_slot);
	case RKAL_BENCH_V64: return atomic64_read(&c_v64);
	case RKAL_BENCH_FLAG: return READ_ONCE(c_flag);
	case RKAL_BENCH_VLONG: return atomic_long_read(&c_vlong);
	}
	return -1;
}
