// SPDX-License-Identifier: GPL-2.0

#include <linux/device.h>

__rust_helper const char *rust_helper_dev_name(const struct device *dev)
{
	return dev_name(dev);
}

__rust_helper void *rust_helper_dev_get_drvdata(const struct device *dev)
{
	return dev_get_drvdata(dev);
}

__rust_helper void rust_helper_dev_set_drvdata(struct device *dev, void *data)
{
	dev_set_drvdata(dev, data);
}
