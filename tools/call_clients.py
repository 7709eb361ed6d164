"""Calls every operation of each spec through its openapi-generator Python client, against Prism.

Run by `cargo xtask clients` (a step of `cargo xtask test`), which generates the clients and starts
one Prism mock per spec:

    python call_clients.py SPEC CLIENT_DIR PACKAGE URL [SPEC CLIENT_DIR PACKAGE URL ...]

For each operation it builds the arguments from the spec's examples (parameter and request body
`example`/`examples`, else the schema's), calls the generated method, and counts the call as a
success only when the client returned a decoded response and Prism reported no violation
(`sl-violations`). A tag name that is not ASCII is a failure too (clients cannot name its API
class). It prints one table row per operation and exits 1 when anything failed.
"""

import importlib
import inspect
import json
import re
import sys
import traceback
import typing

import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def normalised(name):
    """Spec names and the client's Python names compared without case or separators."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


class Spec:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = yaml.safe_load(f)

    def resolve(self, node):
        """Follows local `$ref`s (`#/components/...`)."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node:
            target = self.doc
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
            if seen > 64:
                raise ValueError("$ref cycle")
        return node

    def operations(self):
        for path, item in self.doc.get("paths", {}).items():
            item = self.resolve(item)
            shared = item.get("parameters", [])
            for method in METHODS:
                if method in item:
                    yield path, method, item[method], shared

    def example(self, holder, schema, depth=0):
        """The example of a parameter or media type, else one built from its schema."""
        if "example" in holder:
            return holder["example"]
        for named in (holder.get("examples") or {}).values():
            return self.resolve(named).get("value")
        return self.schema_example(schema, depth)

    def schema_example(self, schema, depth=0):
        schema = self.resolve(schema or {})
        if depth > 12:
            return None
        if "example" in schema:
            return schema["example"]
        if schema.get("examples"):
            return schema["examples"][0]
        if "default" in schema:
            return schema["default"]
        if schema.get("enum"):
            return schema["enum"][0]
        for combined in ("allOf", "oneOf", "anyOf"):
            if schema.get(combined):
                merged = {}
                for part in schema[combined]:
                    value = self.schema_example(part, depth + 1)
                    if not isinstance(value, dict):
                        return value
                    merged.update(value)
                    if combined != "allOf":
                        break
                return merged
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            required = schema.get("required", [])
            return {
                name: self.schema_example(prop, depth + 1)
                for name, prop in schema.get("properties", {}).items()
                if name in required
            }
        if kind == "array":
            return [self.schema_example(schema.get("items"), depth + 1)]
        return {"integer": 1, "number": 1.0, "boolean": True}.get(kind, "string")


def plain_type(annotation):
    """The class inside `Annotated[...]` / `Optional[...]`, as the client's signature declares it."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin is typing.Union:
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def find_method(package, operation_id):
    api = importlib.import_module(f"{package}.api")
    wanted = normalised(operation_id)
    for _, cls in inspect.getmembers(api, inspect.isclass):
        for name, _ in inspect.getmembers(cls, inspect.isfunction):
            if normalised(name) == wanted:
                return cls, name
    raise LookupError(f"the generated client has no method for {operation_id}")


def arguments(spec, operation, shared, method):
    """Keyword arguments for `method` from the operation's parameters and request body examples,
    and the required parameters that have no example (their values are built from the schema).
    Optional parameters without an example are left out."""
    params, skipped, unexampled = {}, set(), []
    for param in [spec.resolve(p) for p in shared] + [spec.resolve(p) for p in operation.get("parameters", [])]:
        key = normalised(param["name"])
        schema = spec.resolve(param.get("schema") or {})
        if not any(field in holder for holder in (param, schema) for field in ("example", "examples")):
            if not param.get("required"):
                skipped.add(key)
                continue
            unexampled.append(param["name"])
        params[key] = spec.example(param, schema)
    kwargs = {}
    for name, declared in inspect.signature(method).parameters.items():
        key = normalised(name)
        if name == "self" or name.startswith("_") or key in skipped:
            continue
        if key in params:
            kwargs[name] = params[key]
            continue
        body = spec.resolve(operation.get("requestBody") or {})
        media = next(iter((body.get("content") or {}).values()), None)
        if media is None:
            raise LookupError(f"the client's argument {name} matches no parameter and there is no request body")
        value = spec.example(media, media.get("schema"))
        model = plain_type(declared.annotation)
        kwargs[name] = model.from_dict(value) if hasattr(model, "from_dict") else value
    return kwargs, unexampled


def configuration(package, spec, url):
    """The client's configuration: Prism's URL and a value for every apiKey/http scheme."""
    config = importlib.import_module(package).Configuration(host=url)
    schemes = spec.doc.get("components", {}).get("securitySchemes", {})
    for name, scheme in schemes.items():
        scheme = spec.resolve(scheme)
        if scheme.get("type") == "apiKey":
            config.api_key[name] = "cloudspec-check"
        elif scheme.get("type") == "http":
            config.access_token = "cloudspec-check"
            config.username, config.password = "cloudspec", "check"
    return config


def call(spec, package, url, operation, shared):
    """Calls one operation; returns (ok, detail)."""
    cls, name = find_method(package, operation["operationId"])
    client = importlib.import_module(package).ApiClient(configuration(package, spec, url))
    api = cls(client)
    with_info = getattr(api, f"{name}_with_http_info")
    try:
        kwargs, unexampled = arguments(spec, operation, shared, getattr(api, name))
    except Exception as error:  # an example the client's models reject
        return False, f"request from the examples: {described(error)}"
    try:
        response = with_info(**kwargs)
    except Exception as error:  # the client's ApiException, pydantic's ValidationError, ...
        if hasattr(error, "status") and hasattr(error, "headers"):
            violations = violation_messages((error.headers or {}).get("sl-violations"))
            said = violations or " ".join(str(error.body or error.reason).split())
            return False, f"HTTP {error.status}: {said}"
        return False, described(error)
    violations = violation_messages((response.headers or {}).get("sl-violations"))
    if violations:
        return False, f"HTTP {response.status_code}, Prism reports: {violations}"
    note = f" (no example, built from the schema: {', '.join(unexampled)})" if unexampled else ""
    return True, f"HTTP {response.status_code}, {type(response.data).__name__}{note}"


def violation_messages(header):
    """Prism's `sl-violations` header (a JSON list) as its messages, `; `-separated."""
    if not header:
        return ""
    try:
        return "; ".join(v.get("message", str(v)) for v in json.loads(header))
    except ValueError:
        return header


def described(error):
    """An exception on one line, without pydantic's help links."""
    lines = [line.strip() for line in str(error).splitlines() if "errors.pydantic.dev" not in line]
    where = ""
    if isinstance(error, (NameError, ImportError, AttributeError, TypeError)):
        # A generated client that does not even import: name the generated file and line.
        frames = traceback.extract_tb(error.__traceback__)
        if frames:
            where = f" (at {'/'.join(frames[-1].filename.split('/')[-3:])}:{frames[-1].lineno})"
    return f"{type(error).__name__}: {' '.join(lines)}{where}"


def non_ascii_tags(spec):
    """Tag names (declared or used) that are not ASCII, each once, in order."""
    names = [tag.get("name", "") for tag in spec.doc.get("tags", [])]
    names += [tag for _, _, operation, _ in spec.operations() for tag in operation.get("tags", [])]
    return [name for i, name in enumerate(names) if not name.isascii() and name not in names[:i]]


def main(argv):
    if not argv or len(argv) % 4:
        print(__doc__, file=sys.stderr)
        return 2
    rows = []
    for i in range(0, len(argv), 4):
        spec_path, client_dir, package, url = argv[i : i + 4]
        sys.path.insert(0, client_dir)
        spec = Spec(spec_path)
        file = spec_path.rsplit("/", 1)[-1]
        for tag in non_ascii_tags(spec):
            rows.append((file, f"tag {tag!r}", False, "not ASCII: generated clients name its API class DefaultApi"))
        for path, method, operation, shared in spec.operations():
            label = operation.get("operationId") or f"{method.upper()} {path}"
            try:
                ok, detail = call(spec, package, url, operation, shared)
            except Exception as error:  # a client or example the driver cannot use is a failure too
                ok, detail = False, described(error)
            rows.append((file, label, ok, detail))
    width = max((len(spec) + len(op) for spec, op, _, _ in rows), default=0) + 3
    for spec, op, ok, detail in rows:
        print(f"{'ok  ' if ok else 'FAIL'}  {(spec + ' ' + op).ljust(width)}{detail}")
    operations = [row for row in rows if not row[1].startswith("tag ")]
    passed = sum(1 for row in operations if row[2])
    print(f"{passed} of {len(operations)} operations succeeded through the Python clients")
    return 0 if rows and passed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
