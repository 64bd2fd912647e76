/* Cleanup helpers and error formatting shared by the whole program. */
#include <errno.h>
#include <string.h>

#include "cli.h"

void free_charp(char **pointer)
{
	free(*pointer);
}

void close_fdp(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

void fclose_filep(FILE **file)
{
	if (*file)
		fclose(*file);
}

static int vfail(struct mntns_error *err, int errnum, bool add_strerror,
		 const char *format, va_list args)
{
	if (!err)
		return -errnum;

	int length = vsnprintf(err->message, sizeof(err->message), format,
			       args);
	if (add_strerror && length >= 0 &&
	    (size_t)length < sizeof(err->message))
		snprintf(err->message + length, sizeof(err->message) - length,
			 ": %s", strerror(errnum));
	err->errnum = errnum;
	err->mount_index = -1;
	err->operation[0] = '\0';
	err->path[0] = '\0';
	return -errnum;
}

int fail(struct mntns_error *err, int errnum, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	int ret = vfail(err, errnum, false, format, args);
	va_end(args);
	return ret;
}

int fail_errno(struct mntns_error *err, int errnum, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	int ret = vfail(err, errnum, true, format, args);
	va_end(args);
	return ret;
}
