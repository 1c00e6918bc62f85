// SPDX-License-Identifier: GPL-2.0

#include <linux/workqueue.h>

/* INIT_WORK with the caller's lockdep name and class. */
__rust_helper void rust_helper_init_work_with_key(struct work_struct *work, work_func_t func,
						  bool onstack, const char *name,
						  struct lock_class_key *key)
{
	__init_work(work, onstack);
	work->data = (atomic_long_t)WORK_DATA_INIT();
	lockdep_init_map(&work->lockdep_map, name, key, 0);
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
}

/* INIT_DELAYED_WORK, likewise, with the timer's name and class. */
__rust_helper void rust_helper_init_delayed_work_with_key(struct delayed_work *dwork,
							  work_func_t func, const char *name,
							  struct lock_class_key *key,
							  const char *timer_name,
							  struct lock_class_key *timer_key)
{
	rust_helper_init_work_with_key(&dwork->work, func, false, name, key);
	init_timer_key(&dwork->timer, delayed_work_timer_fn, TIMER_IRQSAFE, timer_name, timer_key);
}
