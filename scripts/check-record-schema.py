#!/usr/bin/env python3
"""Validates record payloads against a zaitaku record schema (docs/schemas), with an independent
JSON Schema implementation (python3-jsonschema, Draft 2020-12): the schema itself first, then
each payload file. Exit 0 when all are valid; 1 with the first error of each invalid one.

    scripts/check-record-schema.py docs/schemas/visit.schema.json payload.json [...]
"""
import json
import sys

from jsonschema import Draft202012Validator, FormatChecker


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    failed = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            payload = json.load(f)
        errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
        if errors:
            failed += 1
            where = "/".join(str(p) for p in errors[0].path) or "(top)"
            print(f"{path}: {where}: {errors[0].message}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
