#!/usr/bin/env bash
# Runs one phase of a Makefile target (configure, build, tests) and prints one
# line for it instead of its whole output, so `make demo` shows what wirefeed
# does rather than pages of compiler and make chatter.
#
#   tools/quiet.sh step  LABEL LOG -- CMD...  one line when done; the full output
#                                             (kept in LOG) if CMD fails
#   tools/quiet.sh build LABEL LOG -- CMD...  the same, with CMake's percentage
#                                             as a live line on a terminal
#   tools/quiet.sh tests -- CMD...            ctest: passing tests' lines are
#                                             left out (a live count on a
#                                             terminal); failures, their output
#                                             (--output-on-failure) and the
#                                             summary are printed as they are
#
# With V=1 in the environment (make V=1 ...) every mode runs CMD unchanged, with
# its full output. The exit code is always CMD's.
set -uo pipefail

mode=${1:?usage: quiet.sh step|build|tests ...}
shift
if [[ $mode == tests ]]; then
  [[ ${1:-} == -- ]] && shift
else
  label=${1:?label}
  log=${2:?log file}
  shift 2
  [[ ${1:-} == -- ]] && shift
fi

if [[ ${V:-0} == 1 ]]; then
  [[ $mode != tests ]] && echo "== $label"
  exec "$@"
fi

tty=0
[[ -t 1 ]] && tty=1

if [[ $mode == tests ]]; then
  # ctest prints "Start N: name" and "i/n Test #N: name ... Passed" per test;
  # everything else (a failure's line and output, the summary) goes through.
  "$@" 2>&1 | awk -v tty="$tty" '
    /^ *Start +[0-9]+: / { next }
    /^Internal ctest changing into directory/ { next }
    /^ *[0-9]+\/[0-9]+ +Test +#[0-9]+: .* Passed +[0-9.]+ sec/ {
      split($1, n, "/")
      if (tty) { printf "\rrunning tests %d/%d ", n[1], n[2]; fflush(); live = 1 }
      next
    }
    {
      if (live) { printf "\r\033[K"; live = 0 }
      print; fflush()
    }
    END { if (live) printf "\r\033[K" }'
  exit "${PIPESTATUS[0]}"
fi

mkdir -p "$(dirname "$log")"
started=$SECONDS
"$@" >"$log" 2>&1 &
pid=$!
if [[ $tty == 1 ]]; then
  while kill -0 "$pid" 2>/dev/null; do
    if [[ $mode == build ]]; then
      pct=$(grep -o '^\[ *[0-9]*%\]' "$log" 2>/dev/null | tail -1 | tr -dc '0-9')
      printf '\r%s %s%% ' "$label" "${pct:-0}"
    else
      printf '\r%s ... ' "$label"
    fi
    sleep 0.3
  done
fi
wait "$pid"
rc=$?
[[ $tty == 1 ]] && printf '\r\033[K'
elapsed=$((SECONDS - started))
if [[ $rc -ne 0 ]]; then
  echo "$label: failed (exit $rc after ${elapsed} s); its output ($log):"
  cat "$log"
  exit "$rc"
fi
if [[ $mode == build ]]; then
  if grep -q '^\[ *[0-9]*%\] .*\(Building\|Linking\)' "$log"; then
    echo "$label: 100% (${elapsed} s)"
  else
    echo "$label: up to date"
  fi
else
  echo "$label: ok (${elapsed} s)"
fi
