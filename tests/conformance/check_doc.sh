#!/usr/bin/env bash
# docs/conformance.md's table of cases must be what the suite itself lists
# (test_conformance --doc), between the markers <!-- cases begin/end -->.
set -euo pipefail
exe="$1"; doc="$2"
want=$("$exe" --doc)
have=$(sed -n '/<!-- cases begin -->/,/<!-- cases end -->/p' "$doc" | sed '1d;$d')
if [ "$want" != "$have" ]; then
	echo "FAIL: $doc's case table differs from '$exe --doc':"
	diff <(echo "$want") <(echo "$have") || true
	exit 1
fi
echo "conformance table: $(echo "$want" | grep -c '^| `') cases, as documented"
