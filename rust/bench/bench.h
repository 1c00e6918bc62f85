/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The types of the snippets' C objects (bench_c.c, bench_run.c) and the
 * numbers by which the runner (bench_rs.rs, `Obj`) names them.
 */
#ifndef RKAL_BENCH_H
#define RKAL_BENCH_H

#include <linux/atomic.h>
#include <linux/refcount.h>
#include <linux/types.h>

/* An Arc clone + drop is a refcount inc + dec_and_test on the object's count. */
struct rkal_bench_obj {
	refcount_t refs;
	int data;
};

struct rkal_bench_stats {
	u64 bytes;
	atomic_t packets;
};

struct rkal_bench_pair {
	int shared;
	int private;
};

struct rkal_bench_msg {
	int data;
	int ready;
};

enum {
	RKAL_BENCH_LOCK,
	RKAL_BENCH_LOCK_IRQ,
	RKAL_BENCH_MUTEX,
	RKAL_BENCH_REF,
	RKAL_BENCH_OBJ,
	RKAL_BENCH_V,
	RKAL_BENCH_STATS,
	RKAL_BENCH_PAIR,
	RKAL_BENCH_MSG,
	RKAL_BENCH_SLOT,
	RKAL_BENCH_V64,
	RKAL_BENCH_FLAG,
	RKAL_BENCH_VLONG,
};

void rkal_bench_sink(void);

#endif
