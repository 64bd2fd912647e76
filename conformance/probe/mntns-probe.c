/*
 * mntns-probe: the process a conformance case runs inside the container.
 *
 * Usage: mntns-probe [-o FILE] [OP:ARG]...
 *
 * Runs each behaviour probe in the order given, then writes one JSON
 * report of what the process sees: mountinfo rows as raw text, statvfs
 * flags per mount point, lstat of every entry under /dev, its stdio, umask,
 * ids, capability sets, namespaces, cwd and the probe results.  Without -o
 * the report goes to stdout between two marker lines, so runtime messages
 * on the same stream cannot corrupt it.  The binary is static and depends
 * on nothing in the rootfs.
 *
 * Probes (ARG is an absolute path unless noted):
 *   write:PATH     create or truncate PATH and write one byte
 *   mkdir:PATH     create the directory PATH
 *   read:PATH      read up to 4096 bytes of PATH
 *   open:PATH      open PATH read-write (a device on a nodev mount fails)
 *   stat:PATH      stat and lstat PATH, with a symlink's target
 *   list:PATH      list the entries of the directory PATH
 *   exec:PATH      execute PATH, a copy of this probe, and report its euid
 *   copyexec:DIR   copy this probe into DIR, then run exec: on the copy
 *   ptmx:PATH      open PATH as a pty master and open its slave
 *   umount:PATH    umount2(PATH, MNT_DETACH)
 *   remount:PATH   remount the bind mount at PATH read-write
 *   mount:PATH     mount a new tmpfs at PATH
 *   touch:PATH     create PATH (a signal to the host side)
 *   wait:PATH      wait up to 20 s for PATH to exist (inotify)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#define REPORT_BEGIN "@@MNTNS-PROBE-BEGIN@@"
#define REPORT_END "@@MNTNS-PROBE-END@@"

/* A tree walk under /dev stops here, so a hostile /dev cannot make the
 * report unbounded. */
#define DEV_ENTRIES_MAX 4096
#define READ_MAX 4096
#define WAIT_SECONDS 20

static json_t *dev_entries;

static const char *error_name(int errnum)
{
	const char *name = strerrorname_np(errnum);

	return name ? name : "unknown";
}

static void set_errno(json_t *obj, int errnum)
{
	json_object_set_new(obj, "errno", json_integer(errnum));
	json_object_set_new(obj, "error",
			    json_string(errnum ? error_name(errnum) : ""));
}

static char file_type(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return 'f';
	case S_IFDIR: return 'd';
	case S_IFLNK: return 'l';
	case S_IFCHR: return 'c';
	case S_IFBLK: return 'b';
	case S_IFIFO: return 'p';
	case S_IFSOCK: return 's';
	default: return '?';
	}
}

/* Adds the fields of st to obj; prefix distinguishes lstat from stat. */
static void add_stat(json_t *obj, const char *prefix, const struct stat *st)
{
	char type[2] = { file_type(st->st_mode), '\0' };
	char key[64];

#define SET(name, value)                                                 \
	do {                                                             \
		snprintf(key, sizeof(key), "%s%s", prefix, name);        \
		json_object_set_new(obj, key, value);                    \
	} while (0)
	SET("type", json_string(type));
	SET("mode", json_integer(st->st_mode & 07777));
	SET("uid", json_integer(st->st_uid));
	SET("gid", json_integer(st->st_gid));
	SET("rdev_major", json_integer(major(st->st_rdev)));
	SET("rdev_minor", json_integer(minor(st->st_rdev)));
	SET("dev_major", json_integer(major(st->st_dev)));
	SET("dev_minor", json_integer(minor(st->st_dev)));
	SET("ino", json_integer((json_int_t)st->st_ino));
	SET("size", json_integer((json_int_t)st->st_size));
#undef SET
}

static void add_link_target(json_t *obj, const char *path)
{
	char target[PATH_MAX];
	ssize_t len = readlink(path, target, sizeof(target) - 1);

	if (len < 0)
		return;
	target[len] = '\0';
	json_object_set_new(obj, "target", json_string(target));
}

static json_t *mountinfo_rows(void)
{
	json_t *rows = json_array();
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return rows;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		json_array_append_new(rows, json_string(line));
	}
	free(line);
	fclose(f);
	return rows;
}

/* Decodes the octal escapes (\040 for a space) of a mountinfo field. */
static void unescape_field(const char *in, char *out, size_t size)
{
	size_t n = 0;

	while (*in && n + 1 < size) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' &&
		    in[2] >= '0' && in[2] <= '7' && in[3] >= '0' &&
		    in[3] <= '7') {
			out[n++] = (char)((in[1] - '0') * 64 +
					  (in[2] - '0') * 8 + (in[3] - '0'));
			in += 4;
		} else {
			out[n++] = *in++;
		}
	}
	out[n] = '\0';
}

static json_t *statvfs_of(const char *mount_point)
{
	json_t *obj = json_object();
	struct statvfs sv;
	int ret = statvfs(mount_point, &sv);

	json_object_set_new(obj, "path", json_string(mount_point));
	set_errno(obj, ret ? errno : 0);
	if (ret == 0)
		json_object_set_new(obj, "flags",
				    json_integer((json_int_t)sv.f_flag));
	return obj;
}

/* statvfs of the mount point, field 5 of each mountinfo row. */
static json_t *statvfs_rows(const json_t *rows)
{
	json_t *out = json_array();
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		char escaped[PATH_MAX], path[PATH_MAX];

		if (sscanf(json_string_value(row), "%*s %*s %*s %*s %4095s",
			   escaped) != 1)
			continue;
		unescape_field(escaped, path, sizeof(path));
		json_array_append_new(out, statvfs_of(path));
	}
	return out;
}

static int add_dev_entry(const char *path, const struct stat *st, int flag,
			 struct FTW *ftw)
{
	json_t *obj;

	(void)flag;
	(void)ftw;
	if (json_array_size(dev_entries) >= DEV_ENTRIES_MAX)
		return 1;
	obj = json_object();
	json_object_set_new(obj, "path", json_string(path));
	add_stat(obj, "", st);
	if (S_ISLNK(st->st_mode))
		add_link_target(obj, path);
	json_array_append_new(dev_entries, obj);
	return 0;
}

static json_t *stdio_entry(int fd)
{
	json_t *obj = json_object();
	struct stat st;
	char name[PATH_MAX];

	json_object_set_new(obj, "fd", json_integer(fd));
	if (fstat(fd, &st) < 0) {
		set_errno(obj, errno);
		return obj;
	}
	set_errno(obj, 0);
	add_stat(obj, "", &st);
	json_object_set_new(obj, "isatty", json_boolean(isatty(fd)));
	if (ttyname_r(fd, name, sizeof(name)) == 0)
		json_object_set_new(obj, "ttyname", json_string(name));
	return obj;
}

/* The capability sets and NoNewPrivs, as /proc/self/status prints them. */
static json_t *status_fields(void)
{
	static const char *const keys[] = {
		"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs",
	};
	json_t *obj = json_object();
	char line[512];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return obj;
	while (fgets(line, sizeof(line), f)) {
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			size_t len = strlen(keys[i]);
			char value[128];

			if (strncmp(line, keys[i], len) != 0 ||
			    line[len] != ':')
				continue;
			if (sscanf(line + len + 1, "%127s", value) == 1)
				json_object_set_new(obj, keys[i],
						    json_string(value));
		}
	}
	fclose(f);
	return obj;
}

static json_t *namespaces(void)
{
	static const char *const names[] = {
		"mnt", "pid", "net", "ipc", "uts", "user", "cgroup",
	};
	json_t *obj = json_object();

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[64], target[128];
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", names[i]);
		len = readlink(path, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		json_object_set_new(obj, names[i], json_string(target));
	}
	return obj;
}

static json_t *ids(void)
{
	gid_t groups[256];
	int count = getgroups(256, groups);
	json_t *list = json_array();
	json_t *obj = json_object();

	for (int i = 0; i < count; i++)
		json_array_append_new(list, json_integer(groups[i]));
	json_object_set_new(obj, "uid", json_integer(getuid()));
	json_object_set_new(obj, "gid", json_integer(getgid()));
	json_object_set_new(obj, "euid", json_integer(geteuid()));
	json_object_set_new(obj, "egid", json_integer(getegid()));
	json_object_set_new(obj, "groups", list);
	return obj;
}

static void probe_write(json_t *res, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		set_errno(res, errno);
		return;
	}
	set_errno(res, write(fd, "x", 1) == 1 ? 0 : errno);
	close(fd);
}

static void probe_read(json_t *res, const char *path)
{
	char buf[READ_MAX];
	ssize_t len;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0) {
		set_errno(res, errno);
		return;
	}
	len = read(fd, buf, sizeof(buf));
	set_errno(res, len < 0 ? errno : 0);
	if (len >= 0) {
		json_object_set_new(res, "length", json_integer(len));
		/* Binary data stays out of the report: json_stringn()
		 * returns NULL for text that is not UTF-8. */
		if (!memchr(buf, '\0', (size_t)len))
			json_object_set_new(res, "text",
					    json_stringn(buf, (size_t)len));
	}
	close(fd);
}

static void probe_open(json_t *res, const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	set_errno(res, fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
}

static void probe_stat(json_t *res, const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		set_errno(res, errno);
		return;
	}
	set_errno(res, 0);
	add_stat(res, "l", &st);
	if (S_ISLNK(st.st_mode))
		add_link_target(res, path);
	if (stat(path, &st) == 0)
		add_stat(res, "", &st);
	else
		json_object_set_new(res, "stat_errno", json_integer(errno));
}

static void probe_list(json_t *res, const char *path)
{
	json_t *names = json_array();
	struct dirent *entry;
	DIR *dir = opendir(path);

	if (!dir) {
		set_errno(res, errno);
		json_decref(names);
		return;
	}
	while ((entry = readdir(dir))) {
		if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
			json_array_append_new(names,
					      json_string(entry->d_name));
	}
	closedir(dir);
	set_errno(res, 0);
	json_object_set_new(res, "entries", names);
}

/* Executes path with "--euid"; the child's exec errno comes back through
 * a close-on-exec pipe and its euid on its stdout. */
static void probe_exec(json_t *res, const char *path)
{
	int errpipe[2], outpipe[2], status, child_errno = 0;
	char out[32] = "";
	pid_t pid;

	if (pipe2(errpipe, O_CLOEXEC) < 0 || pipe2(outpipe, O_CLOEXEC) < 0) {
		set_errno(res, errno);
		return;
	}
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)path, "--euid", NULL };

		dup2(outpipe[1], STDOUT_FILENO);
		execv(path, argv);
		child_errno = errno;
		if (write(errpipe[1], &child_errno, sizeof(child_errno)) < 0)
			_exit(126);
		_exit(127);
	}
	close(errpipe[1]);
	close(outpipe[1]);
	if (read(errpipe[0], &child_errno, sizeof(child_errno)) <= 0)
		child_errno = 0;
	if (read(outpipe[0], out, sizeof(out) - 1) < 0)
		out[0] = '\0';
	close(errpipe[0]);
	close(outpipe[0]);
	waitpid(pid, &status, 0);
	set_errno(res, child_errno);
	if (child_errno == 0 && out[0])
		json_object_set_new(res, "euid", json_integer(atoi(out)));
}

static int copy_self(const char *dest)
{
	char buf[65536];
	ssize_t len;
	int in, out, ret = 0;

	in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno;
	out = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0) {
		ret = errno;
		close(in);
		return ret;
	}
	while ((len = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)len) != len) {
			ret = errno ? errno : EIO;
			break;
		}
	}
	if (len < 0)
		ret = errno;
	close(in);
	if (close(out) < 0 && !ret)
		ret = errno;
	return ret;
}

static void probe_copyexec(json_t *res, const char *dir)
{
	char dest[PATH_MAX];
	int ret;

	snprintf(dest, sizeof(dest), "%s/mntns-probe-copy", dir);
	ret = copy_self(dest);
	json_object_set_new(res, "copy_errno", json_integer(ret));
	if (ret) {
		set_errno(res, ret);
		return;
	}
	probe_exec(res, dest);
}

static void probe_ptmx(json_t *res, const char *path)
{
	char name[PATH_MAX];
	struct stat st;
	int slave, master = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (master < 0) {
		set_errno(res, errno);
		return;
	}
	if (fstat(master, &st) == 0)
		add_stat(res, "master_", &st);
	if (unlockpt(master) < 0 || ptsname_r(master, name, sizeof(name))) {
		set_errno(res, errno);
		close(master);
		return;
	}
	json_object_set_new(res, "pts", json_string(name));
	slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	set_errno(res, slave < 0 ? errno : 0);
	if (slave >= 0 && fstat(slave, &st) == 0)
		add_stat(res, "slave_", &st);
	if (slave >= 0)
		close(slave);
	close(master);
}

/* Waits for PATH to exist through inotify on its directory, so the host
 * side's file wakes the probe at once. */
static void probe_wait(json_t *res, const char *path)
{
	char dir[PATH_MAX], events[4096];
	struct pollfd fd = { .events = POLLIN };
	time_t deadline = time(NULL) + WAIT_SECONDS;
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0';
	fd.fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (fd.fd < 0 ||
	    inotify_add_watch(fd.fd, dir, IN_CREATE | IN_MOVED_TO) < 0) {
		set_errno(res, errno);
		return;
	}
	while (access(path, F_OK) != 0) {
		time_t left = deadline - time(NULL);

		if (left <= 0) {
			set_errno(res, ETIMEDOUT);
			close(fd.fd);
			return;
		}
		if (poll(&fd, 1, (int)left * 1000) > 0)
			while (read(fd.fd, events, sizeof(events)) > 0)
				continue;
	}
	set_errno(res, 0);
	close(fd.fd);
}

static void run_probe(json_t *res, const char *op, const char *arg)
{
	int ret = 0;

	if (!strcmp(op, "write"))
		probe_write(res, arg);
	else if (!strcmp(op, "mkdir"))
		set_errno(res, mkdir(arg, 0755) ? errno : 0);
	else if (!strcmp(op, "read"))
		probe_read(res, arg);
	else if (!strcmp(op, "open"))
		probe_open(res, arg);
	else if (!strcmp(op, "stat"))
		probe_stat(res, arg);
	else if (!strcmp(op, "list"))
		probe_list(res, arg);
	else if (!strcmp(op, "exec"))
		probe_exec(res, arg);
	else if (!strcmp(op, "copyexec"))
		probe_copyexec(res, arg);
	else if (!strcmp(op, "ptmx"))
		probe_ptmx(res, arg);
	else if (!strcmp(op, "umount"))
		set_errno(res, umount2(arg, MNT_DETACH) ? errno : 0);
	else if (!strcmp(op, "remount"))
		set_errno(res, mount(NULL, arg, NULL, MS_REMOUNT | MS_BIND,
				     NULL) ? errno : 0);
	else if (!strcmp(op, "mount"))
		set_errno(res, mount("probe", arg, "tmpfs", 0, NULL) ? errno
								      : 0);
	else if (!strcmp(op, "touch"))
		probe_write(res, arg);
	else if (!strcmp(op, "wait"))
		probe_wait(res, arg);
	else
		ret = -1;
	if (ret < 0)
		json_object_set_new(res, "invalid",
				    json_string("unknown probe"));
}

static json_t *run_probes(int argc, char **argv)
{
	json_t *results = json_array();

	for (int i = 0; i < argc; i++) {
		json_t *res = json_object();
		char *arg = strchr(argv[i], ':');
		char op[32];

		snprintf(op, sizeof(op), "%.*s",
			 (int)(arg ? arg - argv[i] : (ptrdiff_t)strlen(argv[i])),
			 argv[i]);
		json_object_set_new(res, "op", json_string(op));
		json_object_set_new(res, "path", json_string(arg ? arg + 1 : ""));
		run_probe(res, op, arg ? arg + 1 : "");
		json_array_append_new(results, res);
	}
	return results;
}

static json_t *build_report(int argc, char **argv, mode_t mask)
{
	json_t *report = json_object();
	json_t *stdio = json_array();
	json_t *rows;
	char cwd[PATH_MAX];

	/* stdio first, before the probes open anything. */
	for (int fd = 0; fd < 3; fd++)
		json_array_append_new(stdio, stdio_entry(fd));
	json_object_set_new(report, "stdio", stdio);
	json_object_set_new(report, "probes", run_probes(argc, argv));

	rows = mountinfo_rows();
	json_object_set_new(report, "statvfs", statvfs_rows(rows));
	json_object_set_new(report, "mountinfo", rows);
	dev_entries = json_array();
	nftw("/dev", add_dev_entry, 16, FTW_PHYS);
	json_object_set_new(report, "dev", dev_entries);

	json_object_set_new(report, "umask", json_integer(mask));
	json_object_set_new(report, "pid", json_integer(getpid()));
	json_object_set_new(report, "ids", ids());
	json_object_set_new(report, "status", status_fields());
	json_object_set_new(report, "ns", namespaces());
	json_object_set_new(report, "cwd",
			    json_string(getcwd(cwd, sizeof(cwd)) ? cwd : ""));
	return report;
}

/* A terminal would turn "\n" into "\r\n": the report must pass through
 * unchanged, so the output side of a tty on stdout is made raw. */
static void make_stdout_raw(void)
{
	struct termios tio;

	if (!isatty(STDOUT_FILENO) || tcgetattr(STDOUT_FILENO, &tio) < 0)
		return;
	tio.c_oflag &= ~(tcflag_t)OPOST;
	tcsetattr(STDOUT_FILENO, TCSANOW, &tio);
}

static int write_report(json_t *report, const char *file)
{
	char *text = json_dumps(report, JSON_COMPACT);
	FILE *out = stdout;
	int ret = 0;

	if (!text)
		return -1;
	if (file) {
		out = fopen(file, "we");
		if (!out) {
			perror(file);
			free(text);
			return -1;
		}
		fprintf(out, "%s\n", text);
	} else {
		make_stdout_raw();
		fprintf(out, "\n%s\n%s\n%s\n", REPORT_BEGIN, text, REPORT_END);
	}
	if (fflush(out) != 0)
		ret = -1;
	if (file && fclose(out) != 0)
		ret = -1;
	free(text);
	return ret;
}

int main(int argc, char **argv)
{
	const char *file = NULL;
	json_t *report;
	mode_t mask;
	int ret;

	if (argc == 2 && !strcmp(argv[1], "--euid")) {
		printf("%u\n", (unsigned)geteuid());
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "-o")) {
		file = argv[2];
		argc -= 2;
		argv += 2;
	}
	mask = umask(022);
	umask(mask);
	report = build_report(argc - 1, argv + 1, mask);
	ret = write_report(report, file);
	json_decref(report);
	return ret ? 1 : 0;
}
