// SPDX-License-Identifier: GPL-2.0

#include <linux/mutex.h>

/* mutex_lock() is mutex_lock_nested(lock, 0) when lockdep is on. */
void rust_helper_mutex_lock(struct mutex *lock)
{
	mutex_lock(lock);
}
