#!/usr/bin/env bash
# Fuzzes each reader of untrusted input (src/test/java/io/rcsrouter/fuzz, docs/fuzzing.md) with Jazzer for a
# bounded time: @FuzzTest(maxDuration = FuzzChecks.MAX_DURATION) per target, plus a per-input timeout, so a slow
# input is a finding too. The timeout goes to libFuzzer as Jazzer 0.24's jazzer.internal.arg.N (arg.0 stands for
# argv[0]); a JUnit timeout would apply to the whole fuzzing run instead. Check both when upgrading Jazzer.
# Fails loudly on any finding: exit 1, the stack trace and the crash input's path printed (Jazzer writes it into the
# target's seed directory, where it becomes a regression case once the defect is fixed). Never skips.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(CallbackParserFuzzTest ProviderFormatsFuzzTest KeywordClassifierFuzzTest CrmMappingFuzzTest AuthFuzzTest)
PER_INPUT_TIMEOUT="${FUZZ_INPUT_TIMEOUT:-10}"    # seconds, libFuzzer -timeout: one input taking longer is a finding
WATCHDOG=240                                        # seconds for one target's whole Maven run, startup included
SEEDS=src/test/resources/io/rcsrouter/fuzz
started=$(date +%s)

echo "== fuzz: compiling the tests once"
mvn -B -ntp -q -o test-compile

failed=()
for target in "${TARGETS[@]}"; do
    echo "== fuzz: $target"
    marker=$(mktemp)
    log=target/fuzz-$target.log
    t0=$(date +%s)
    set +e
    JAZZER_FUZZ=1 timeout --kill-after=10 "$WATCHDOG" mvn -B -ntp -o surefire:test \
        -Dtest="io.rcsrouter.fuzz.$target" -Dsurefire.failIfNoSpecifiedTests=false \
        -Djazzer.hooks=true \
        -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-timeout="$PER_INPUT_TIMEOUT" \
        >"$log" 2>&1
    rc=$?
    set -e
    crashes=$(find "$SEEDS" . -maxdepth 4 -newer "$marker" -type f \
        \( -name 'crash-*' -o -name 'timeout-*' -o -name 'slow-unit-*' -o -name 'oom-*' \) 2>/dev/null | sort -u)
    rm -f "$marker"
    grep -E '^(#[0-9]+ +(INITED|DONE)|Done [0-9]+ runs|== Java Exception|INFO: Running with)' "$log" | tail -4 || true
    if [ "$rc" -ne 0 ] || [ -n "$crashes" ]; then
        echo "!! fuzz: $target FAILED (exit $rc) after $(( $(date +%s) - t0 )) s; log: $log"
        [ "$rc" -eq 124 ] && echo "!! the whole run overran its watchdog of $WATCHDOG s (a hang)"
        grep -E -A12 '== Java Exception|FuzzTestFindingException|Caused by' "$log" | head -40 || true
        for c in $crashes; do echo "!! crash input: $c"; done
        failed+=("$target")
    else
        grep -q 'No fuzzing has been performed' "$log" && { echo "!! fuzz: $target only replayed its seeds"; failed+=("$target"); }
        echo "== fuzz: $target passed in $(( $(date +%s) - t0 )) s"
    fi
done

echo "== fuzz: $(( ${#TARGETS[@]} - ${#failed[@]} ))/${#TARGETS[@]} targets clean in $(( $(date +%s) - started )) s"
if [ ${#failed[@]} -gt 0 ]; then
    echo "!! fuzz: findings in ${failed[*]}; see docs/fuzzing.md (a finding becomes a bad-input case)"
    exit 1
fi
