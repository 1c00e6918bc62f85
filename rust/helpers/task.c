// SPDX-License-Identifier: GPL-2.0

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

__rust_helper struct task_struct *rust_helper_get_task_struct(struct task_struct *t)
{
	return get_task_struct(t);
}

__rust_helper void rust_helper_init_completion(struct completion *x)
{
	init_completion(x);
}

__rust_helper int rust_helper_cond_resched(void)
{
	return cond_resched();
}

__rust_helper struct task_struct *rust_helper_get_current(void)
{
	return current;
}

__rust_helper void rust_helper_preempt_disable(void)
{
	preempt_disable();
}

__rust_helper void rust_helper_preempt_enable(void)
{
	preempt_enable();
}

__rust_helper void rust_helper_fsleep(unsigned long usecs)
{
	fsleep(usecs);
}
