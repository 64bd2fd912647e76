# Top-level build of mntns: the reference library and program, the
# conformance suite, its fixtures and the VM that runs privileged cases.
#
#   make                build everything (installs build packages as root)
#   make check          build, then run the test suite with kyua
#   make conformance    run the conformance suite in a VM (RUNTIME=mntns)
#   make bench          time mntns run against unshare --root, crun and runc
#   make matrix         run the suite against every runtime, write docs/
#   make install        install under $(DESTDIR)$(PREFIX), the test suite
#                       in $(PREFIX)/tests/mntns
#
# Variables: SANITIZE=1 (ASan and UBSan), RUNTIME (runtime under test),
# PREFIX (default /usr/local), DESTDIR, JOBS (parallel VMs).

TOP := $(CURDIR)
PREFIX ?= /usr/local
RUNTIME ?= mntns
export TOP PREFIX DESTDIR SANITIZE

SUBDIRS = reference conformance vm

.PHONY: all deps check conformance conformance-build bench matrix install \
	clean $(SUBDIRS)

all: reference conformance-build vm

deps:
	@scripts/deps build test

reference: deps
	$(MAKE) -C reference

conformance-build: reference
	$(MAKE) -C conformance

conformance: conformance-build
	@scripts/deps vm
	$(MAKE) -C vm conformance RUNTIME=$(RUNTIME)

vm: deps
	$(MAKE) -C vm

# make check runs everything that Kyuafile lists: the library's unit tests,
# the host part of the conformance suite and one VM boot.  With SANITIZE=1
# only the library's unit tests run, since the static probe and the VM
# cannot carry the sanitizer runtime.
ifeq ($(SANITIZE),1)
check: reference
	@scripts/kyua-run unit-sanitize reference/Kyuafile
else
check: all
	@scripts/deps vm selinux
	$(MAKE) -C vm image
	@scripts/kyua-run check Kyuafile
endif

bench: all
	@scripts/deps runtimes
	$(MAKE) -C reference bench

matrix: all
	@scripts/deps vm runtimes
	$(MAKE) -C vm matrix

# The installed suite runs with "kyua test -k $(PREFIX)/tests/mntns/Kyuafile"
# and needs no source tree; the VM tests stay in the tree.
install: all
	$(MAKE) -C reference install
	$(MAKE) -C conformance install
	install -d $(DESTDIR)$(PREFIX)/tests/mntns
	install -m 0644 Kyuafile.installed \
		$(DESTDIR)$(PREFIX)/tests/mntns/Kyuafile

clean:
	for dir in $(SUBDIRS); do $(MAKE) -C $$dir clean || exit 1; done
	rm -rf build
