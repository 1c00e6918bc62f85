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

/*
 * A test whose relaxed outcome x86-TSO allows must see it, else its
 * threads are not racing and the run shows nothing. Off for make stress's
 * KASAN kernel, whose instrumented atomics call kasan_check_*() between
 * the accesses and close the window the outcome needs; forbidden outcomes
 * are checked all the same.
 */
static bool require_race = true;
module_param(require_race, bool, 0444);
MODULE_PARM_DESC(require_race, "fail a test whose allowed relaxed outcome is never seen (default: yes)");

unsigned int lt_iterations(int slow)
{
	return slow ? rcu_iterations : iterations;
}

bool lt_require_race(void);
bool lt_require_race(void)
{
	return require_race;
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
