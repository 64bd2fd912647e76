# Compiler settings shared by every sub-Makefile.  Include it after setting
# TOP to the repository's top directory.
#
# SANITIZE=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer.
# The flags are recorded in build/cflags.stamp, and every object depends on
# that file, so switching SANITIZE rebuilds everything.

CC ?= cc
PKG_CONFIG ?= pkg-config
OPTFLAGS ?= -O2 -g
WARNFLAGS = -Wall -Wextra -Werror -Wformat=2 -Wmissing-prototypes \
	-Wstrict-prototypes -Wshadow
ifeq ($(SANITIZE),1)
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
endif
BASE_CFLAGS = -std=gnu11 -D_GNU_SOURCE $(OPTFLAGS) $(WARNFLAGS) $(SANFLAGS)
BASE_LDFLAGS = $(SANFLAGS)

FLAGS_STAMP = $(TOP)/build/cflags.stamp
_flags_now := $(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS)
_flags_old := $(shell cat $(FLAGS_STAMP) 2>/dev/null)
ifneq ($(_flags_now),$(_flags_old))
$(shell mkdir -p $(TOP)/build && echo '$(_flags_now)' > $(FLAGS_STAMP))
endif

pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1))
pkg_libs = $(shell $(PKG_CONFIG) --libs $(1))
