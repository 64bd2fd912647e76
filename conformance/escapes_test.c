/*
 * Hostile rootfs layouts (fixtures/hostile): the runtime must reject each
 * one or keep what it does inside the rootfs.  A run that succeeds is
 * judged from inside, and every case also checks the host side: the
 * victim directory the layout points at stays as it was, and the test
 * process's own mount table is unchanged.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks.h"

struct hostile {
	struct bundle b;
	struct report r;
	char victim[PATH_MAX];
	char *mountinfo_before;
	bool ran; /* the runtime accepted the layout */
};

static char *read_mountinfo(void)
{
	char *text = NULL;
	size_t size = 0;
	char buf[4096];
	size_t len;
	FILE *out = open_memstream(&text, &size);
	FILE *in = fopen("/proc/self/mountinfo", "re");

	while (in && (len = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, len, out);
	if (in)
		fclose(in);
	fclose(out);
	return text;
}

static void hostile_init(const atf_tc_t *tc, struct hostile *h,
			 const char *layout)
{
	char command[3 * PATH_MAX];

	memset(h, 0, sizeof(*h));
	bundle_init(&h->b, tc);
	config_set(&h->b, "root.readonly", json_false());
	path_format(h->victim, sizeof(h->victim), "%s",
		    bundle_host_dir(&h->b, "victim"));
	path_format(command, sizeof(command), "%s/fixtures/hostile %s %s %s",
		    h->b.top, layout, h->b.rootfs, h->victim);
	if (system(command) != 0)
		atf_tc_fail("fixture failed: %s", command);
	h->mountinfo_before = read_mountinfo();
}

static size_t count_entries(const char *dir)
{
	size_t count = 0;
	struct dirent *entry;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((entry = readdir(d)))
		if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
			count++;
	closedir(d);
	return count;
}

/* Runs the bundle, then checks the host side. */
static void hostile_run(struct hostile *h, size_t victim_entries)
{
	char *after;

	h->ran = bundle_try_run(&h->b, &h->r) == 0;
	after = read_mountinfo();
	ATF_CHECK_MSG(!strcmp(h->mountinfo_before, after),
		      "the test's mount table changed during the run");
	free(after);
	ATF_CHECK_EQ_MSG(count_entries(h->victim), victim_entries,
			 "the host directory %s changed: expected %zu "
			 "entries, actual %zu", h->victim, victim_entries,
			 count_entries(h->victim));
}

static void hostile_free(struct hostile *h)
{
	free(h->mountinfo_before);
	report_free(&h->r);
	bundle_free(&h->b);
}

/* The config's mount at destination is dropped, so the layout under it is
 * what the runtime meets. */
static void drop_mount(struct bundle *b, const char *destination)
{
	json_t *mounts = json_object_get(b->config, "mounts");
	json_t *mount;
	size_t i;

	json_array_foreach(mounts, i, mount) {
		const char *dest = json_string_value(
			json_object_get(mount, "destination"));

		if (dest && !strcmp(dest, destination)) {
			json_array_remove(mounts, i);
			return;
		}
	}
}

ATF_TC(escapes__proc_symlink);
ATF_TC_HEAD(escapes__proc_symlink, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default (CVE-2019-19921): a "
			  "/proc that is a symlink out of the rootfs is "
			  "rejected or gets proc mounted inside");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(escapes__proc_symlink, tc)
{
	struct hostile h;

	hostile_init(tc, &h, "proc-symlink");
	hostile_run(&h, 0);
	if (h.ran)
		check_fstype(&h.r, "/proc", "proc");
	hostile_free(&h);
}

ATF_TC(escapes__dev_symlink);
ATF_TC_HEAD(escapes__dev_symlink, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: a /dev that is a "
			  "symlink out of the rootfs is rejected or gets its "
			  "tmpfs and nodes inside, none on the host");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(escapes__dev_symlink, tc)
{
	struct hostile h;

	hostile_init(tc, &h, "dev-symlink");
	/* NOTE: seen with runc 1.1.5; no public report or fixed version is
	 * known here, so every runc version is marked. */
	runtime_expect_fail(&h.b, "runc", NULL, "runc follows a /dev "
			    "symlink out of the rootfs and creates the /dev "
			    "symlinks (fd, ptmx, std*) in its host target");
	hostile_run(&h, 0);
	if (h.ran) {
		check_fstype(&h.r, "/dev", "tmpfs");
		require_dev(&h.r, "/dev/null");
	}
	hostile_free(&h);
}

ATF_TC(escapes__devnull_symlink);
ATF_TC_HEAD(escapes__devnull_symlink, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: with no /dev tmpfs, a "
			  "/dev/null symlink in the image is rejected or "
			  "replaced by the real c 1:3 inside");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(escapes__devnull_symlink, tc)
{
	struct hostile h;

	hostile_init(tc, &h, "devnull-symlink");
	drop_mount(&h.b, "/dev");
	bundle_probe(&h.b, "stat:/dev/null");
	hostile_run(&h, 0);
	if (h.ran) {
		json_t *st = require_probe(&h.r, 0);

		check_str(st, "type", "c", "/dev/null");
		check_int(st, "rdev_major", 1, "/dev/null");
		check_int(st, "rdev_minor", 3, "/dev/null");
	}
	hostile_free(&h);
}

ATF_TC(escapes__console_symlink);
ATF_TC_HEAD(escapes__console_symlink, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default (CVE-2025-52565): a "
			  "/dev/console symlink to a host file is rejected or "
			  "replaced, and the host file keeps its mode");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(escapes__console_symlink, tc)
{
	char file[PATH_MAX + 8];
	struct hostile h;
	struct stat st;
	FILE *f;

	hostile_init(tc, &h, "console-symlink");
	drop_mount(&h.b, "/dev");
	h.b.terminal = true;
	path_format(file, sizeof(file), "%s/file", h.victim);
	f = fopen(file, "we");
	ATF_REQUIRE(f != NULL);
	fputs("victim\n", f);
	fclose(f);
	ATF_REQUIRE(chmod(file, 0640) == 0);
	hostile_run(&h, 1);
	ATF_REQUIRE(stat(file, &st) == 0);
	ATF_CHECK_MSG((st.st_mode & 07777) == 0640,
		      "%s: expected mode 0640 kept, actual 0%o", file,
		      st.st_mode & 07777);
	ATF_CHECK_MSG(st.st_uid == 0 && st.st_gid == 0,
		      "%s: expected owner 0:0 kept, actual %u:%u", file,
		      st.st_uid, st.st_gid);
	hostile_free(&h);
}

ATF_TC(escapes__dest_symlink_etc);
ATF_TC_HEAD(escapes__dest_symlink_etc, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default (CVE-2021-30465): a "
			  "destination that is a symlink to /etc resolves to "
			  "the rootfs's /etc, not the host's");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(escapes__dest_symlink_etc, tc)
{
	struct hostile h;

	hostile_init(tc, &h, "dest-symlink-etc");
	bundle_host_file(&h.b, "data/hello", "hello\n");
	bundle_add_mount(&h.b, "/mnt/evil", "bind",
			 bundle_host_dir(&h.b, "data"), "bind");
	bundle_probe(&h.b, "read:/mnt/evil/hello");
	hostile_run(&h, 0);
	if (h.ran) {
		check_probe_error(&h.r, 0, "");
		check_str(require_probe(&h.r, 0), "text", "hello\n",
			  "/mnt/evil/hello");
	}
	hostile_free(&h);
}

ATF_TC(escapes__dest_dangling);
ATF_TC_HEAD(escapes__dest_dangling, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: a dangling symlink "
			  "destination is rejected or created inside the "
			  "rootfs, never at its target on the host");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(escapes__dest_dangling, tc)
{
	struct hostile h;

	ATF_REQUIRE_MSG(access("/nonexistent", F_OK) != 0,
			"/nonexistent exists on this host: remove it first");
	hostile_init(tc, &h, "dest-dangling");
	bundle_add_mount(&h.b, "/mnt/dangling", "tmpfs", "tmpfs", NULL);
	hostile_run(&h, 0);
	ATF_CHECK_MSG(access("/nonexistent", F_OK) != 0,
		      "the runtime created /nonexistent on the host");
	hostile_free(&h);
}

ATF_TC(escapes__dest_dotdot);
ATF_TC_HEAD(escapes__dest_dotdot, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: a destination under a "
			  "symlink that climbs out with ../ stays inside the "
			  "rootfs; nothing is created at the host path");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(escapes__dest_dotdot, tc)
{
	struct hostile h;

	hostile_init(tc, &h, "dest-dotdot");
	bundle_add_mount(&h.b, "/mnt/up/sub", "tmpfs", "tmpfs", NULL);
	hostile_run(&h, 0);
	hostile_free(&h);
}

ATF_TC(escapes__relative_destination);
ATF_TC_HEAD(escapes__relative_destination, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: a destination with ../ "
			  "components cannot climb above the rootfs");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(escapes__relative_destination, tc)
{
	char dest[2 * PATH_MAX];
	struct hostile h;

	hostile_init(tc, &h, "file-for-dir");
	path_format(dest, sizeof(dest), "/../../../../../../../../..%s/sub",
		    h.victim);
	bundle_add_mount(&h.b, dest, "tmpfs", "tmpfs", NULL);
	hostile_run(&h, 0);
	hostile_free(&h);
}

ATF_TC(escapes__file_for_dir);
ATF_TC_HEAD(escapes__file_for_dir, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: a tmpfs destination "
			  "that is a regular file is rejected, or the mount "
			  "that results is a directory");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(escapes__file_for_dir, tc)
{
	struct hostile h;

	hostile_init(tc, &h, "file-for-dir");
	bundle_add_mount(&h.b, "/mnt/file", "tmpfs", "tmpfs", NULL);
	bundle_probe(&h.b, "stat:/mnt/file");
	hostile_run(&h, 0);
	if (h.ran)
		check_str(require_probe(&h.r, 0), "type", "d", "/mnt/file");
	hostile_free(&h);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, escapes__proc_symlink);
	ATF_TP_ADD_TC(tp, escapes__dev_symlink);
	ATF_TP_ADD_TC(tp, escapes__devnull_symlink);
	ATF_TP_ADD_TC(tp, escapes__console_symlink);
	ATF_TP_ADD_TC(tp, escapes__dest_symlink_etc);
	ATF_TP_ADD_TC(tp, escapes__dest_dangling);
	ATF_TP_ADD_TC(tp, escapes__dest_dotdot);
	ATF_TP_ADD_TC(tp, escapes__relative_destination);
	ATF_TP_ADD_TC(tp, escapes__file_for_dir);
	return atf_no_error();
}
