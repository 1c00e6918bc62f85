// SPDX-License-Identifier: GPL-2.0

#include <linux/pci.h>

__rust_helper resource_size_t rust_helper_pci_resource_len(struct pci_dev *pdev, int bar)
{
	return pci_resource_len(pdev, bar);
}
