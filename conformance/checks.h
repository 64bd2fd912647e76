/*
 * Checks on a probe report.  Lookups return NULL when nothing matches.
 * check_* functions record a non-fatal failure (atf_tc_fail_nonfatal) with
 * the expected and the actual value, and for mounts the raw mountinfo row.
 * require_* functions end the case when the thing checked is missing,
 * because nothing after them could be judged.
 */
#ifndef CONFORMANCE_CHECKS_H
#define CONFORMANCE_CHECKS_H

#include <stdbool.h>

#include "driver.h"

/* The top-most mount at target: the last mountinfo row with that mount
 * point, which is the one a path lookup reaches. */
struct libmnt_fs *report_find_mount(const struct report *r,
				    const char *target);
struct libmnt_fs *require_mount(const struct report *r, const char *target);

/* The raw mountinfo row of fs, for messages. */
const char *report_row(const struct report *r, struct libmnt_fs *fs);

/* Every row as text, one per line, for messages. */
const char *report_rows(const struct report *r);

/* Index of fs in mountinfo order, or -1. */
int report_mount_index(const struct report *r, struct libmnt_fs *fs);

void check_fstype(const struct report *r, const char *target,
		  const char *expected);

/* The top mount at target has a root field (the mounted directory's path
 * inside its filesystem) that ends with suffix, as a bind of that
 * directory shows.  Unlike the type, the root field distinguishes a bind
 * from a tmpfs under it when the bind's source is itself on a tmpfs. */
void check_mount_root_suffix(const struct report *r, const char *target,
			     const char *suffix);

/* A per-mount flag of the VFS options (ro, rw, nosuid, nodev, noexec,
 * relatime, noatime, nodiratime).  "strictatime" means neither relatime
 * nor noatime is shown, which is how the kernel prints it. */
void check_mount_flag(const struct report *r, const char *target,
		      const char *flag, bool expected);

/* A superblock option (field 11 of mountinfo) and its value.  An
 * expected NULL means the option must be absent, and "" means present
 * with no value. */
void check_fs_option(const struct report *r, const char *target,
		     const char *name, const char *expected);

/* A superblock option holding an octal number, such as mode=620;
 * absent_value is what the kernel means when it omits the option (tmpfs
 * omits mode=1777), or -1 when the option must be shown. */
void check_fs_octal(const struct report *r, const char *target,
		    const char *name, long expected, long absent_value);

/* The statvfs flags (ST_RDONLY, ST_NOSUID...) the probe saw at target. */
void check_statvfs_flag(const struct report *r, const char *target,
			unsigned long flag, const char *flag_name,
			bool expected);

/* The lstat entry of path under /dev, or NULL. */
json_t *report_dev(const struct report *r, const char *path);
json_t *require_dev(const struct report *r, const char *path);

/* The nth probe result (bundle_probe() order). */
json_t *require_probe(const struct report *r, size_t index);

/* Checks the probe's errno by name: "" for success, else "EROFS"... */
void check_probe_error(const struct report *r, size_t index,
		       const char *expected);

/* An integer or string member, failing the case when it is missing. */
long json_int(const json_t *obj, const char *key);
const char *json_str(const json_t *obj, const char *key);

/* Checks an integer member; what names it in the message. */
void check_int(const json_t *obj, const char *key, long expected,
	       const char *what);
void check_octal(const json_t *obj, const char *key, long expected,
		 const char *what);
void check_str(const json_t *obj, const char *key, const char *expected,
	       const char *what);

/* Parses a mountinfo file into a report with only mounts, for the
 * helpers' own tests and the sample files under fixtures/mountinfo. */
int report_load_mountinfo(struct report *r, const char *path);

#endif
