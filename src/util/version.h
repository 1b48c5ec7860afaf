/* radlab: the library version, recorded in every output.  SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef RAD_UTIL_VERSION_H
#define RAD_UTIL_VERSION_H

#define RAD_VERSION "0.1.0"

#endif
