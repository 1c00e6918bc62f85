// SPDX-License-Identifier: GPL-2.0

#include <linux/sched/signal.h>
#include <linux/wait.h>

__rust_helper void rust_helper_init_wait(struct wait_queue_entry *wq_entry)
{
	init_wait(wq_entry);
}

__rust_helper int rust_helper_signal_pending(void)
{
	return signal_pending(current);
}
