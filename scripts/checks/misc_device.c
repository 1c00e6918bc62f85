// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace side of samples/rust/rust_misc_device.rs, built statically
 * into the test initramfs: every ioctl works, read() returns what write()
 * stored, bad input gets a clean error (EFAULT for a bad pointer, ENOTTY
 * for an unknown command) without losing the stored value, and an open
 * file keeps the module loaded (rmmod fails until it is closed).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUST_MISC_DEV_HELLO _IO('|', 0x80)
#define RUST_MISC_DEV_GET_VALUE _IOR('|', 0x81, int)
#define RUST_MISC_DEV_SET_VALUE _IOW('|', 0x82, int)

static int failures;

static void expect(int ok, const char *what)
{
	if (!ok) {
		printf("misc_device: FAILED: %s (errno %d)\n", what, errno);
		failures++;
	}
}

int main(void)
{
	int value = 42, got = 0;
	int fd = open("/dev/rust-misc-device", O_RDWR);

	if (fd < 0) {
		perror("misc_device: open /dev/rust-misc-device");
		return 1;
	}
	expect(ioctl(fd, RUST_MISC_DEV_HELLO) == 0, "hello");
	expect(ioctl(fd, RUST_MISC_DEV_SET_VALUE, &value) == 0, "set 42");
	expect(ioctl(fd, RUST_MISC_DEV_GET_VALUE, &got) == 0 && got == 42, "get 42");

	errno = 0;
	expect(ioctl(fd, RUST_MISC_DEV_SET_VALUE, (void *)16) == -1 && errno == EFAULT,
	       "set from a bad pointer fails with EFAULT");
	errno = 0;
	expect(ioctl(fd, RUST_MISC_DEV_GET_VALUE, (void *)0) == -1 && errno == EFAULT,
	       "get to a null pointer fails with EFAULT");
	errno = 0;
	expect(ioctl(fd, _IO('|', 0x7f)) == -1 && errno == ENOTTY,
	       "unknown command fails with ENOTTY");

	got = 0;
	expect(ioctl(fd, RUST_MISC_DEV_GET_VALUE, &got) == 0 && got == 42,
	       "value survives the bad calls");

	/* read() gives back what write() stored, from the start. */
	{
		static const char msg[] = "hello, misc device";
		char back[64] = { 0 };
		/* volatile: the compiler must not reason about the bad pointer. */
		char *volatile bad = (char *)16;

		expect(write(fd, msg, sizeof(msg)) == (ssize_t)sizeof(msg), "write");
		expect(read(fd, back, sizeof(back)) == (ssize_t)sizeof(msg) &&
		       memcmp(back, msg, sizeof(msg)) == 0, "read returns what was written");
		expect(read(fd, back, sizeof(back)) == 0, "read at the end returns 0");
		errno = 0;
		expect(write(fd, bad, 8) == -1 && errno == EFAULT,
		       "write from a bad pointer fails with EFAULT");
		/* The failed write emptied the buffer; store something again. */
		expect(write(fd, msg, sizeof(msg)) == (ssize_t)sizeof(msg), "write again");
		errno = 0;
		expect(read(fd, bad, 8) == -1 && errno == EFAULT,
		       "read into a bad pointer fails with EFAULT");
	}

	/* An open file keeps the module loaded. */
	{
		struct stat st;
		int status = -1;
		pid_t pid = fork();

		if (pid == 0) {
			execl("/bin/rmmod", "rmmod", "rust_misc_device", (char *)NULL);
			_exit(127);
		}
		expect(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		       WEXITSTATUS(status) != 0, "rmmod fails while a file is open");
		expect(stat("/sys/module/rust_misc_device", &st) == 0,
		       "module still loaded after the refused rmmod");
		expect(ioctl(fd, RUST_MISC_DEV_HELLO) == 0, "the open file still works");
	}
	close(fd);

	/* Each open file has its own value. */
	fd = open("/dev/rust-misc-device", O_RDWR);
	got = -1;
	expect(fd >= 0 && ioctl(fd, RUST_MISC_DEV_GET_VALUE, &got) == 0 && got == 0,
	       "a new file starts at 0");
	close(fd);

	if (!failures)
		printf("misc_device: all ioctls behave\n");
	return failures ? 1 : 0;
}
