// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace side of drivers/selftests/rkal_blk_selftest.rs: reads each 4 KiB
 * block of /dev/rkalblk0 with O_DIRECT (one request per read) and checks
 * the result the driver's deliberate mishandling must give. Repeated, so
 * that tags are reused: a request completed twice, or never, shows up as a
 * wrong result, a hang (the boot times out) or a kernel splat (the verdict
 * fails).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK 4096
#define ROUNDS 50

/* 0: the read succeeds; else the errno it must fail with. */
static const int expected[] = { 0, EIO, EIO, 0, 0, EIO, 0, 0 };

int main(void)
{
	int fd = open("/dev/rkalblk0", O_RDONLY | O_DIRECT);
	void *buf;
	int failures = 0;

	if (fd < 0) {
		perror("blk_selftest: open /dev/rkalblk0");
		return 1;
	}
	if (posix_memalign(&buf, BLOCK, BLOCK)) {
		printf("blk_selftest: no memory\n");
		return 1;
	}
	for (int round = 0; round < ROUNDS; round++) {
		for (int b = 0; b < (int)(sizeof(expected) / sizeof(expected[0])); b++) {
			ssize_t n;

			errno = 0;
			n = pread(fd, buf, BLOCK, (off_t)b * BLOCK);
			if (expected[b] == 0 && n != BLOCK) {
				printf("blk_selftest: round %d block %d: read %zd (%s), expected %d bytes\n",
				       round, b, n, strerror(errno), BLOCK);
				failures++;
			} else if (expected[b] != 0 && (n != -1 || errno != expected[b])) {
				printf("blk_selftest: round %d block %d: read %zd (%s), expected %s\n",
				       round, b, n, strerror(errno), strerror(expected[b]));
				failures++;
			}
		}
	}
	close(fd);
	if (!failures)
		printf("blk_selftest: %d rounds, every request completed once as expected\n", ROUNDS);
	return failures ? 1 : 0;
}
