/*
 * Typed access to config.json values.  Each getter takes the JSON path of
 * the value (such as "linux.maskedPaths[2]") so that an error names it.
 * A NULL value means the property is absent and leaves the output alone.
 */
#include <errno.h>
#include <string.h>

#include "cli.h"

void config_path_join(char *buffer, size_t size, const char *parent,
		      const char *key)
{
	if (parent && *parent)
		snprintf(buffer, size, "%s.%s", parent, key);
	else
		snprintf(buffer, size, "%s", key);
}

void config_path_index(char *buffer, size_t size, const char *parent,
		       size_t index)
{
	snprintf(buffer, size, "%s[%zu]", parent, index);
}

static const char *type_name(const json_t *value)
{
	switch (json_typeof(value)) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
		return "integer";
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	case JSON_NULL:
		return "null";
	}
	return "value";
}

int config_type_error(struct mntns_error *err, const char *file,
		      const char *path, const char *expected,
		      const json_t *value)
{
	cleanup_free char *text = json_dumps(value, JSON_ENCODE_ANY |
						    JSON_COMPACT);
	const char *shown = text ? text : "?";

	if (strlen(shown) > 60)
		return fail(err, EINVAL, "%s: %s: expected %s, got %s", file,
			    path, expected, type_name(value));
	return fail(err, EINVAL, "%s: %s: expected %s, got %s %s", file,
		    path, expected, type_name(value), shown);
}

int config_value_error(struct mntns_error *err, const char *file,
		       const char *path, const json_t *value,
		       const char *problem)
{
	cleanup_free char *text = json_dumps(value, JSON_ENCODE_ANY |
						    JSON_COMPACT);

	return fail(err, EINVAL, "%s: %s: %s %s", file, path,
		    text ? text : "?", problem);
}

int config_string(const json_t *value, const char *file, const char *path,
		  const char **out, struct mntns_error *err)
{
	if (!value)
		return 0;
	if (!json_is_string(value))
		return config_type_error(err, file, path, "a string", value);
	if (strlen(json_string_value(value)) != json_string_length(value))
		return config_value_error(err, file, path, value,
					  "contains a NUL character");
	*out = json_string_value(value);
	return 0;
}

int config_bool(const json_t *value, const char *file, const char *path,
		bool *out, struct mntns_error *err)
{
	if (!value)
		return 0;
	if (!json_is_boolean(value))
		return config_type_error(err, file, path, "true or false",
					 value);
	*out = json_is_true(value);
	return 0;
}

int config_integer(const json_t *value, const char *file, const char *path,
		   int64_t min, int64_t max, int64_t *out,
		   struct mntns_error *err)
{
	char problem[128];

	if (!value)
		return 0;
	if (!json_is_integer(value))
		return config_type_error(err, file, path, "an integer",
					 value);

	json_int_t number = json_integer_value(value);
	if (number < min || number > max) {
		snprintf(problem, sizeof(problem),
			 "is out of range: use %lld to %lld", (long long)min,
			 (long long)max);
		return config_value_error(err, file, path, value, problem);
	}
	*out = number;
	return 0;
}

/* Fills *out with a NULL-terminated array of borrowed strings. */
int config_string_array(const json_t *value, const char *file,
			const char *path, const char ***out, size_t *count,
			struct mntns_error *err)
{
	char item_path[512];

	if (!value)
		return 0;
	if (!json_is_array(value))
		return config_type_error(err, file, path,
					 "an array of strings", value);

	size_t size = json_array_size(value);
	const char **strings = calloc(size + 1, sizeof(*strings));
	if (!strings)
		return fail(err, ENOMEM, "out of memory");

	for (size_t i = 0; i < size; i++) {
		config_path_index(item_path, sizeof(item_path), path, i);
		int ret = config_string(json_array_get(value, i), file,
					item_path, &strings[i], err);
		if (ret < 0) {
			free(strings);
			return ret;
		}
	}
	free(*out);
	*out = strings;
	if (count)
		*count = size;
	return 0;
}

/* An absolute path without ".." components, so that it cannot name a
 * place outside the rootfs even before the library resolves it. */
int config_absolute_path(const json_t *value, const char *file,
			 const char *path, const char **out,
			 struct mntns_error *err)
{
	const char *string = NULL;

	int ret = config_string(value, file, path, &string, err);
	if (ret < 0 || !string)
		return ret;
	if (string[0] != '/')
		return config_value_error(err, file, path, value,
					  "is not absolute: start it with /");

	for (const char *p = string; *p;) {
		size_t length = strcspn(p, "/");
		if (length == 2 && p[0] == '.' && p[1] == '.')
			return config_value_error(err, file, path, value,
						  "contains \"..\", which "
						  "could escape the rootfs");
		p += length;
		p += strspn(p, "/");
	}
	*out = string;
	return 0;
}
