// SPDX-License-Identifier: GPL-2.0

#include <linux/mutex.h>

/*
 * `__mutex_init` is a function on most configurations but a macro on
 * PREEMPT_RT (rt_mutex based mutexes): Rust always goes through here.
 */
__rust_helper void rust_helper_mutex_init_with_key(struct mutex *mutex, const char *name,
				     struct lock_class_key *key)
{
	__mutex_init(mutex, name, key);
}
