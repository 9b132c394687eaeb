#!/usr/bin/env bash
# Checks C++ formatting against .clang-format.
#   scripts/check-format.sh              every tracked C++ file (CI: a superset of changed lines)
#   scripts/check-format.sh --changed REF   only lines changed since REF (git clang-format)
#   scripts/check-format.sh --fix        reformat every tracked C++ file in place
set -euo pipefail
cd "$(dirname "$0")/.."

list_sources() {
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h' '*.hpp'
    else
        find base device verify sync ui hardware tests -name '*.cpp' -o -name '*.h' -o -name '*.hpp'
    fi
}

case "${1:-}" in
--changed)
    base="${2:?usage: check-format.sh --changed REF}"
    diff=$(git clang-format --diff --quiet "$base" -- '*.cpp' '*.h' '*.hpp' || true)
    if [[ -n "$diff" && "$diff" != *"no modified files"* && "$diff" != *"did not modify"* ]]; then
        echo "$diff"
        echo "format: changed lines are not formatted (run: git clang-format $base)" >&2
        exit 1
    fi
    ;;
--fix)
    list_sources | xargs -r clang-format -i
    ;;
*)
    mapfile -t files < <(list_sources)
    [[ ${#files[@]} -gt 0 ]] || exit 0
    if ! clang-format --dry-run --Werror "${files[@]}"; then
        echo "format: run scripts/check-format.sh --fix" >&2
        exit 1
    fi
    echo "format: ${#files[@]} files ok"
    ;;
esac
