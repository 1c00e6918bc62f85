// SPDX-License-Identifier: GPL-2.0

#include <linux/device.h>

__rust_helper const char *rust_helper_dev_name(const struct device *dev)
{
	return dev_name(dev);
}
