#!/bin/sh
# Times the start of a container that runs /bin/true: the median of RUNS
# runs (default 50) of each command, with the runs of all commands
# interleaved (see timeit.c) at nice -20, on one busybox bundle.
#
#   floor          unshare of the same namespaces, --root (chroot(2) in
#                  unshare itself) and exec /bin/true: no mounts, and no
#                  exec besides the container's process
#   mntns          mntns run
#   mntns, bare    mntns run of a bundle without mounts, masked or
#                  read-only paths, to split mntns's time in two
#   crun           crun run, inside a wrapper that unmounts
#                  /sys/fs/cgroup/unified in a private mount namespace,
#                  since crun 1.8 refuses hybrid cgroups
#   crun wrapper   that wrapper running /bin/true, minus /bin/true alone
#   runc           runc run
#
# The wrapper (unshare, sh, umount) takes several milliseconds that are not
# crun's, so the ratio to crun uses crun's time minus the wrapper's.
#
# Usage: bench.sh [RUNS]   (run as root, from reference/bench)
# Targets: mntns/floor < 1.3 and mntns/crun < 0.33.
set -eu

runs=${1:-50}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mntns=$top/reference/src/mntns
timeit=$here/timeit
work=$top/build/bench
rootfs=$work/rootfs
bare=$work/bare

if [ "$(id -u)" -ne 0 ]; then
	echo "bench: run as root: the runtimes create namespaces" >&2
	exit 1
fi
mkdir -p "$work" "$bare"
[ -d "$rootfs" ] || "$top/fixtures/mkrootfs" "$rootfs" >/dev/null
rm -f "$work/config.json"
"$mntns" spec -b "$work"

# One bundle for every runtime: /bin/true without a terminal, root.path
# absolute, and the namespaces of the floor below.
sed -i -e 's|"terminal": true|"terminal": false|' \
	-e "s|\"path\": \"rootfs\"|\"path\": \"$rootfs\"|" \
	-e 's|^\( *\)"sh"$|\1"/bin/true"|' "$work/config.json"
grep -q '"/bin/true"' "$work/config.json" || {
	echo "bench: could not set process.args in $work/config.json" >&2
	exit 1
}
for type in pid network ipc uts mount cgroup; do
	grep -q "\"type\": \"$type\"" "$work/config.json" || {
		echo "bench: the default config.json has no $type namespace;" \
			"update the floor's unshare options" >&2
		exit 1
	}
done

# The bare bundle keeps the process and the namespaces and drops every
# mount.  Its root stays writable, since a read-only root is remounted
# through /proc, which this bundle does not mount.
cat >"$bare/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": { "uid": 0, "gid": 0 },
    "args": [ "/bin/true" ],
    "env": [ "PATH=/bin" ],
    "cwd": "/"
  },
  "root": { "path": "$rootfs", "readonly": false },
  "linux": {
    "namespaces": [
      { "type": "pid" }, { "type": "network" }, { "type": "ipc" },
      { "type": "uts" }, { "type": "mount" }, { "type": "cgroup" }
    ]
  }
}
EOF

state=$work/state
mkdir -p "$state"
# shellcheck disable=SC2016
wrapper='umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"'

set -- unshare --mount --pid --fork --ipc --uts --net --cgroup \
	--propagation private --root="$rootfs" /bin/true \
	-- "$mntns" --root "$state/mntns" run -b "$work" bench \
	-- "$mntns" --root "$state/mntns" run -b "$bare" bench
names="floor mntns bare"
if command -v crun >/dev/null; then
	set -- "$@" -- unshare -m --propagation private sh -c "$wrapper" sh \
		crun --root "$state/crun" run -b "$work" bench \
		-- unshare -m --propagation private sh -c "$wrapper" sh /bin/true \
		-- /bin/true
	names="$names crun wrapper true"
fi
if command -v runc >/dev/null; then
	set -- "$@" -- runc --root "$state/runc" run -b "$work" bench
	names="$names runc"
fi

# One line per command, in the order of $names.  At nice -20 the rest of
# the machine's load disturbs the runs less, and it weighs on all alike.
nice -n -20 "$timeit" "$runs" "$@" >"$work/times" || true
i=0
for name in $names; do
	i=$((i + 1))
	eval "${name}_time=\$(sed -n \"${i}p\" \"\$work/times\")"
done
: "${crun_time:=unavailable (not installed: apt-get install crun)}"
: "${runc_time:=unavailable (not installed: apt-get install runc)}"

number() {
	case $1 in
	[0-9]*) return 0 ;;
	*) return 1 ;;
	esac
}

# Prints a / b with two decimals, or n/a.
ratio() {
	if number "$1" && number "$2"; then
		awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
	else
		echo "n/a"
	fi
}

crun_net=n/a
if number "$crun_time" && number "${wrapper_time:-}" &&
	number "${true_time:-}"; then
	crun_net=$(awk -v c="$crun_time" -v w="$wrapper_time" \
		-v t="$true_time" 'BEGIN { printf "%.2f", c - (w - t) }')
fi
number "$crun_time" || crun_time="unavailable ($crun_time)"
number "$runc_time" || runc_time="unavailable ($runc_time)"

echo "median of $runs interleaved runs, milliseconds ($(nproc) cores," \
	"$(uname -r))"
echo "floor (unshare --root):  $floor_time"
echo "mntns run:               $mntns_time"
echo "mntns run, no mounts:    $bare_time"
echo "crun run:                $crun_net (with its wrapper: $crun_time)"
echo "runc run:                $runc_time"
echo "mntns/floor: $(ratio "$mntns_time" "$floor_time") (target < 1.3)"
echo "mntns/crun:  $(ratio "$mntns_time" "$crun_net") (target < 0.33)"

# When crun/3 is out of reach, say which part of mntns's time is in the way.
if number "$crun_net" && number "$mntns_time" && number "$floor_time" &&
	number "$bare_time" &&
	awk -v m="$mntns_time" -v c="$crun_net" 'BEGIN { exit !(m * 3 >= c) }'
then
	awk -v m="$mntns_time" -v c="$crun_net" -v f="$floor_time" \
		-v b="$bare_time" 'BEGIN {
		printf "crun/3 missed: crun/3 is %.2f ms; the floor alone " \
			"takes %.2f, mntns without mounts %.2f, and the " \
			"mounts %.2f more\n", c / 3, f, b, m - b }'
fi
