# SPDX-License-Identifier: GPL-2.0
#
# Entry points. Each target does its own setup, idempotently; the work is in
# scripts/ (see README.md).
#
#   make run  [M=<dir>] [KDIR=<tree>]   build, boot, show samples and drivers
#   make test [M=<dir>] [KDIR=<tree>]   setup, build, host tests, boot, verdict
#                                       (M=: that directory's modules and checks)
#   make atomics-check                  prove Rust atomics = C atomics
#   make bench                          Rust vs C call-site corpus: instructions, ns/call
#   make litmus                         LKMM litmus suite, 10^6 iterations per twin
#   make matrix [MATRIX=hardened|kasan]  inlining checks on other configurations
#   make stress [SEED=<n>]              debug kernel (KASAN, UBSAN): 1000 load/unload
#                                       cycles per module, fault injection, 10^6
#                                       fuzzer ops, kmemleak (build/stress.txt)
#   make build | setup | host-test | fmt | clean | distclean

SHELL := /bin/bash
export KDIR M CLIPPY JOBS MATRIX SEED

.PHONY: all run test bench litmus matrix stress build setup host-test atomics-check fmt clean distclean

all: build

setup:
	@scripts/setup.sh

build: setup
	@scripts/build.sh

run:
	@scripts/run.sh run

test:
	@scripts/run.sh test

host-test: setup
	@scripts/host-test.sh

atomics-check: build
	@scripts/atomics-check.sh

bench:
	@scripts/bench.sh

litmus:
	@scripts/litmus.sh

# The inlining checks on the hardened and KASAN configurations (slow:
# a kernel build each; MATRIX=hardened or MATRIX=kasan for one).
matrix:
	@scripts/matrix.sh

# The stress run at full figures, on its own debug kernel (slow: a KASAN
# kernel build, then tens of minutes of guest time).
stress:
	@scripts/stress.sh

fmt:
	@scripts/fmt.sh fix


clean:
	rm -rf build/obj build/initramfs build/extmod build/*.cpio build/*.log

distclean:
	rm -rf build
