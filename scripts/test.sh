#!/usr/bin/env bash
# Runs every test project of IotActors.sln and ends with ONE line:
#   N passed, N failed, N skipped
# Exit status: non-zero when dotnet test fails, any test failed, or no test ran.
#
# Real-peer tests (Qpid Proton, RabbitMQ) need Debian packages. As root with apt-get, missing
# ones are installed here; otherwise they are skipped with a loud note (and fail instead when
# IOTACTORS_REQUIRE_PEERS=1, as in CI).
#
# Optional environment:
#   IOTACTORS_ARTIFACTS_PATH  build into this folder (dotnet --artifacts-path) instead of bin/obj
#   IOTACTORS_TEST_RESULTS    folder for the .trx files (default: TestResults/ in the repo)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Debian packages the tests use. Add new services here.
PEER_PACKAGES=(python3-qpid-proton rabbitmq-server chromium postgresql)

note() { printf 'test.sh: %s\n' "$*"; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for package in "${PEER_PACKAGES[@]}"; do
        installed "$package" || missing+=("$package")
    done
else
    missing=("${PEER_PACKAGES[@]}")
fi
if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        note "installing ${missing[*]}"
        if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; }; then
            note "!!! installing ${missing[*]} FAILED: real-peer tests will be skipped (or fail when IOTACTORS_REQUIRE_PEERS=1) !!!"
        fi
    else
        note "!!! ${missing[*]} not installed and this is not root with apt-get:"
        note "!!! real-peer tests will be SKIPPED (or FAIL when IOTACTORS_REQUIRE_PEERS=1) !!!"
    fi
fi

results="${IOTACTORS_TEST_RESULTS:-$PWD/TestResults}/run-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$results"
args=(test IotActors.sln -c Release --logger "trx;LogFilePrefix=iotactors" --results-directory "$results")
if [[ -n "${IOTACTORS_ARTIFACTS_PATH:-}" ]]; then
    args+=(--artifacts-path "$IOTACTORS_ARTIFACTS_PATH")
fi
# The chaos suite writes its table (one row per scenario) here; it is printed below.
export IOTACTORS_CHAOS_TABLE="$results/chaos-table.md"
note "dotnet ${args[*]}"
dotnet "${args[@]}"
test_status=$?
note "dotnet test exited $test_status; results in $results"
if [[ -s $IOTACTORS_CHAOS_TABLE ]]; then
    note "chaos suite (tests/IotActors.Chaos.Tests):"
    cat "$IOTACTORS_CHAOS_TABLE"
fi

# Debian's interpreter is there whenever the peers are; any python3 reads XML.
python=/usr/bin/python3
[[ -x $python ]] || python=$(command -v python3 || true)
if [[ -z $python ]]; then
    note "no python3 to read the .trx files"
    echo "0 passed, 0 failed, 0 skipped"
    exit 1
fi

# Count per test result in every .trx (one per test project): Passed; Failed/Error/Timeout/
# Aborted as failed; NotExecuted (xunit skips; the Counters element does not count them) as skipped.
summary=$("$python" - "$results" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = 0
files = sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True))
for path in files:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print("test.sh: unreadable %s: %s" % (path, e), file=sys.stderr)
        failed += 1
        continue
    for result in root.iter(ns + "UnitTestResult"):
        outcome = result.get("outcome", "")
        if outcome == "Passed":
            passed += 1
        elif outcome in ("NotExecuted", "Inconclusive", "Pending"):
            skipped += 1
        else:
            failed += 1
print("%d %d %d %d" % (passed, failed, skipped, len(files)))
PY
)
read -r passed failed skipped trx_files <<<"${summary:-0 1 0 0}"
note "read $trx_files .trx file(s)"

status=0
if ((test_status != 0)); then
    note "FAILED: dotnet test exited $test_status"
    status=1
fi
if ((failed > 0)); then
    status=1
fi
if ((passed + failed == 0)); then
    note "FAILED: no test ran"
    status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
