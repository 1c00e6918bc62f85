// SPDX-License-Identifier: GPL-2.0

/*
 * The kernel's barriers, for kernel::sync::barrier: inlined into Rust, they
 * are the architecture's own definitions (fences, locked adds, compiler
 * barriers), whatever the architecture.
 */

#include <asm/barrier.h>
#include <linux/compiler.h>
#include <linux/spinlock.h>

__rust_helper void rust_helper_barrier(void)
{
	barrier();
}

__rust_helper void rust_helper_smp_mb(void)
{
	smp_mb();
}

__rust_helper void rust_helper_smp_rmb(void)
{
	smp_rmb();
}

__rust_helper void rust_helper_smp_wmb(void)
{
	smp_wmb();
}

__rust_helper void rust_helper_mb(void)
{
	mb();
}

__rust_helper void rust_helper_rmb(void)
{
	rmb();
}

__rust_helper void rust_helper_wmb(void)
{
	wmb();
}

__rust_helper void rust_helper_dma_mb(void)
{
	dma_mb();
}

__rust_helper void rust_helper_dma_rmb(void)
{
	dma_rmb();
}

__rust_helper void rust_helper_dma_wmb(void)
{
	dma_wmb();
}

__rust_helper void rust_helper_smp_mb__before_atomic(void)
{
	smp_mb__before_atomic();
}

__rust_helper void rust_helper_smp_mb__after_atomic(void)
{
	smp_mb__after_atomic();
}

__rust_helper void rust_helper_smp_mb__after_spinlock(void)
{
	smp_mb__after_spinlock();
}
