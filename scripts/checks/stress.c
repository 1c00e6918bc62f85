// SPDX-License-Identifier: GPL-2.0
/*
 * The guest side of the stress runs (scripts/checks/stress.sh, which
 * `make test` runs short and `make stress` in full): built statically into
 * the test initramfs as /bin/stress_test.
 *
 *   stress_test cycle NAME COUNT   load and unload module NAME COUNT times
 *                                  (finit_module/delete_module), Slab: of
 *                                  /proc/meminfo before and after
 *   stress_test failnth NAME [module]
 *                                  load NAME with its 1st, 2nd, ...
 *                                  allocation failed (/proc/self/fail-nth)
 *                                  until a load injects nothing; with
 *                                  "module", only allocations called from
 *                                  module code count (not the loader's);
 *                                  then the first N allocations of the
 *                                  module's threads, N = 1, 2, ...
 *   stress_test failnth-dev        the same for open, write, read and the
 *                                  ioctls of our character devices
 *   stress_test fuzz OPS           random operations at every device node
 *                                  of ours, from several processes; the
 *                                  seed is printed, SEED=<n> replays it
 *
 * Results are lines "rkal: stress ok|fail <what> key=value..." which
 * scripts/verdict.py counts and writes to build/stress.txt; every step runs
 * under an alarm() watchdog, so a hang is a failure, not a stuck boot.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Largest errno userspace may see; the kernel's own (ERESTARTSYS = 512,
 * ENOIOCTLCMD, ENOTSUPP, ...) must never leak out of a system call. */
#define MAX_USER_ERRNO 133

/* Per-step watchdog, seconds. */
#define WATCHDOG 60

static const char *step = "start";

static void on_alarm(int sig)
{
	char buf[256];
	int n;

	(void)sig;
	n = snprintf(buf, sizeof(buf), "rkal: stress fail watchdog hung for %ds in: %s\n",
		     WATCHDOG, step);
	if (write(1, buf, n) < 0)
		_exit(3);
	_exit(3);
}

/*
 * alarm() cannot end a step that hangs inside the kernel: its signal is
 * handled on the way back to userspace, and a module load whose init
 * sleeps uninterruptibly never gets there. A watchdog process of its own
 * (reaper()) follows each process's deadline in shared memory (one slot
 * for the main process, one per fuzzer worker and one for the reloader)
 * and, GRACE seconds after one passes, reports its step and reboots (QEMU
 * then exits), so that the boot ends with the failure named instead of at
 * the QEMU timeout.
 */
#define GRACE 15

/* Slots: the main process, up to MAX_PROCS fuzzer workers, the reloader. */
#define MAX_PROCS 16
#define SLOT_MAIN 0
#define SLOT_WORKER(p) (1 + (p))
#define SLOT_RELOADER (1 + MAX_PROCS)
#define SLOTS (2 + MAX_PROCS)

struct deadline {
	time_t when;	/* CLOCK_MONOTONIC seconds; 0: no step running */
	char step[96];	/* written before `when` is set, read after it has passed */
};

static struct deadline *deadlines;	/* SLOTS of them, shared with the reaper */
static struct deadline *deadline;	/* this process's slot */
static pid_t slot_pid;			/* the process that owns `deadline` */
static pid_t main_pid;

static time_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* A child takes its own slot right after fork(); until then (and in any
 * child that takes none) its watchdog() calls arm only alarm(). */
static void watchdog_slot(int i)
{
	deadline = deadlines ? &deadlines[i] : NULL;
	slot_pid = getpid();
}

static void watchdog(const char *what)
{
	step = what;
	alarm(WATCHDOG);
	if (deadline && getpid() == slot_pid) {
		snprintf(deadline->step, sizeof(deadline->step), "%s", what);
		__atomic_store_n(&deadline->when, now_s() + WATCHDOG, __ATOMIC_RELEASE);
	}
}

static void watchdog_off(void)
{
	alarm(0);
	if (deadline && getpid() == slot_pid)
		__atomic_store_n(&deadline->when, 0, __ATOMIC_RELEASE);
}

/* The main process, once a child has ended: whatever the child left armed
 * is over. */
static void watchdog_clear(int i)
{
	if (deadlines)
		__atomic_store_n(&deadlines[i].when, 0, __ATOMIC_RELEASE);
}

static void reaper(void)
{
	while (getppid() == main_pid) {
		for (int i = 0; i < SLOTS; i++) {
			time_t when = __atomic_load_n(&deadlines[i].when, __ATOMIC_ACQUIRE);

			if (!when || now_s() <= when + GRACE)
				continue;
			printf("rkal: stress fail watchdog stuck in the kernel for %ds in: %s "
			       "(process slot %d; rebooting: the boot ends here)\n",
			       WATCHDOG + GRACE, deadlines[i].step, i);
			fflush(stdout);
			sync();
			reboot(RB_AUTOBOOT);
		}
		sleep(1);
	}
	_exit(0);
}

static void start_reaper(void)
{
	main_pid = getpid();
	deadlines = mmap(NULL, SLOTS * sizeof(*deadlines), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (deadlines == MAP_FAILED) {
		deadlines = NULL;
		return;
	}
	memset(deadlines, 0, SLOTS * sizeof(*deadlines));
	watchdog_slot(SLOT_MAIN);
	if (fork() == 0)
		reaper();
}

/* ---- modules ---------------------------------------------------------- */

static char *read_params(const char *name)
{
	static char buf[512];
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/modules/%s.stress-params", name);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(path, sizeof(path), "/modules/%s.params", name);
		fd = open(path, O_RDONLY);
	}
	buf[0] = 0;
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return buf;
}

/* finit_module of /modules/NAME.ko; 0 or an errno. */
static int load(const char *name)
{
	char path[256];
	int fd, rc;

	snprintf(path, sizeof(path), "/modules/%s.ko", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	rc = syscall(SYS_finit_module, fd, read_params(name), 0);
	rc = rc ? errno : 0;
	close(fd);
	return rc;
}

/* delete_module, retried for up to 10 s while something (a thread of the
 * module's, an open file) still holds it; 0 or an errno. */
static int unload(const char *name)
{
	for (int i = 0; i < 10000; i++) {
		if (syscall(SYS_delete_module, name, O_NONBLOCK) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EBUSY && errno != EAGAIN)
			return errno;
		usleep(1000);
	}
	return errno;
}

static int loaded(const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return stat(path, &st) == 0;
}

static void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		printf("stress: cannot write %s to %s: %s\n", val, path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Slab: of /proc/meminfo in KiB, after the caches were shrunk. */
static long slab_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f;

	/* Objects freed by RCU (kmemleak's own among them) go first. */
	usleep(200000);
	write_file("/proc/sys/vm/drop_caches", "3");
	f = popen("for s in /sys/kernel/slab/*/shrink; do echo 1 >$s; done 2>/dev/null", "r");
	if (f)
		pclose(f);
	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* Growth of Slab: tolerated over a cycle run (see testing.rst). */
#define SLAB_TOLERANCE_KIB 256

static int cmd_cycle(const char *name, long count)
{
	/* Slab: is compared from the 10th cycle on, in runs of 20 or more
	 * (a short run's few cycles would measure the warm-up). */
	long warm = count >= 20 ? 10 : count, before = 0, after, done = 0;
	int rc = 0;

	if (loaded(name) && (rc = unload(name))) {
		printf("rkal: stress fail cycles:%s cycles=0 unload of the boot instance: %s\n",
		       name, strerror(rc));
		return 1;
	}
	for (long i = 0; i < count; i++) {
		if (i == warm)
			before = slab_kib();
		watchdog("cycle: load");
		rc = load(name);
		if (rc) {
			printf("stress: cycle %ld of %s: load failed: %s\n", i, name, strerror(rc));
			break;
		}
		watchdog("cycle: unload");
		rc = unload(name);
		if (rc) {
			printf("stress: cycle %ld of %s: unload failed: %s\n", i, name, strerror(rc));
			break;
		}
		done++;
	}
	watchdog_off();
	after = count > warm ? slab_kib() : before;
	/* Loaded again for what comes next (and /init's final unload). */
	if (!rc && !loaded(name))
		rc = load(name);
	if (count > warm)
		printf("rkal: stress %s cycles:%s cycles=%ld slab_before_kib=%ld slab_after_kib=%ld "
		       "slab_delta_kib=%ld pid=%d%s%s\n",
		       !rc && after - before <= SLAB_TOLERANCE_KIB ? "ok" : "fail", name, done,
		       before, after, after - before, getpid(), rc ? " error=" : "",
		       rc ? strerror(rc) : "");
	else
		printf("rkal: stress %s cycles:%s cycles=%ld pid=%d%s%s\n", !rc ? "ok" : "fail",
		       name, done, getpid(), rc ? " error=" : "", rc ? strerror(rc) : "");
	return rc || after - before > SLAB_TOLERANCE_KIB;
}

/* ---- fault injection ----------------------------------------------------- */

static int fail_nth_fd = -1;

static void fail_nth_set(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fail_nth_fd, buf, len, 0) != len) {
		printf("stress: cannot write /proc/thread-self/fail-nth: %s\n", strerror(errno));
		exit(1);
	}
}

/* Faults still pending: 0 once the Nth allocation was failed. */
static unsigned int fail_nth_left(void)
{
	char buf[16] = "";

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) < 0)
		return 0;
	return strtoul(buf, NULL, 10);
}

static int fail_nth_open(void)
{
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_nth_fd < 0) {
		printf("rkal: stress fail failnth /proc/thread-self/fail-nth: %s "
		       "(CONFIG_FAULT_INJECTION?)\n", strerror(errno));
		return 1;
	}
	return 0;
}

/* An errno a system call may hand to userspace. */
static int clean_errno(int e)
{
	return e > 0 && e <= MAX_USER_ERRNO;
}

/* x86-64's module area (MODULES_VADDR to MODULES_END, no KASLR). */
#define MODULES_START 0xffffffffa0000000UL
#define MODULES_END 0xffffffffff000000UL

/* Start and end of the text of kernel function `fn` (/proc/kallsyms:
 * from its address to the next text symbol's), or 0 and 0. */
static void text_range(const char *fn, unsigned long *start, unsigned long *end)
{
	char line[512], sym[256], type;
	unsigned long a, best = ~0UL;
	FILE *f = fopen("/proc/kallsyms", "r");

	*start = *end = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx %c %255s", &a, &type, sym) != 3 || (type != 't' && type != 'T'))
			continue;
		if (!strcmp(sym, fn))
			*start = a;
	}
	rewind(f);
	while (*start && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx %c %255s", &a, &type, sym) == 3 &&
		    (type == 't' || type == 'T') && a > *start && a < best)
			best = a;
	fclose(f);
	if (*start && best != ~0UL)
		*end = best;
}

/* text_range("register_irq_proc"), read once per boot: a pass over
 * /proc/kallsyms takes most of a second under TCG. */
static void irq_proc_range(unsigned long *start, unsigned long *end)
{
	static const char cache[] = "/tmp/stress-irq-proc-range";
	FILE *f = fopen(cache, "r");

	if (f) {
		int n = fscanf(f, "%lx %lx", start, end);

		fclose(f);
		if (n == 2)
			return;
	}
	text_range("register_irq_proc", start, end);
	f = fopen(cache, "w");
	if (f) {
		fprintf(f, "%lx %lx\n", *start, *end);
		fclose(f);
	}
}

static const char *const fault_attrs[] = { "failslab", "fail_page_alloc" };

static void fault_attr_set(const char *attr, const char *file, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s", attr, file);
	write_file(path, val);
}

static long fault_attr_get(const char *attr, const char *file)
{
	char path[128], buf[32] = "";
	long v = -1;
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s", attr, file);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) > 0)
			v = strtol(buf, NULL, 10);
		close(fd);
	}
	return v;
}

/*
 * Which allocations fail-nth counts (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER):
 * with `module_only`, those called from module code (the module's init,
 * a driver's probe), not the module loader's own; never those made under
 * register_irq_proc(), which Linux 6.12 lets fail silently, so that the
 * interrupt's teardown later warns about the /proc entries it lacks
 * (remove_proc_entry, fs/proc/generic.c) - the kernel's, not ours.
 */
static void fault_filter(int module_only, unsigned int depth)
{
	unsigned long rs, re;
	char val[32];

	irq_proc_range(&rs, &re);
	for (int i = 0; i < 2; i++) {
		snprintf(val, sizeof(val), "%lu", module_only ? MODULES_START : 0UL);
		fault_attr_set(fault_attrs[i], "require-start", val);
		snprintf(val, sizeof(val), "%lu", module_only ? MODULES_END : ~0UL);
		fault_attr_set(fault_attrs[i], "require-end", val);
		snprintf(val, sizeof(val), "%lu", rs);
		fault_attr_set(fault_attrs[i], "reject-start", val);
		snprintf(val, sizeof(val), "%lu", re);
		fault_attr_set(fault_attrs[i], "reject-end", val);
		snprintf(val, sizeof(val), "%u", depth);
		fault_attr_set(fault_attrs[i], "stacktrace-depth", val);
	}
}

/* The stack filter's own maximum (lib/fault-inject.c). */
#define FULL_DEPTH 32

/*
 * The allocations of the module's own threads (a kthread its init spawns,
 * a new worker running its work): fail-nth is the loading task's alone,
 * and a new task starts without it. make-it-fail is inherited, though,
 * and every kthread is kthreadd's (pid 2) child: with kthreadd's set and
 * the attributes' task filter on, the first N allocations that such a
 * thread makes from module code (the filter fault_filter() set) fail
 * (probability 100, times N), for N = 1, 2, ... until a load and unload
 * leave some of the N unused. The loading task itself is not marked (its
 * allocations are the fail-nth sweep's). Adds the faults injected to
 * *faults; returns the number of bad outcomes.
 */
static unsigned int thread_faults(const char *name, unsigned int *faults)
{
	unsigned int bad = 0;
	int rc;

	/* The sweep before leaves it loaded. */
	if (loaded(name) && (rc = unload(name))) {
		printf("stress: %s: unload before the thread faults: %s\n", name, strerror(rc));
		return 1;
	}
	for (long n = 1;; n++) {
		char val[24];
		long left[2];

		snprintf(val, sizeof(val), "%ld", n);
		for (int i = 0; i < 2; i++) {
			fault_attr_set(fault_attrs[i], "task-filter", "Y");
			fault_attr_set(fault_attrs[i], "interval", "1");
			fault_attr_set(fault_attrs[i], "space", "0");
			fault_attr_set(fault_attrs[i], "times", val);
			fault_attr_set(fault_attrs[i], "probability", "100");
		}
		write_file("/proc/2/make-it-fail", "1");
		watchdog("failnth: thread faults");
		rc = load(name);
		if (rc && !clean_errno(rc)) {
			printf("stress: %s: thread fault run %ld: load returned errno %d\n", name, n,
			       rc);
			bad++;
		}
		/* Unloading waits for the module's threads. */
		if (!rc || loaded(name)) {
			rc = unload(name);
			if (rc) {
				printf("stress: %s: thread fault run %ld: unload failed: %s\n", name,
				       n, strerror(rc));
				bad++;
			}
		}
		write_file("/proc/2/make-it-fail", "0");
		for (int i = 0; i < 2; i++) {
			fault_attr_set(fault_attrs[i], "probability", "0");
			left[i] = fault_attr_get(fault_attrs[i], "times");
			fault_attr_set(fault_attrs[i], "times", "1");
			fault_attr_set(fault_attrs[i], "task-filter", "N");
			*faults += n - left[i];
		}
		if (bad || (left[0] > 0 && left[1] > 0))
			break;
		if (n > 1000) {
			printf("stress: %s: threads still failing after %ld faults\n", name, n);
			bad++;
			break;
		}
	}
	watchdog_off();
	return bad;
}

static int cmd_failnth(const char *name, int module_only, unsigned int depth)
{
	unsigned int n, enomem = 0, other = 0, absorbed = 0, bad = 0, thread = 0;
	int rc;

	if (fail_nth_open())
		return 1;
	fault_filter(module_only, depth);
	if (loaded(name) && (rc = unload(name))) {
		printf("rkal: stress fail failnth:%s unload of the boot instance: %s\n", name,
		       strerror(rc));
		return 1;
	}
	for (n = 1;; n++) {
		unsigned int left;

		watchdog("failnth: load");
		fail_nth_set(n);
		rc = load(name);
		left = fail_nth_left();
		fail_nth_set(0);
		if (left) {
			/* Nothing left to fail: this load ran clean. */
			if (rc) {
				printf("stress: %s: load without a fault failed: %s\n", name,
				       strerror(rc));
				bad++;
			}
			break;
		}
		if (!rc) {
			absorbed++;
		} else if (rc == ENOMEM) {
			enomem++;
		} else if (clean_errno(rc)) {
			other++;
		} else {
			printf("stress: %s: fault %u: load returned errno %d\n", name, n, rc);
			bad++;
		}
		if (!rc || loaded(name)) {
			watchdog("failnth: unload");
			rc = unload(name);
			if (rc) {
				printf("stress: %s: fault %u: unload failed: %s\n", name, n,
				       strerror(rc));
				bad++;
				break;
			}
		}
		if (n > 100000) {
			printf("stress: %s: still injecting after %u faults\n", name, n);
			bad++;
			break;
		}
	}
	watchdog_off();
	/* Then its threads': those with module code anywhere on the stack (a
	 * module's thread function is at the bottom of its own). */
	fault_filter(1, FULL_DEPTH);
	if (!bad)
		bad += thread_faults(name, &thread);
	fault_filter(0, FULL_DEPTH);
	if (!loaded(name) && load(name))
		bad++;
	printf("rkal: stress %s failnth:%s faults=%u enomem=%u other_errno=%u absorbed=%u "
	       "thread_faults=%u scope=%s depth=%u pid=%d\n", bad ? "fail" : "ok", name, n - 1,
	       enomem, other, absorbed, thread, module_only ? "module" : "all", depth, getpid());
	return bad != 0;
}

/* ---- device nodes ------------------------------------------------------- */

enum copy { NONE, IN, OUT, INOUT };

struct known {
	unsigned long cmd;
	enum copy copy;
};

struct node {
	const char *path;
	/* Its module, whose loads race its opens in the fuzzer (or NULL). */
	const char *module;
	int block;
	/* The driver reads 8 bytes from any command's argument. */
	int any_cmd;
	/* The node's own ioctl type, for near-miss commands (0: none). */
	unsigned int type;
	/* read()/write() start a 100 ms device transfer: keep them rare. */
	int slow_rw;
	struct known known[4];
};

#define BLKROGET _IO(0x12, 94)
#define BLKSSZGET _IO(0x12, 104)
#define BLKGETSIZE64 _IOR(0x12, 114, size_t)

static struct node nodes[] = {
	{ "/dev/rust-misc-device", "rust_misc_device", 0, 0, '|', 0,
	  { { _IO('|', 0x80), NONE }, { _IOR('|', 0x81, int), OUT },
	    { _IOW('|', 0x82, int), IN } } },
	{ "/dev/rkal-api-shape", NULL, 0, 1, 0, 0, { { 0, NONE } } },
	{ "/dev/edu", NULL, 0, 0, 'E', 1,
	  { { _IOR('E', 1, uint32_t), OUT }, { _IOWR('E', 2, uint32_t), INOUT },
	    { _IOWR('E', 3, uint32_t), INOUT }, { _IOR('E', 4, uint64_t), OUT } } },
	{ "/dev/rnullb0", NULL, 1, 0, 0, 0,
	  { { BLKGETSIZE64, OUT }, { BLKSSZGET, OUT }, { BLKROGET, OUT } } },
	{ "/dev/rkalblk0", NULL, 1, 0, 0, 0,
	  { { BLKGETSIZE64, OUT }, { BLKSSZGET, OUT }, { BLKROGET, OUT } } },
};
#define NNODES (int)(sizeof(nodes) / sizeof(nodes[0]))

static int present[NNODES];

static void find_nodes(void)
{
	struct stat st;

	for (int i = 0; i < NNODES; i++) {
		present[i] = stat(nodes[i].path, &st) == 0;
		printf("stress: node %s: %s\n", nodes[i].path, present[i] ? "present" : "absent");
	}
}

static const struct known *known_cmd(const struct node *nd, unsigned long cmd)
{
	for (int i = 0; i < 4; i++)
		if (nd->known[i].cmd && nd->known[i].cmd == cmd)
			return &nd->known[i];
	return NULL;
}

/* Ioctl types the VFS or the block layer handles before any driver
 * (FIONBIO, FIFREEZE, FS_IOC_*, BLK*, HDIO_*, IOC_PR_*, SG_*, ...): a
 * random command must not be one of theirs, or it would freeze a file
 * system or repartition a disk rather than test our drivers. */
static int generic_type(unsigned int type)
{
	static const unsigned char t[] = { 0x00, 0x02, 0x03, 0x12, 0x15, 0x22, 0x53,
					   0x54, 0x58, 0x66, 0x70, 0x94 };

	for (unsigned int i = 0; i < sizeof(t); i++)
		if (t[i] == type)
			return 1;
	return 0;
}

/* ---- the fuzzer ---------------------------------------------------------- */

/* splitmix64: the seed of worker w is mix(seed + w). */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

static unsigned int below(struct rng *r, unsigned int n)
{
	return (unsigned int)((next(r) >> 32) % n);
}

/* Counters shared by every process (MAP_SHARED). */
enum op_kind { K_OPEN, K_CLOSE, K_IOCTL, K_RW, K_LSEEK, KINDS };
static const char *const kind_name[KINDS] = { "open", "close", "ioctl", "rw", "lseek" };

struct counts {
	unsigned long ops[NNODES];
	unsigned long efault[NNODES];	/* bad pointers that got EFAULT, as required */
	unsigned long unknown[NNODES];	/* unknown commands that got ENOTTY/EINVAL */
	unsigned long failures[NNODES];
	unsigned long raced;		/* ops on descriptors another thread closes */
	unsigned long reloads;		/* rmmod + insmod of the misc device while open()ed */
	unsigned long reload_busy;	/* rmmod refused: the device was open */
	unsigned long no_fd;		/* turns on a private descriptor: the racer's open had failed */
	unsigned long printed;
	/* Where the time goes: operations and nanoseconds per node and kind. */
	unsigned long kind_ops[NNODES][KINDS];
	unsigned long kind_ns[NNODES][KINDS];
	unsigned long kind_max_ns[NNODES][KINDS];
	unsigned long timedout[NNODES];	/* ETIMEDOUT answers (a device's) */
};

static struct counts *counts;

static void add(unsigned long *c, unsigned long v)
{
	__atomic_fetch_add(c, v, __ATOMIC_RELAXED);
}

static unsigned long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000000000UL + (unsigned long)ts.tv_nsec;
}

/* An operation of kind k at node i began at t0 (now_ns()). */
static void timed(int i, enum op_kind k, unsigned long t0)
{
	unsigned long ns = now_ns() - t0, max = __atomic_load_n(&counts->kind_max_ns[i][k], __ATOMIC_RELAXED);

	add(&counts->kind_ops[i][k], 1);
	add(&counts->kind_ns[i][k], ns);
	while (ns > max && !__atomic_compare_exchange_n(&counts->kind_max_ns[i][k], &max, ns, 0,
							__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

enum ptr_class { GOOD, UNALIGNED, RO, STRADDLE, BAD };

static const char *class_name[] = { "good", "unaligned", "read-only", "straddling", "bad" };

struct buffers {
	char *good;	/* BIG bytes, read-write, then a PROT_NONE page */
	char *ro;	/* a PROT_READ page */
	char *edge;	/* a page followed by a PROT_NONE page */
	char *none;	/* a PROT_NONE page (an unmapped one would be reused
			 * by the next mmap, a thread's stack say) */
};

#define BIG (1 << 20)

static void setup_buffers(struct buffers *b)
{
	/* The guard page ends every transfer that runs past the buffer (an
	 * unaligned pointer, a 16 MiB length) in a fault, rather than in the
	 * mapping the kernel put next to it: the counters, a thread's stack. */
	b->good = mmap(NULL, BIG + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b->ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b->edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b->none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->good == MAP_FAILED || b->ro == MAP_FAILED || b->edge == MAP_FAILED ||
	    b->none == MAP_FAILED) {
		perror("stress: mmap");
		exit(1);
	}
	if (mprotect(b->edge + 4096, 4096, PROT_NONE) || mprotect(b->good + BIG, 4096, PROT_NONE)) {
		perror("stress: mprotect");
		exit(1);
	}
	memset(b->good, 0x5a, BIG);
}

/* A pointer of a random class, good for at least `len` bytes when GOOD. */
static char *pick_ptr(struct rng *r, struct buffers *b, enum ptr_class *cls)
{
	static const uintptr_t bad[] = {
		0, 16, 0xffffffff81000000UL, 0xffff888000001000UL, 0x0000800000000000UL,
		0xdead000000000000UL, 0xfffffffffffff000UL,
	};
	unsigned int k = below(r, 16);

	if (k < 7) {
		*cls = GOOD;
		return b->good;
	}
	if (k < 9) {
		*cls = UNALIGNED;
		return b->good + 1 + below(r, 7);
	}
	if (k < 11) {
		*cls = RO;
		return b->ro;
	}
	if (k < 12) {
		*cls = STRADDLE;
		return b->edge + 4096 - 1 - below(r, 8);
	}
	*cls = BAD;
	if (k == 12)
		return b->none;
	return (char *)bad[below(r, sizeof(bad) / sizeof(bad[0]))];
}

static size_t pick_len(struct rng *r)
{
	static const size_t lens[] = { 0, 1, 3, 4, 7, 8, 64, 511, 512, 4095, 4096, 4097, 65536 };
	unsigned int k = below(r, 64);

	if (k == 0)
		return BIG;
	if (k == 1)
		return 16u << 20;	/* more than the buffer: ends in a fault */
	return lens[below(r, sizeof(lens) / sizeof(lens[0]))];
}

struct worker {
	int id;
	uint64_t seed;
	unsigned long ops;	/* how many to send */
	unsigned long cur;	/* the index of the one being sent */
	struct rng r;
	struct buffers b;
	/* Descriptors 0..5 are this thread's own; 6..7 are shared with the
	 * racer thread, which closes and reopens them under our feet. */
	int fd[8];
	int node[8];
	pthread_mutex_t shared_lock;
	volatile int stop;
};

#define PRIVATE_FDS 6

static void failure(struct worker *w, int node, unsigned long op, const char *fmt, ...)
{
	va_list ap;

	add(&counts->failures[node], 1);
	if (__atomic_fetch_add(&counts->printed, 1, __ATOMIC_RELAXED) >= 20)
		return;
	printf("stress: fuzz FAILED (seed %llu, worker %d, op %lu) %s: ",
	       (unsigned long long)w->seed, w->id, op, nodes[node].path);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static int open_node(int i)
{
	return open(nodes[i].path, O_RDWR | O_CLOEXEC);
}

/* A random command: one of the node's, a near miss of them (same type,
 * another number, size or direction), or anything outside the generic
 * types. */
static unsigned long pick_cmd(struct rng *r, const struct node *nd)
{
	unsigned int k = below(r, 8);
	unsigned long cmd;

	if (k < 4 && !nd->any_cmd) {
		const struct known *kn;

		do
			kn = &nd->known[below(r, 4)];
		while (!kn->cmd);
		return kn->cmd;
	}
	do {
		if (k < 6 && nd->type)
			cmd = _IOC(below(r, 4), nd->type, below(r, 256), below(r, 1 << 14));
		else
			cmd = (uint32_t)next(r);
	} while (generic_type(_IOC_TYPE(cmd)));
	return cmd;
}

/* One ioctl, and its expected outcome unless `raced`. */
static void do_ioctl(struct worker *w, int slot, int raced)
{
	int i = w->node[slot];
	const struct node *nd = &nodes[i];
	unsigned long cmd = pick_cmd(&w->r, nd);
	const struct known *kn = known_cmd(nd, cmd);
	enum ptr_class cls;
	char *p = pick_ptr(&w->r, &w->b, &cls);
	enum copy copy = kn ? kn->copy : nd->any_cmd ? IN : NONE;
	long rc;
	int e;

	/* The edu device computes n! for as long as n says (seconds for a
	 * large n, during which every operation on it waits or times out):
	 * keep n small wherever the argument can be written, in the bytes of
	 * a straddling one that are before the inaccessible page too. */
	if (cls == GOOD || cls == UNALIGNED) {
		*(uint32_t *)p = below(&w->r, 13);
	} else if (cls == STRADDLE) {
		uint32_t n = below(&w->r, 13);
		size_t room = (size_t)(w->b.edge + 4096 - p);

		memcpy(p, &n, room < sizeof(n) ? room : sizeof(n));
	}
	rc = ioctl(w->fd[slot], cmd, p);
	e = rc < 0 ? errno : 0;
	if (e == ETIMEDOUT)
		add(&counts->timedout[i], 1);
	if (rc < 0 && !clean_errno(e)) {
		failure(w, i, w->cur, "ioctl %#lx returned errno %d", cmd, e);
		return;
	}
	if (raced)
		return;
	if (!kn && !nd->any_cmd) {
		if (rc == 0 || (e != ENOTTY && e != EINVAL))
			failure(w, i, w->cur, "unknown ioctl %#lx: rc %ld errno %d, expected ENOTTY or EINVAL",
				cmd, rc, e);
		else
			add(&counts->unknown[i], 1);
		return;
	}
	/* Kernel writes to a read-only page or a bad pointer, reads from a bad
	 * pointer: EFAULT, and nothing else. */
	if ((cls == BAD && copy != NONE) || (cls == RO && (copy == OUT || copy == INOUT))) {
		/* (A device that computes before it copies back may time out
		 * first on a loaded host.) */
		if (rc < 0 && cls == RO && nd->slow_rw && (e == ETIMEDOUT || e == EIO))
			return;
		if (rc == 0 || e != EFAULT)
			failure(w, i, w->cur, "ioctl %#lx with a %s pointer %p: rc %ld errno %d, expected EFAULT",
				cmd, class_name[cls], p, rc, e);
		else
			add(&counts->efault[i], 1);
		return;
	}
	if (cls == STRADDLE)
		return;
	/* The device may time out under a loaded host; nothing else. */
	if (rc != 0 && !(nd->slow_rw && (e == ETIMEDOUT || e == EIO)))
		failure(w, i, w->cur, "ioctl %#lx with a %s pointer: rc %ld errno %d, expected 0",
			cmd, class_name[cls], rc, e);
}

static void do_rw(struct worker *w, int slot, int raced)
{
	int i = w->node[slot], wr = below(&w->r, 2), positioned = below(&w->r, 4) == 0;
	const struct node *nd = &nodes[i];
	enum ptr_class cls;
	char *p = pick_ptr(&w->r, &w->b, &cls);
	size_t len = pick_len(&w->r);
	off_t pos = nd->block ? (off_t)below(&w->r, 64) * 512 : (off_t)below(&w->r, 5000);
	ssize_t rc;
	int e;

	if (nd->slow_rw && below(&w->r, 500) != 0) {
		do_ioctl(w, slot, raced);
		return;
	}
	if (cls == GOOD && len > BIG)
		len = BIG;
	if (wr)
		rc = positioned ? pwrite(w->fd[slot], p, len, pos) : write(w->fd[slot], p, len);
	else
		rc = positioned ? pread(w->fd[slot], p, len, pos) : read(w->fd[slot], p, len);
	e = rc < 0 ? errno : 0;
	if (e == ETIMEDOUT)
		add(&counts->timedout[i], 1);
	if (rc < 0 && !clean_errno(e)) {
		failure(w, i, w->cur, "%s returned errno %d", wr ? "write" : "read", e);
		return;
	}
	if (raced || len == 0)
		return;
	/* A pointer with no valid byte never moves data; a write from one
	 * fails with EFAULT (a full device may say ENOSPC first, a disk
	 * whose blocks fail on purpose EIO). */
	if (cls == BAD || (cls == RO && !wr)) {
		if (rc > 0)
			failure(w, i, w->cur, "%s of %zu bytes with a %s pointer %p returned %zd",
				wr ? "write" : "read", len, class_name[cls], p, rc);
		else if (wr && cls == BAD && !(rc < 0 && (e == EFAULT || e == ENOSPC || e == EIO)))
			failure(w, i, w->cur, "write of %zu bytes from a bad pointer %p: rc %zd errno %d, expected EFAULT",
				len, p, rc, e);
		else if (rc < 0 && e == EFAULT)
			add(&counts->efault[i], 1);
	}
}

static void do_open(struct worker *w, int slot)
{
	int i;

	do
		i = below(&w->r, NNODES);
	while (!present[i]);
	if (w->fd[slot] >= 0)
		close(w->fd[slot]);
	w->node[slot] = i;
	w->fd[slot] = open_node(i);
	add(&counts->ops[i], 1);
	/* The misc device comes and goes (its module is reloaded meanwhile). */
	if (w->fd[slot] < 0 && !(nodes[i].module && (errno == ENOENT || errno == ENODEV ||
						      errno == ENXIO)))
		failure(w, i, w->cur, "open: %s", strerror(errno));
}

static void one_op(struct worker *w, int slot, int raced)
{
	unsigned int k = below(&w->r, 100);
	unsigned long t0 = now_ns();
	int i;

	if (w->fd[slot] < 0 || k < 5) {
		do_open(w, slot);
		timed(w->node[slot], K_OPEN, t0);
		return;
	}
	i = w->node[slot];
	add(&counts->ops[i], 1);
	if (k < 10) {
		close(w->fd[slot]);
		w->fd[slot] = -1;
		timed(i, K_CLOSE, t0);
	} else if (k < 55) {
		do_ioctl(w, slot, raced);
		timed(i, K_IOCTL, t0);
	} else if (k < 95) {
		do_rw(w, slot, raced);
		timed(i, K_RW, t0);
	} else {
		static const int whence[] = { SEEK_SET, SEEK_CUR, SEEK_END };
		off_t off = (off_t)(next(&w->r) >> below(&w->r, 64));

		if (lseek(w->fd[slot], below(&w->r, 2) ? off : -off, whence[below(&w->r, 3)]) < 0 &&
		    !clean_errno(errno))
			failure(w, i, w->cur, "lseek returned errno %d", errno);
		timed(i, K_LSEEK, t0);
	}
}

/* Closes and reopens the shared descriptors while the worker uses them. */
static void *racer(void *arg)
{
	struct worker *w = arg;
	struct rng r = { mix(w->seed ^ 0x5eed) | 1 };

	while (!w->stop) {
		int slot = PRIVATE_FDS + below(&r, 8 - PRIVATE_FDS);
		int i, fd;

		pthread_mutex_lock(&w->shared_lock);
		i = w->node[slot];
		fd = w->fd[slot];
		pthread_mutex_unlock(&w->shared_lock);
		if (fd >= 0)
			close(fd);
		do
			i = below(&r, NNODES);
		while (!present[i]);
		fd = open_node(i);
		pthread_mutex_lock(&w->shared_lock);
		w->fd[slot] = fd;
		w->node[slot] = i;
		pthread_mutex_unlock(&w->shared_lock);
		usleep(below(&r, 200));
	}
	return NULL;
}

static void run_worker(struct worker *w)
{
	pthread_t t;

	w->r.s = mix(w->seed) | 1;
	setup_buffers(&w->b);
	for (int s = 0; s < 8; s++)
		w->fd[s] = -1;
	pthread_mutex_init(&w->shared_lock, NULL);
	if (pthread_create(&t, NULL, racer, w)) {
		perror("stress: pthread_create");
		exit(1);
	}
	for (unsigned long n = 0; n < w->ops; n++) {
		unsigned int slot = below(&w->r, 8);

		w->cur = n;
		watchdog("fuzz: worker op");
		if (slot < PRIVATE_FDS) {
			one_op(w, slot, 0);
		} else {
			/* Take a snapshot, then race: the racer may close it
			 * meanwhile, and the number may be reused. */
			struct worker snap;
			unsigned long t0;
			int fd, i;

			pthread_mutex_lock(&w->shared_lock);
			fd = w->fd[slot];
			i = w->node[slot];
			pthread_mutex_unlock(&w->shared_lock);
			if (fd < 0) {
				/* The racer's open failed (the misc device was
				 * being reloaded): an operation on a descriptor
				 * of our own instead, so that every turn sends
				 * one. */
				add(&counts->no_fd, 1);
				one_op(w, below(&w->r, PRIVATE_FDS), 0);
				continue;
			}
			snap = *w;
			snap.fd[0] = fd;
			snap.node[0] = i;
			add(&counts->raced, 1);
			add(&counts->ops[i], 1);
			t0 = now_ns();
			if (below(&w->r, 2)) {
				do_ioctl(&snap, 0, 1);
				timed(i, K_IOCTL, t0);
			} else {
				do_rw(&snap, 0, 1);
				timed(i, K_RW, t0);
			}
			w->r = snap.r;
		}
	}
	w->stop = 1;
	pthread_join(t, NULL);
	watchdog_off();
	for (int s = 0; s < 8; s++)
		if (w->fd[s] >= 0)
			close(w->fd[s]);
}

/* rmmod and insmod the misc device's module in a loop, racing the opens. */
static void run_reloader(uint64_t seed, volatile int *stop)
{
	struct rng r = { mix(seed ^ 0x10ad) | 1 };

	while (!*stop) {
		watchdog("fuzz: reload");
		if (syscall(SYS_delete_module, "rust_misc_device", O_NONBLOCK) == 0) {
			int rc = load("rust_misc_device");

			if (rc) {
				printf("stress: fuzz: reload of rust_misc_device failed: %s\n",
				       strerror(rc));
				add(&counts->failures[0], 1);
				return;
			}
			add(&counts->reloads, 1);
		} else {
			add(&counts->reload_busy, 1);
		}
		usleep(below(&r, 2000));
	}
	watchdog_off();
}

static int cmd_fuzz(unsigned long total, int procs)
{
	const char *env = getenv("SEED");
	uint64_t seed;
	volatile int *stop;
	pid_t pids[MAX_PROCS], reloader;
	int status, bad = 0;
	unsigned long sum = 0;

	if (procs < 1 || procs > MAX_PROCS) {
		fprintf(stderr, "stress_test fuzz: PROCS must be 1 to %d, not %d\n", MAX_PROCS, procs);
		return 2;
	}
	if (env && *env) {
		seed = strtoull(env, NULL, 0);
	} else {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = mix((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ getpid());
	}
	printf("rkal: stress fuzz seed=%llu ops=%lu procs=%d (replay: SEED=%llu)\n",
	       (unsigned long long)seed, total, procs, (unsigned long long)seed);
	fflush(stdout);
	find_nodes();
	{
		int any = 0;

		for (int i = 0; i < NNODES; i++)
			any |= present[i];
		if (!any) {
			printf("rkal: stress fail fuzz ops=0 no device node of ours is present\n");
			return 1;
		}
	}
	counts = mmap(NULL, sizeof(*counts) + 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counts == MAP_FAILED)
		return 1;
	memset(counts, 0, sizeof(*counts));
	stop = (volatile int *)((char *)counts + sizeof(*counts));

	reloader = fork();
	if (reloader == 0) {
		watchdog_slot(SLOT_RELOADER);
		run_reloader(seed, stop);
		_exit(0);
	}
	for (int p = 0; p < procs; p++) {
		pids[p] = fork();
		if (pids[p] == 0) {
			struct worker *w = calloc(1, sizeof(*w));

			watchdog_slot(SLOT_WORKER(p));

			w->id = p;
			w->seed = seed + p;
			w->ops = total / procs;
			run_worker(w);
			fflush(stdout);
			_exit(0);
		}
	}
	for (int p = 0; p < procs; p++) {
		if (waitpid(pids[p], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			printf("stress: fuzz worker %d ended with status %#x\n", p, status);
			bad = 1;
		}
		watchdog_clear(SLOT_WORKER(p));
	}
	*stop = 1;
	if (waitpid(reloader, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("stress: fuzz reloader ended with status %#x\n", status);
		bad = 1;
	}
	watchdog_clear(SLOT_RELOADER);
	if (!loaded("rust_misc_device") && load("rust_misc_device"))
		bad = 1;
	for (int i = 0; i < NNODES; i++) {
		sum += counts->ops[i];
		if (!present[i])
			continue;
		printf("rkal: stress %s fuzz:%s ops=%lu efault=%lu unknown_cmd=%lu failures=%lu\n",
		       counts->failures[i] ? "fail" : "ok", nodes[i].path, counts->ops[i],
		       counts->efault[i], counts->unknown[i], counts->failures[i]);
		bad |= counts->failures[i] != 0;
		/* Not a result: where the run's time went (per kind of
		 * operation: how many, their mean and longest time). */
		printf("stress: fuzz time %s:", nodes[i].path);
		for (int k = 0; k < KINDS; k++)
			printf(" %s=%lu/%luus/%lums", kind_name[k], counts->kind_ops[i][k],
			       counts->kind_ops[i][k] ? counts->kind_ns[i][k] / 1000 / counts->kind_ops[i][k] : 0,
			       counts->kind_max_ns[i][k] / 1000000);
		printf(" timedout=%lu\n", counts->timedout[i]);
	}
	/* Every turn of every worker sends one operation: anything else means
	 * the workers' state was overwritten or a worker stopped early. */
	if (sum != total / procs * procs) {
		printf("stress: fuzz: %lu operations for %lu turns\n", sum, total / procs * procs);
		bad = 1;
	}
	printf("rkal: stress %s fuzz ops=%lu raced=%lu private_fallback=%lu reloads=%lu reload_busy=%lu seed=%llu\n",
	       bad ? "fail" : "ok", sum, counts->raced, counts->no_fd, counts->reloads,
	       counts->reload_busy, (unsigned long long)seed);
	return bad;
}

/* ---- fault injection into device operations ------------------------------ */

enum dev_op { OP_OPEN, OP_WRITE, OP_READ, OP_IOCTL, OP_COUNT };
static const char *dev_op_name[] = { "open", "write", "read", "ioctl" };

/* Runs `op` on node i (fd: an open descriptor, unless op is OP_OPEN). */
static long dev_op(int i, enum dev_op op, int fd, char *buf)
{
	const struct node *nd = &nodes[i];
	unsigned long cmd;

	switch (op) {
	case OP_OPEN:
		fd = open_node(i);
		if (fd >= 0)
			close(fd);
		return fd < 0 ? -1 : 0;
	case OP_WRITE:
		return pwrite(fd, buf, 100, 0);
	case OP_READ:
		return pread(fd, buf, 100, 0);
	default:
		cmd = nd->any_cmd ? _IOW('S', 1, uint64_t) : nd->known[nd->known[1].cmd ? 1 : 0].cmd;
		*(uint32_t *)buf = 5;
		return ioctl(fd, cmd, buf);
	}
}

static int cmd_failnth_dev(void)
{
	char buf[4096];
	int bad = 0;

	if (fail_nth_open())
		return 1;
	fault_filter(0, FULL_DEPTH);
	find_nodes();
	for (int i = 0; i < NNODES; i++) {
		/* Block devices: the allocations of open/read/write are the
		 * block layer's, not ours. */
		if (!present[i] || nodes[i].block)
			continue;
		for (int op = 0; op < OP_COUNT; op++) {
			unsigned int n, faults = 0, enomem = 0, other = 0, absorbed = 0, fails = 0;
			int fd = open_node(i);

			if (fd < 0) {
				printf("stress: failnth-dev: open %s: %s\n", nodes[i].path,
				       strerror(errno));
				bad = 1;
				continue;
			}
			memset(buf, 'x', sizeof(buf));
			for (n = 1; n < 100000; n++) {
				unsigned int left;
				long rc;
				int e;

				watchdog("failnth-dev");
				fail_nth_set(n);
				rc = dev_op(i, op, fd, buf);
				e = errno;
				left = fail_nth_left();
				fail_nth_set(0);
				if (left)
					break;
				faults++;
				if (rc >= 0)
					absorbed++;
				else if (e == ENOMEM)
					enomem++;
				else if (clean_errno(e))
					other++;
				else
					fails++;
				/* The file still works after the failure. */
				if (op != OP_OPEN && dev_op(i, OP_IOCTL, fd, buf) < 0 &&
				    !nodes[i].slow_rw) {
					printf("stress: failnth-dev %s %s: fault %u: the file no longer works: %s\n",
					       nodes[i].path, dev_op_name[op], n, strerror(errno));
					fails++;
				}
			}
			watchdog_off();
			close(fd);
			printf("rkal: stress %s failnth-dev:%s:%s faults=%u enomem=%u other_errno=%u absorbed=%u\n",
			       fails ? "fail" : "ok", nodes[i].path, dev_op_name[op], faults, enomem,
			       other, absorbed);
			bad |= fails != 0;
		}
	}
	return bad;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, on_alarm);
	start_reaper();
	if (argc == 4 && !strcmp(argv[1], "cycle"))
		return cmd_cycle(argv[2], atol(argv[3]));
	if (argc >= 3 && argc <= 5 && !strcmp(argv[1], "failnth"))
		return cmd_failnth(argv[2], argc >= 4 && !strcmp(argv[3], "module"),
				   argc == 5 ? (unsigned int)atoi(argv[4]) : FULL_DEPTH);
	if (argc == 2 && !strcmp(argv[1], "failnth-dev"))
		return cmd_failnth_dev();
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "fuzz"))
		return cmd_fuzz(strtoul(argv[2], NULL, 0), argc == 4 ? atoi(argv[3]) : 4);
	fprintf(stderr, "usage: stress_test cycle NAME COUNT | failnth NAME [module [DEPTH]] | failnth-dev | "
		"fuzz OPS [PROCS]\n");
	return 2;
}
