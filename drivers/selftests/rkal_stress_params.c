// SPDX-License-Identifier: GPL-2.0
/*
 * The parameters of rkal_stress (drivers/selftests/rkal_stress_rs.rs),
 * which Rust's module! cannot declare yet: how long each KUnit case
 * hammers its primitive, and with how many threads.
 */

#include <linux/module.h>
#include <linux/moduleparam.h>

static unsigned int msecs = 300;
module_param(msecs, uint, 0444);
MODULE_PARM_DESC(msecs, "how long each case runs, in ms (make stress: 5000)");

static unsigned int threads = 4;
module_param(threads, uint, 0444);
MODULE_PARM_DESC(threads, "threads per case, 2..16 (make stress: 8)");

unsigned int rkal_stress_msecs(void);
unsigned int rkal_stress_threads(void);

unsigned int rkal_stress_msecs(void)
{
	return msecs;
}

unsigned int rkal_stress_threads(void)
{
	return clamp(threads, 2U, 16U);
}
