// SPDX-License-Identifier: GPL-2.0
/*
 * The parameter of rkal_kthread_leak (rkal_kthread_leak_rs.rs), which
 * Rust's module! cannot declare yet: fail_init=1 makes init fail after it
 * started its thread and queued its work item, so the loader frees the
 * module's code while both are pending (scripts/checks/kthread_leak.sh).
 */

#include <linux/module.h>
#include <linux/moduleparam.h>

static bool fail_init;
module_param(fail_init, bool, 0444);
MODULE_PARM_DESC(fail_init, "fail init after starting the thread and the work item");

bool rkal_kthread_leak_fail_init(void);

bool rkal_kthread_leak_fail_init(void)
{
	return fail_init;
}
