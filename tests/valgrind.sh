#!/bin/sh
# radlab: run radlab under valgrind's memcheck (make check-valgrind).
# The test's own radlab commands ($RADLAB, as B.cli and the shell tests run
# them) come back through this script, so they run under valgrind too.
# SPDX-License-Identifier: GPL-3.0-or-later
RADLAB_VALGRIND_REAL=${RADLAB_VALGRIND_REAL:-$RADLAB}
RADLAB=$0
# timing budgets of the tests stretch (rad.test's time_factor)
RADLAB_TIME_FACTOR=${RADLAB_TIME_FACTOR:-50}
export RADLAB RADLAB_VALGRIND_REAL RADLAB_TIME_FACTOR
exec ${VALGRIND:-valgrind} --tool=memcheck --quiet --error-exitcode=99 \
  --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
  --num-callers=30 --suppressions="$top_srcdir/tests/valgrind.supp" \
  "$RADLAB_VALGRIND_REAL" "$@"
