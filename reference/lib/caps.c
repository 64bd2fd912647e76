/* Capability checks through libcap, made before privileged work so that a
 * missing capability is named instead of surfacing as a bare EPERM. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <sys/capability.h>

#include "internal.h"

/* Returns whether capability is in the effective set of this thread. */
bool mntns__have_cap(int capability)
{
	cap_flag_value_t value = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (!caps)
		return false;
	if (cap_get_flag(caps, (cap_value_t)capability, CAP_EFFECTIVE,
			 &value) < 0)
		value = CAP_CLEAR;
	cap_free(caps);
	return value == CAP_SET;
}

/* Fails with EPERM, the capability ("CAP_SYS_ADMIN") as the error's path,
 * when it is not effective. */
int mntns__require_cap(int capability, const char *purpose,
		       struct mntns_error *err)
{
	char name[64], detail[256];
	char *text;
	size_t i;

	if (mntns__have_cap(capability))
		return 0;

	text = cap_to_name((cap_value_t)capability);
	snprintf(name, sizeof(name), "%s", text ? text : "unknown");
	cap_free(text);
	for (i = 0; name[i]; i++)
		name[i] = (char)toupper((unsigned char)name[i]);

	snprintf(detail, sizeof(detail),
		 "missing from the effective set, needed to %s: run as root "
		 "or in a user namespace that owns the mount namespace",
		 purpose);
	return mntns__fail(err, EPERM, name, detail, "check capability");
}
