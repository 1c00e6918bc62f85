// SPDX-License-Identifier: GPL-2.0
/*
 * The placement control of `make bench`'s executed figures: bench_c.c's
 * snippets compiled again, as rkal_bench_c2_<name>, into other addresses
 * (bench_rs.rs times them as the second C run).
 */

#define BENCH_C(name) rkal_bench_c2_##name
#include "bench_c.c"
