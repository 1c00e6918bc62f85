// SPDX-License-Identifier: GPL-2.0

#include <linux/cpumask.h>
#include <linux/irqflags.h>
#include <linux/smp.h>

__rust_helper unsigned int rust_helper_num_online_cpus(void)
{
	return num_online_cpus();
}

__rust_helper bool rust_helper_cpu_online(unsigned int cpu)
{
	return cpu < nr_cpu_ids && cpu_online(cpu);
}

__rust_helper unsigned int rust_helper_raw_smp_processor_id(void)
{
	return raw_smp_processor_id();
}

/* Interrupts off on this CPU, returning the flags to restore. */
__rust_helper unsigned long rust_helper_local_irq_save(void)
{
	unsigned long flags;

	local_irq_save(flags);
	return flags;
}

__rust_helper void rust_helper_local_irq_restore(unsigned long flags)
{
	local_irq_restore(flags);
}

__rust_helper bool rust_helper_irqs_disabled(void)
{
	return irqs_disabled();
}
