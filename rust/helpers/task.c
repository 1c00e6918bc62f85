// SPDX-License-Identifier: GPL-2.0

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

struct task_struct *rust_helper_get_task_struct(struct task_struct *t)
{
	return get_task_struct(t);
}

void rust_helper_init_completion(struct completion *x)
{
	init_completion(x);
}

int rust_helper_cond_resched(void)
{
	return cond_resched();
}

struct task_struct *rust_helper_get_current(void)
{
	return current;
}

void rust_helper_preempt_disable(void)
{
	preempt_disable();
}

void rust_helper_preempt_enable(void)
{
	preempt_enable();
}

void rust_helper_fsleep(unsigned long usecs)
{
	fsleep(usecs);
}
