// SPDX-License-Identifier: GPL-2.0
/*
 * Prints this machine's TSC frequency in kHz, measured against
 * CLOCK_MONOTONIC over 200 ms. Under TCG the guest reads the host's TSC,
 * but our minimal kernel (no ACPI: no HPET, no PM timer) has no reference
 * to calibrate it against and would fall back to jiffies (4 ms steps);
 * scripts/qemu.sh passes this value as tsc_early_khz=.
 */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

int main(void)
{
	struct timespec a, b, nap = { 0, 200000000 };
	unsigned long long t0, t1;
	double ns;

	clock_gettime(CLOCK_MONOTONIC, &a);
	t0 = __rdtsc();
	nanosleep(&nap, NULL);
	t1 = __rdtsc();
	clock_gettime(CLOCK_MONOTONIC, &b);
	ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("%.0f\n", (double)(t1 - t0) / ns * 1e6);
	return 0;
}
