#!/bin/sh
# Runs one fuzz target from build-fuzz: run.sh TARGET LIBFUZZER-FLAG...
# Prints the executions, rate and peak memory; on a crash, the log's tail and
# exit 1 (the input is in build-fuzz/crashes/).
set -u
target=$1
shift
case $target in
  decode_fuzz) max_len=65536 ;;  # decode is fast: whole records
  *) max_len=4096 ;;             # the pipeline runs every stage per input
esac
log=build-fuzz/$target.log
echo "fuzz: $target $* (log: $log)"
if ! build-fuzz/tests/fuzz/"$target" "$@" -max_len=$max_len -dict=tests/fuzz/json.dict \
    -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix=build-fuzz/crashes/"$target"- build-fuzz/corpus/"$target" >"$log" 2>&1; then
  tail -40 "$log"
  exit 1
fi
grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss" "$log"
