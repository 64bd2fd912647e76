/* Errors and tracing: the library never prints, it fills struct
 * mntns_error and calls the caller's trace handler. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The size of the structure in libmntns.so.0, which callers allocate. */
_Static_assert(sizeof(struct mntns_error) == 8772,
	       "struct mntns_error must keep the size of libmntns.so.0");

static mntns_trace_fn trace_handler;
static void *trace_userdata;

MNTNS_PUBLIC void mntns_set_trace(mntns_trace_fn handler, void *userdata)
{
	trace_handler = handler;
	trace_userdata = userdata;
}

void mntns__trace(enum mntns_trace_level level, const char *format, ...)
{
	char message[4608];
	va_list args;

	if (!trace_handler)
		return;

	va_start(args, format);
	vsnprintf(message, sizeof(message), format, args);
	va_end(args);
	trace_handler(level, message, trace_userdata);
}

MNTNS_PUBLIC const char *mntns_strerror(int negative_errno)
{
	const char *text;

	if (negative_errno == 0)
		return "success";

	text = strerrordesc_np(negative_errno < 0 ? -negative_errno :
						    negative_errno);
	return text ? text : "unknown error";
}

/* Copies src into dst, cut to size - 1 bytes when it is longer. */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t length = strnlen(src, size - 1);

	memcpy(dst, src, length);
	dst[length] = '\0';
}

int mntns__fail(struct mntns_error *err, int errnum, const char *path,
		const char *detail, const char *operation_format, ...)
{
	/* Full size, so that a long path inside the operation reaches the
	 * message; err->operation keeps what fits. */
	char operation[sizeof(err->message)];
	char message[sizeof(err->message)];
	va_list args;
	int length;

	va_start(args, operation_format);
	vsnprintf(operation, sizeof(operation), operation_format, args);
	va_end(args);

	if (!detail)
		detail = mntns_strerror(errnum);
	/* A message too long for the buffer is cut, not an error. */
	if (path)
		length = snprintf(message, sizeof(message), "%s '%s': %s",
				  operation, path, detail);
	else
		length = snprintf(message, sizeof(message), "%s: %s", operation,
				  detail);
	if (length < 0)
		copy_text(message, sizeof(message), operation);

	if (err) {
		err->errnum = errnum;
		err->mount_index = -1;
		copy_text(err->operation, sizeof(err->operation), operation);
		copy_text(err->path, sizeof(err->path), path ? path : "");
		memcpy(err->message, message, sizeof(message));
	}
	mntns__trace(MNTNS_TRACE_ERROR, "%s", message);
	return -errnum;
}
