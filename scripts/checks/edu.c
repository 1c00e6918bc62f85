// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace side of drivers/edu/rkal_edu.rs, built statically into the
 * test initramfs: the identification register, liveness, factorials 0..12
 * computed by the device with its completion interrupt, a random buffer
 * of the device's 4 KiB less one byte (QEMU 7.2 cannot DMA its last byte,
 * see drivers/edu) round-tripped by DMA (and at an offset), several processes
 * at once, clean errors for bad input (ENOTTY, EFAULT), and an unbind
 * through sysfs while a file is open (its ioctls then fail with ENODEV,
 * nothing crashes), then a rebind that works again.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define EDU_IOC_ID _IOR('E', 1, uint32_t)
#define EDU_IOC_LIVENESS _IOWR('E', 2, uint32_t)
#define EDU_IOC_FACTORIAL _IOWR('E', 3, uint32_t)
#define EDU_IOC_IRQS _IOR('E', 4, uint64_t)

#define DRV "/sys/bus/pci/drivers/rkal_edu"

static int failures;

static void expect(int ok, const char *what)
{
	if (!ok) {
		printf("edu: FAILED: %s (errno %d)\n", what, errno);
		failures++;
	}
}

static uint32_t fact(uint32_t n)
{
	uint32_t r = 1;

	while (n > 1)
		r *= n--;
	return r;
}

static int factorials(int fd, int rounds)
{
	int bad = 0;

	for (int i = 0; i < rounds; i++) {
		uint32_t n = i % 13, v = n;

		if (ioctl(fd, EDU_IOC_FACTORIAL, &v) != 0 || v != fact(n)) {
			printf("edu: %u! gave %u (errno %d), want %u\n", n, v, errno, fact(n));
			bad++;
		}
	}
	return bad;
}

static int sysfs_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

static int open_edu(void)
{
	/* devtmpfs creates the node as the device registers. */
	for (int i = 0; i < 100; i++) {
		int fd = open("/dev/edu", O_RDWR);

		if (fd >= 0)
			return fd;
		usleep(20000);
	}
	return -1;
}

int main(void)
{
	char bdf[256] = "";
	uint32_t v;
	uint64_t irqs = 0, irqs2 = 0;
	struct dirent *e;
	DIR *d = opendir(DRV);
	int fd;

	if (!d) {
		printf("edu: FAILED: %s missing: rkal_edu did not register\n", DRV);
		return 1;
	}
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "0000:", 5))
			snprintf(bdf, sizeof(bdf), "%s", e->d_name);
	closedir(d);
	expect(bdf[0] != 0, "rkal_edu is bound to a device");

	fd = open_edu();
	if (fd < 0) {
		perror("edu: open /dev/edu");
		return 1;
	}
	expect(ioctl(fd, EDU_IOC_ID, &v) == 0 && (v & 0xff) == 0xed, "identification register");
	for (uint32_t x = 0; x < 4; x++) {
		uint32_t in = x * 0x3f3f3f3f + 1;

		v = in;
		expect(ioctl(fd, EDU_IOC_LIVENESS, &v) == 0 && v == ~in, "liveness is inverted");
	}
	expect(ioctl(fd, EDU_IOC_IRQS, &irqs) == 0, "interrupt count");
	expect(factorials(fd, 13) == 0, "factorials 0..12");
	expect(ioctl(fd, EDU_IOC_IRQS, &irqs2) == 0 && irqs2 >= irqs + 13,
	       "one completion interrupt per factorial");

	/* DMA: 4095 random bytes to the device and back. */
	{
		static unsigned char out[4096], in[4096];
		/* An unmapped address gcc cannot see through. */
		void *volatile bad = (void *)8;
		unsigned int seed = 12345;

		for (int i = 0; i < 4096; i++) {
			seed = seed * 1103515245 + 12345;
			out[i] = seed >> 16;
		}
		expect(pwrite(fd, out, 4096, 0) == 4095, "DMA write of 4095 bytes (of 4096 asked)");
		memset(in, 0, sizeof(in));
		expect(pread(fd, in, 4096, 0) == 4095, "DMA read of 4095 bytes");
		expect(!memcmp(in, out, 4095), "4095-byte round trip by DMA");
		expect(pwrite(fd, "edu!", 4, 1000) == 4, "DMA write at an offset");
		memset(in, 0, 8);
		expect(pread(fd, in, 8, 998) == 8 && !memcmp(in + 2, "edu!", 4) &&
		       in[0] == out[998] && in[1] == out[999] && in[6] == out[1004],
		       "DMA read at an offset sees the write and its neighbours");
		expect(pread(fd, in, 16, 4095) == 0, "read past the buffer is end of file");
		errno = 0;
		expect(pwrite(fd, out, 16, 4095) == -1 && errno == ENOSPC, "write past the buffer is ENOSPC");
		/* The device takes a 0-byte DMA for one that wraps around: a
		 * hardware error that stops the machine. None may start. */
		expect(pread(fd, in, 0, 0) == 0, "an empty read moves nothing");
		expect(pwrite(fd, out, 0, 0) == 0, "an empty write moves nothing");
		expect(pread(fd, in, 4, 0) == 4, "the device works after empty transfers");
		errno = 0;
		expect(pwrite(fd, bad, 16, 0) == -1 && errno == EFAULT, "DMA write from a bad pointer");
		expect(ioctl(fd, EDU_IOC_IRQS, &irqs) == 0 && irqs >= irqs2 + 4,
		       "one completion interrupt per DMA transfer");
	}

	/* Bad input. */
	errno = 0;
	expect(ioctl(fd, _IO('E', 99)) == -1 && errno == ENOTTY, "unknown ioctl is ENOTTY");
	errno = 0;
	expect(ioctl(fd, EDU_IOC_FACTORIAL, (void *)8) == -1 && errno == EFAULT,
	       "bad pointer is EFAULT");

	/* Several processes at once. */
	for (int c = 0; c < 4; c++) {
		if (fork() == 0) {
			int cfd = open("/dev/edu", O_RDWR);

			_exit(cfd < 0 || factorials(cfd, 26) != 0);
		}
	}
	for (int c = 0; c < 4; c++) {
		int status = 0;

		wait(&status);
		expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "concurrent users");
	}

	/* A factorial that outlives the driver's 2 s timeout (QEMU computes
	 * n! in O(n) host time: seconds for the largest n), then small ones,
	 * retried while they time out. Each must wait for the device to be
	 * idle and for its own end: the driver used to start one while the
	 * old computation ran (the device ignores that start) and take the
	 * old one's end for its own, returning the old result (0). */
	{
		int rc, timed_out, tries;

		v = 0xffffffff;
		errno = 0;
		rc = ioctl(fd, EDU_IOC_FACTORIAL, &v);
		timed_out = rc == -1 && errno == ETIMEDOUT;
		expect(timed_out || (rc == 0 && v == 0), "factorial of 2^32-1: timed out, or 0");
		for (tries = 0; tries < 15; tries++) {
			v = 5;
			errno = 0;
			rc = ioctl(fd, EDU_IOC_FACTORIAL, &v);
			if (rc == 0 || errno != ETIMEDOUT)
				break;
		}
		expect(rc == 0 && v == 120, "the factorial after a timed-out one is its own");
		printf("edu: factorial of 2^32-1 %s; 5! after %d timeouts\n",
		       timed_out ? "timed out" : "completed in time", tries);
	}

	/* Unbind with the file open: its ioctls fail cleanly. */
	expect(sysfs_write(DRV "/unbind", bdf) == 0, "unbind through sysfs");
	errno = 0;
	expect(ioctl(fd, EDU_IOC_ID, &v) == -1 && errno == ENODEV, "ioctl after unbind is ENODEV");
	v = 5;
	errno = 0;
	expect(ioctl(fd, EDU_IOC_FACTORIAL, &v) == -1 && errno == ENODEV,
	       "factorial after unbind is ENODEV");
	errno = 0;
	expect(pread(fd, &v, 4, 0) == -1 && errno == ENODEV, "DMA read after unbind is ENODEV");
	expect(access("/dev/edu", F_OK) != 0, "/dev/edu is gone after unbind");

	/* Rebind: a new file works; the old one still fails. */
	expect(sysfs_write(DRV "/bind", bdf) == 0, "rebind through sysfs");
	{
		int fd2 = open_edu();

		expect(fd2 >= 0, "open after rebind");
		if (fd2 >= 0) {
			expect(factorials(fd2, 13) == 0, "factorials after rebind");
			close(fd2);
		}
	}
	errno = 0;
	expect(ioctl(fd, EDU_IOC_ID, &v) == -1 && errno == ENODEV, "old file stays unbound");
	close(fd);

	if (failures)
		return 1;
	printf("edu: ok (device %s, identification, liveness, 13 factorials with interrupts, "
	       "4095-byte DMA round trip, 4 concurrent users, a factorial after a timed-out one, "
	       "unbind with an open file, rebind)\n", bdf);
	return 0;
}
