/*
 * process.capabilities: names parsed with libcap, sets applied with libcap
 * and prctl(2).  The bounding set is dropped while the process still has
 * CAP_SETPCAP; the other sets are set after the switch to the process's
 * user, which keeps them thanks to PR_SET_KEEPCAPS.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "cli.h"

static const char *const set_names[] = {
	"bounding", "effective", "inheritable", "permitted", "ambient",
};

static uint64_t *set_of(struct capability_sets *sets, size_t index)
{
	uint64_t *fields[] = {
		&sets->bounding, &sets->effective, &sets->inheritable,
		&sets->permitted, &sets->ambient,
	};
	return fields[index];
}

/* Returns 0 with the number, -ENOENT for a CAP_ name libcap does not
 * know, -EINVAL for anything else. */
int capabilities_from_name(const char *name, int *out)
{
	char lower[64];
	cap_value_t value;

	if (strncasecmp(name, "CAP_", 4) != 0 || strlen(name) >= sizeof(lower))
		return -EINVAL;
	for (size_t i = 0; name[i]; i++)
		lower[i] = tolower((unsigned char)name[i]);
	lower[strlen(name)] = '\0';
	if (cap_from_name(lower, &value) < 0 || value < 0 || value >= 64)
		return -ENOENT;
	*out = value;
	return 0;
}

static int parse_set(struct container_config *config, const json_t *names,
		     const char *path, uint64_t *mask,
		     struct mntns_error *err)
{
	const char *file = config->config_path;
	char item_path[128];

	if (!json_is_array(names))
		return config_type_error(err, file, path,
					 "an array of capability names", names);

	for (size_t i = 0; i < json_array_size(names); i++) {
		const json_t *item = json_array_get(names, i);
		const char *name = NULL;
		int value;

		config_path_index(item_path, sizeof(item_path), path, i);
		int ret = config_string(item, file, item_path, &name, err);
		if (ret < 0)
			return ret;
		ret = capabilities_from_name(name, &value);
		if (ret == -EINVAL)
			return config_value_error(err, file, item_path, item,
						  "is not a capability name: "
						  "use a name such as "
						  "CAP_CHOWN");
		if (ret < 0) {
			/* A newer kernel's capability is not an error, as
			 * runc and crun also skip it. */
			log_warning("%s: %s: \"%s\" is not known to libcap "
				    "and is ignored", file, item_path, name);
			continue;
		}
		*mask |= UINT64_C(1) << value;
	}
	return 0;
}

int config_parse_capabilities(struct container_config *config,
			      const json_t *capabilities,
			      struct mntns_error *err)
{
	char path[64];

	if (!capabilities)
		return 0;
	if (!json_is_object(capabilities))
		return config_type_error(err, config->config_path,
					 "process.capabilities", "an object",
					 capabilities);

	config->process.has_capabilities = true;
	for (size_t i = 0; i < sizeof(set_names) / sizeof(set_names[0]); i++) {
		const json_t *names = json_object_get(capabilities,
						      set_names[i]);
		if (!names)
			continue;
		config_path_join(path, sizeof(path), "process.capabilities",
				 set_names[i]);
		int ret = parse_set(config, names, path,
				    set_of(&config->process.capabilities, i),
				    err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int capabilities_apply_bounding(const struct capability_sets *sets,
				struct mntns_error *err)
{
	for (int cap = 0; cap <= (int)cap_max_bits() - 1 && cap < 64; cap++) {
		if (sets->bounding & (UINT64_C(1) << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 &&
		    errno != EINVAL)
			return fail_errno(err, errno,
					  "drop capability %s from the "
					  "bounding set", cap_to_name(cap));
	}
	return 0;
}

static int fill_flag(cap_t state, cap_flag_t flag, uint64_t mask)
{
	for (int cap = 0; cap < 64; cap++) {
		cap_value_t value = cap;
		if (!(mask & (UINT64_C(1) << cap)))
			continue;
		if (!CAP_IS_SUPPORTED(cap))
			continue;
		if (cap_set_flag(state, flag, 1, &value, CAP_SET) < 0)
			return -errno;
	}
	return 0;
}

int capabilities_apply(const struct capability_sets *sets,
		       struct mntns_error *err)
{
	cap_t state = cap_init();
	if (!state)
		return fail_errno(err, errno, "allocate capability state");

	int ret = fill_flag(state, CAP_EFFECTIVE, sets->effective);
	if (ret == 0)
		ret = fill_flag(state, CAP_PERMITTED, sets->permitted);
	if (ret == 0)
		ret = fill_flag(state, CAP_INHERITABLE, sets->inheritable);
	if (ret == 0 && cap_set_proc(state) < 0)
		ret = -errno;
	cap_free(state);
	if (ret < 0)
		return fail_errno(err, -ret, "set the process capabilities "
				  "(an effective or inheritable capability "
				  "missing from permitted?)");

	/* One prctl(2): libcap's cap_reset_ambient() first probes every
	 * capability with PR_CAP_AMBIENT_IS_SET.  EINVAL means a kernel
	 * older than 4.3, without ambient capabilities. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return fail_errno(err, errno, "clear the ambient set");
	/* The kernel raises an ambient capability only when it is also
	 * permitted and inheritable.  runc's default document lists ambient
	 * capabilities without an inheritable set, and runc runs it, so the
	 * others are skipped here too. */
	uint64_t raisable = sets->ambient & sets->permitted & sets->inheritable;
	for (int cap = 0; cap < 64; cap++) {
		if (!(raisable & (UINT64_C(1) << cap)) ||
		    !CAP_IS_SUPPORTED(cap))
			continue;
		if (cap_set_ambient(cap, CAP_SET) < 0)
			return fail_errno(err, errno, "raise ambient "
					  "capability %s",
					  cap_to_name(cap));
	}
	return 0;
}
