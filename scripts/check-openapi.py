#!/usr/bin/env python3
"""Checks docs/openapi.json (issue 30): the document against the OpenAPI 3.1 schema, every schema in
it as a JSON Schema 2020-12 schema, and every example against its schema — record payload schemas
are docs/schemas/*.schema.json, referred to by relative file references.
Usage: scripts/check-openapi.py [docs/openapi.json]"""
import json
import pathlib
import sys
import warnings

import jsonschema
from jsonschema import Draft202012Validator

warnings.filterwarnings("ignore", category=DeprecationWarning)  # RefResolver: the one both 4.10 and 4.2x have


def main():
    path = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "docs/openapi.json").resolve()
    doc = json.loads(path.read_text(encoding="utf-8"))
    meta = json.loads((path.parent / "openapi" / "oas-3.1-schema.json").read_text(encoding="utf-8"))
    problems = []
    for error in Draft202012Validator(meta).iter_errors(doc):
        problems.append("document: %s at %s" % (error.message, "/".join(map(str, error.absolute_path))))

    base = path.as_uri()
    resolver = jsonschema.RefResolver(base_uri=base, referrer=doc)
    schemas = doc.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as e:
            problems.append("schema %s: %s" % (name, e.message))

    examples = 0

    def check(where, media):
        nonlocal examples
        schema = media.get("schema")
        for key, example in media.get("examples", {}).items():
            if schema is None:
                problems.append("%s: example %s has no schema" % (where, key))
                continue
            examples += 1
            validator = Draft202012Validator(schema, resolver=resolver)
            for error in validator.iter_errors(example["value"]):
                problems.append("%s example %s: %s at %s" % (where, key, error.message,
                                                            "/".join(map(str, error.absolute_path))))

    operations = 0
    for route, item in doc["paths"].items():
        for method, op in item.items():
            operations += 1
            for media_type, media in op.get("requestBody", {}).get("content", {}).items():
                check("%s %s request (%s)" % (method.upper(), route, media_type), media)
            for status, response in op.get("responses", {}).items():
                if "$ref" in response:
                    continue
                for media_type, media in response.get("content", {}).items():
                    check("%s %s %s" % (method.upper(), route, status), media)
    for name, response in doc.get("components", {}).get("responses", {}).items():
        for media_type, media in response.get("content", {}).items():
            check("response %s" % name, media)
    # The record payload schemas the description refers to exist and are schemas.
    for ref_name in ("visit", "consent_revocation", "custody"):
        schema_path = path.parent / "schemas" / ("%s.schema.json" % ref_name)
        try:
            Draft202012Validator.check_schema(json.loads(schema_path.read_text(encoding="utf-8")))
        except (OSError, jsonschema.SchemaError, ValueError) as e:
            problems.append("%s: %s" % (schema_path.name, e))

    for p in problems:
        print("openapi: " + p, file=sys.stderr)
    print("openapi: %d operations, %d schemas, %d examples checked, %d problem(s)" %
          (operations, len(schemas), examples, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
