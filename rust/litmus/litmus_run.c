// SPDX-License-Identifier: GPL-2.0
/*
 * The litmus suite's budget (module parameter) and the one helper the
 * generated C needs.
 */

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "litmus.h"

static unsigned int iterations = 5000;
module_param(iterations, uint, 0444);
MODULE_PARM_DESC(iterations, "iterations per test and twin (make litmus: 1000000)");

/* An RCU test waits for a grace period per iteration: ~200 us under TCG. */
static unsigned int rcu_iterations = 500;
module_param(rcu_iterations, uint, 0444);
MODULE_PARM_DESC(rcu_iterations, "iterations of the tests that wait for RCU grace periods");

unsigned int lt_iterations(int slow)
{
	return slow ? rcu_iterations : iterations;
}

long lt_ptr_name(long p, void *mem, size_t size, const size_t *offs, unsigned int nvars)
{
	unsigned int i;

	if (!p)
		return 0;
	for (i = 0; i < nvars; i++)
		if (p == (long)((char *)mem + offs[i]))
			return LT_PTR + i;
	return LT_PTR - 1;
}
