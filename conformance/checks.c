/*
 * Checks on a probe report: mount lookups through libmount, options,
 * /dev entries and probe results.
 */
#include "checks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

struct libmnt_fs *report_find_mount(const struct report *r,
				    const char *target)
{
	struct libmnt_iter *iter;
	struct libmnt_fs *fs, *found = NULL;

	if (!r->mounts)
		return NULL;
	iter = mnt_new_iter(MNT_ITER_FORWARD);
	while (mnt_table_next_fs(r->mounts, iter, &fs) == 0) {
		if (mnt_fs_streq_target(fs, target))
			found = fs;
	}
	mnt_free_iter(iter);
	return found;
}

/* Joins the strings of array, or their key member when key is not NULL,
 * each between prefix and suffix.  The result replaces the previous one
 * kept in *text. */
static const char *join_strings(char **text, const json_t *array,
				const char *key, const char *prefix,
				const char *suffix)
{
	size_t size = 0;
	json_t *entry;
	size_t i;
	FILE *f;

	free(*text);
	*text = NULL;
	f = open_memstream(text, &size);
	json_array_foreach(array, i, entry)
		fprintf(f, "%s%s%s", prefix,
			key ? json_str(entry, key) : json_string_value(entry),
			suffix);
	fclose(f);
	return *text;
}

const char *report_rows(const struct report *r)
{
	static char *text;

	return join_strings(&text, json_object_get(r->json, "mountinfo"),
			    NULL, "  ", "\n");
}

struct libmnt_fs *require_mount(const struct report *r, const char *target)
{
	struct libmnt_fs *fs = report_find_mount(r, target);

	if (!fs) {
		fprintf(stderr, "mountinfo:\n%s", report_rows(r));
		atf_tc_fail("no mount at %s (mountinfo on stderr)", target);
	}
	return fs;
}

int report_mount_index(const struct report *r, struct libmnt_fs *fs)
{
	struct libmnt_iter *iter = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *each;
	int i = 0, found = -1;

	while (mnt_table_next_fs(r->mounts, iter, &each) == 0) {
		if (each == fs)
			found = i;
		i++;
	}
	mnt_free_iter(iter);
	return found;
}

const char *report_row(const struct report *r, struct libmnt_fs *fs)
{
	json_t *row;
	size_t i;
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "%d ", mnt_fs_get_id(fs));
	json_array_foreach(json_object_get(r->json, "mountinfo"), i, row) {
		const char *text = json_string_value(row);

		if (!strncmp(text, prefix, strlen(prefix)))
			return text;
	}
	return "(row not found)";
}

void check_fstype(const struct report *r, const char *target,
		  const char *expected)
{
	struct libmnt_fs *fs = require_mount(r, target);
	const char *type = mnt_fs_get_fstype(fs);

	if (!type || strcmp(type, expected))
		atf_tc_fail_nonfatal("%s: expected type %s, actual %s\n"
				     "  row: %s", target, expected,
				     type ? type : "(none)",
				     report_row(r, fs));
}

void check_mount_root_suffix(const struct report *r, const char *target,
			     const char *suffix)
{
	struct libmnt_fs *fs = require_mount(r, target);
	const char *root = mnt_fs_get_root(fs);
	size_t root_len = root ? strlen(root) : 0;
	size_t suffix_len = strlen(suffix);

	if (root_len < suffix_len ||
	    strcmp(root + root_len - suffix_len, suffix) != 0)
		atf_tc_fail_nonfatal("%s: expected the top mount's root to end "
				     "with %s, actual %s\n  row: %s", target,
				     suffix, root ? root : "(none)",
				     report_row(r, fs));
}

static bool has_option(const char *optstr, const char *name)
{
	char *value;
	size_t size;

	return optstr && mnt_optstr_get_option(optstr, name, &value,
					       &size) == 0;
}

void check_mount_flag(const struct report *r, const char *target,
		      const char *flag, bool expected)
{
	struct libmnt_fs *fs = require_mount(r, target);
	const char *vfs = mnt_fs_get_vfs_options(fs);
	bool actual;

	if (!strcmp(flag, "strictatime"))
		actual = !has_option(vfs, "relatime") &&
			 !has_option(vfs, "noatime");
	else
		actual = has_option(vfs, flag);
	if (actual != expected)
		atf_tc_fail_nonfatal("%s: expected %s %s, actual per-mount "
				     "options \"%s\"\n  row: %s", target, flag,
				     expected ? "set" : "not set",
				     vfs ? vfs : "", report_row(r, fs));
}

/* Copies the value of a superblock option into out; false when absent. */
static bool fs_option(struct libmnt_fs *fs, const char *name, char *out,
		      size_t size)
{
	const char *opts = mnt_fs_get_fs_options(fs);
	char *value;
	size_t len;

	if (!opts || mnt_optstr_get_option(opts, name, &value, &len) != 0)
		return false;
	snprintf(out, size, "%.*s", value ? (int)len : 0,
		 value ? value : "");
	return true;
}

void check_fs_option(const struct report *r, const char *target,
		     const char *name, const char *expected)
{
	struct libmnt_fs *fs = require_mount(r, target);
	char actual[256];
	bool present = fs_option(fs, name, actual, sizeof(actual));

	if (!expected && !present)
		return;
	if (expected && present && !strcmp(expected, actual))
		return;
	atf_tc_fail_nonfatal("%s: expected %s%s%s, actual %s%s%s\n"
			     "  row: %s", target,
			     expected ? name : "no ", expected ? "=" : name,
			     expected ? expected : "",
			     present ? name : "no ", present ? "=" : name,
			     present ? actual : "", report_row(r, fs));
}

void check_fs_octal(const struct report *r, const char *target,
		    const char *name, long expected, long absent_value)
{
	struct libmnt_fs *fs = require_mount(r, target);
	char text[256];
	long actual = absent_value;
	bool present = fs_option(fs, name, text, sizeof(text));

	if (present)
		actual = strtol(text, NULL, 8);
	if (!present && absent_value < 0)
		atf_tc_fail_nonfatal("%s: expected %s=%lo, actual: option "
				     "absent\n  row: %s", target, name,
				     expected, report_row(r, fs));
	else if (actual != expected)
		atf_tc_fail_nonfatal("%s: expected %s=%lo, actual %s=%lo%s\n"
				     "  row: %s", target, name, expected, name,
				     actual, present ? "" : " (omitted)",
				     report_row(r, fs));
}

void check_statvfs_flag(const struct report *r, const char *target,
			unsigned long flag, const char *flag_name,
			bool expected)
{
	json_t *entry, *found = NULL;
	size_t i;

	json_array_foreach(json_object_get(r->json, "statvfs"), i, entry) {
		const char *path = json_string_value(
			json_object_get(entry, "path"));

		if (path && !strcmp(path, target))
			found = entry;
	}
	if (!found || !json_object_get(found, "flags")) {
		atf_tc_fail_nonfatal("%s: no statvfs result in the report",
				     target);
		return;
	}
	bool actual = (json_int(found, "flags") & (long)flag) != 0;
	if (actual != expected)
		atf_tc_fail_nonfatal("%s: expected statvfs %s %s, actual "
				     "f_flag 0x%lx\n  row: %s", target,
				     flag_name, expected ? "set" : "not set",
				     json_int(found, "flags"),
				     report_row(r, require_mount(r, target)));
}

json_t *report_dev(const struct report *r, const char *path)
{
	json_t *entry;
	size_t i;

	json_array_foreach(json_object_get(r->json, "dev"), i, entry) {
		const char *p = json_string_value(
			json_object_get(entry, "path"));

		if (p && !strcmp(p, path))
			return entry;
	}
	return NULL;
}

static const char *dev_listing(const struct report *r)
{
	static char *text;

	return join_strings(&text, json_object_get(r->json, "dev"), "path",
			    " ", "");
}

json_t *require_dev(const struct report *r, const char *path)
{
	json_t *entry = report_dev(r, path);

	if (!entry)
		atf_tc_fail("%s not found in the container; /dev holds:%s",
			    path, dev_listing(r));
	return entry;
}

json_t *require_probe(const struct report *r, size_t index)
{
	json_t *probe = json_array_get(json_object_get(r->json, "probes"),
				       index);

	if (!probe)
		atf_tc_fail("probe %zu missing from the report", index);
	return probe;
}

void check_probe_error(const struct report *r, size_t index,
		       const char *expected)
{
	json_t *probe = require_probe(r, index);
	const char *actual = json_str(probe, "error");

	if (strcmp(actual, expected))
		atf_tc_fail_nonfatal("%s:%s: expected %s, actual %s",
				     json_str(probe, "op"),
				     json_str(probe, "path"),
				     expected[0] ? expected : "success",
				     actual[0] ? actual : "success");
}

long json_int(const json_t *obj, const char *key)
{
	json_t *value = json_object_get(obj, key);

	if (!json_is_integer(value))
		atf_tc_fail("report: integer \"%s\" missing", key);
	return (long)json_integer_value(value);
}

const char *json_str(const json_t *obj, const char *key)
{
	json_t *value = json_object_get(obj, key);

	if (!json_is_string(value))
		atf_tc_fail("report: string \"%s\" missing", key);
	return json_string_value(value);
}

void check_int(const json_t *obj, const char *key, long expected,
	       const char *what)
{
	long actual = json_int(obj, key);

	if (actual != expected)
		atf_tc_fail_nonfatal("%s: expected %s %ld, actual %ld", what,
				     key, expected, actual);
}

void check_octal(const json_t *obj, const char *key, long expected,
		 const char *what)
{
	long actual = json_int(obj, key);

	if (actual != expected)
		atf_tc_fail_nonfatal("%s: expected %s 0%lo, actual 0%lo", what,
				     key, expected, actual);
}

void check_str(const json_t *obj, const char *key, const char *expected,
	       const char *what)
{
	json_t *value = json_object_get(obj, key);
	const char *actual = json_string_value(value);

	if (!actual || strcmp(actual, expected))
		atf_tc_fail_nonfatal("%s: expected %s \"%s\", actual %s%s%s",
				     what, key, expected, actual ? "\"" : "",
				     actual ? actual : "(missing)",
				     actual ? "\"" : "");
}

int report_load_mountinfo(struct report *r, const char *path)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f = fopen(path, "re");

	memset(r, 0, sizeof(*r));
	if (!f)
		return -errno;
	r->json = json_object();
	json_t *rows = json_array();
	json_object_set_new(r->json, "mountinfo", rows);
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		json_array_append_new(rows, json_string(line));
	}
	free(line);
	fclose(f);
	r->mounts = mnt_new_table();
	return mnt_table_parse_file(r->mounts, path);
}
