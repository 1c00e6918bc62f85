// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/rkal-api-shape (drivers/selftests/rkal_api_shape.rs) from
 * userspace: a write from a pointer with no valid byte is EFAULT (a 0
 * would tell the caller to write again, for ever), a good write is taken.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int failures;

static void expect(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

int main(void)
{
	const void *volatile bad = (const void *)8;
	int fd = open("/dev/rkal-api-shape", O_RDWR);

	if (fd < 0) {
		perror("api_shape: open /dev/rkal-api-shape");
		return 1;
	}
	errno = 0;
	expect(write(fd, bad, 16) == -1 && errno == EFAULT,
	       "a write from a bad pointer is EFAULT");
	expect(write(fd, "shape", 5) == 5, "a good write is taken");
	close(fd);
	return failures ? 1 : 0;
}
