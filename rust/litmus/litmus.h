/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The litmus suite's test descriptors: written by scripts/gen_litmus.py
 * (litmus_c.c, generated), read by the harness (harness.rs, whose LtDesc
 * mirrors struct lt_desc).
 */
#ifndef RKAL_LITMUS_H
#define RKAL_LITMUS_H

#include <linux/stddef.h>
#include <linux/types.h>

#define LT_MAX_THREADS 4
#define LT_MAX_REGS 8

/* lt_desc.cond's result bits. */
#define LT_EXISTS 1
#define LT_FILTER 2

/* lt_desc.expect, on x86-64. */
#define LT_NEVER 0	/* the outcome must never be seen */
#define LT_MUST_SEE 1	/* x86-TSO shows it: it must be seen */

/* A pointer in a final state, named by the variable it points to. */
#define LT_PTR (1L << 40)

typedef void (*lt_thread_fn)(void *mem, void **vars, long *out);

struct lt_desc {
	const char *name;
	const char *verdict;	/* herd7's, from the test's Result: comment */
	const char *exists;
	int expect;
	int sibling;		/* the unfenced twin of a fenced test, or -1 */
	int slow;		/* waits for RCU grace periods */
	unsigned int nthreads;
	size_t size;		/* of one iteration's shared variables */
	unsigned int nvars;
	const size_t *offs;	/* of each variable, in that memory */
	const char *const *vars;
	unsigned int nkey;	/* locations of the final state */
	const char *const *keys;
	void (*init)(void *mem);
	int (*cond)(void *mem, const long *out);
	void (*key)(void *mem, const long *out, long *key);
	lt_thread_fn threads[LT_MAX_THREADS];
};

extern const struct lt_desc lt_tests[];
extern const unsigned int lt_ntests;

long lt_ptr_name(long p, void *mem, size_t size, const size_t *offs, unsigned int nvars);

#endif
