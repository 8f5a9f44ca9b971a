"""An Azure Pipelines file with its templates expanded, as Azure DevOps expands them when a run
starts, so that the expanded pipeline can be checked offline (against the official schema, and
for what it runs). It understands the template syntax this repository uses and refuses
anything else with a TemplateError, rather than guess what Azure DevOps would do.

Understood:
- template references in a list of stages, jobs or steps (`- template: path` with
  `parameters:`), the path relative to the including file; the template holds `parameters:`
  and the list of its kind, nothing else; at most 20 levels deep, as Azure DevOps allows;
- parameters declared as a list of `name`, `type`, `default`, `values`, `displayName`, of the
  types string, number, boolean, object, step, stepList, job, jobList, deployment,
  deploymentList, stage, stageList. A required parameter left out, an undeclared one, a value
  of another type or not among `values` is refused; the root file's parameters take their
  defaults (a run started without choosing any);
- template expressions `${{ ... }}` everywhere but trigger, pr, resources and schedules (where
  Azure DevOps expands none): as a whole value (a list inserted into a list is flattened, as
  Azure DevOps does) or inside a string (numbers, booleans and strings only, written as Azure
  DevOps writes them: True, False, 180). A whole-value number or boolean keeps its type when
  passed to a template's parameter; written into the pipeline, it becomes a string, as the
  official schema, which has no numbers or booleans, expects every scalar to be. In the
  expressions: `parameters.a.b`, `parameters['a']`, loop variables, 'string', number, true,
  false and null literals, and the functions eq, ne (ignoring the case of strings, as Azure
  DevOps does), and, or, not;
- `${{ if expression }}:` and `${{ each name in expression }}:` as a list item or as a key of
  a mapping (each over a list gives its items; over a mapping, items with .key and .value);
- variables, as a mapping or a list of `name`/`value` and variables templates (`- template:
  path`, a file holding `variables:` only), inlined as a list of `name`/`value`; in template
  expressions, `variables.NAME` is a variable set in YAML on the way down to the expression
  (the pipeline, its stage, its job; templates included from there see them too), as Azure
  DevOps knows them when it compiles the pipeline.

Refused, among others: a variable that is not set in YAML above the expression (one set at
queue time or in a variable group is not known when the pipeline compiles), variable groups,
other functions, else/elseif, `${{ insert }}`, an expression as a mapping key, templates from
another repository or by an absolute path, `extends`, template references inside a
parameter's value, YAML anchors. Runtime expressions, `$(NAME)` and `$[ ... ]`, are left as
they are.
"""
import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

VARIABLES = "variables"
MAX_DEPTH = 20  # "No more than 20 levels of template nesting" (Azure Pipelines' limits)
TEMPLATE_LISTS = ("stages", "jobs", "steps")
PARAMETER_FIELDS = {"name", "type", "default", "values", "displayName"}
# Where Azure DevOps expands no template expression.
NOT_EXPANDED = ("trigger", "pr", "resources", "schedules")
_STRUCTURE_TYPES = {"step": dict, "job": dict, "deployment": dict, "stage": dict,
                    "stepList": list, "jobList": list, "deploymentList": list, "stageList": list}
_SCALAR_TYPES = ("string", "number", "boolean", "object")
_OPEN, _CLOSE = "${{", "}}"
_TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?)"
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[().,\[\]]))")
_IF = re.compile(r"if\s+(?P<condition>.+)", re.DOTALL)
_EACH = re.compile(r"each\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+in\s+(?P<collection>.+)", re.DOTALL)
_LITERALS = {"true": True, "false": False, "null": None}


class TemplateError(ValueError):
    """Template syntax that is wrong, or that this expander does not understand."""


@dataclass(frozen=True)
class _Scope:
    """Where an expression is evaluated: its file, its parameters and loop variables."""
    file: Path
    names: dict = field(default_factory=dict)
    depth: int = 0

    def fail(self, message: str) -> TemplateError:
        """An error naming this scope's file."""
        return TemplateError(f"{self.file}: {message}")

    def with_name(self, name: str, value) -> "_Scope":
        """This scope with a loop variable."""
        if name in ("parameters", VARIABLES):
            raise self.fail(f"a loop variable cannot be called '{name}'")
        return _Scope(self.file, {**self.names, name: value}, self.depth)

    def with_variables(self, values: dict) -> "_Scope":
        """This scope with more variables set in YAML."""
        return _Scope(self.file, {**self.names,
                                  VARIABLES: {**self.names.get(VARIABLES, {}), **values}},
                      self.depth)


def expand_pipeline(path: Path) -> dict:
    """The pipeline in `path` with every template reference and template expression expanded."""
    path = Path(path).resolve()
    root = _Scope(path)
    data = _load(path, root)
    if not isinstance(data, dict):
        raise root.fail("a pipeline is a mapping (trigger:, stages:, ...)")
    if "extends" in data:
        raise root.fail("`extends` templates are not understood by this expander")
    scope = _Scope(path, {"parameters": _bind(data.get("parameters", []), {}, root)})
    expanded = {}
    if VARIABLES in data:
        expanded[VARIABLES], values = _expand_variables(data[VARIABLES], scope)
        scope = scope.with_variables(values)
    for key, value in data.items():
        if key in ("parameters", VARIABLES):
            continue
        if key in NOT_EXPANDED:
            if _has_expression(value):
                raise root.fail(f"Azure DevOps expands no template expression in {key}")
            expanded[key] = copy.deepcopy(value)
        else:
            expanded[key] = _expand(value, scope, key)
    return expanded


def _load(path: Path, scope: _Scope):
    text = path.read_text(encoding="utf-8")
    if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text)):
        raise scope.fail(f"{path.name} uses YAML anchors and aliases, which this expander does "
                         "not understand")
    return yaml.safe_load(text)


# --- parameters ---------------------------------------------------------------------------------

def _bind(declared, given: dict, scope: _Scope) -> dict:
    """{name: value} of the declared parameters for the `given` values, checked."""
    if not isinstance(declared, list):
        raise scope.fail("declare parameters as a list of name and type (the untyped mapping "
                         "form is not understood by this expander)")
    if not isinstance(given, dict):
        raise scope.fail("a template's parameters are a mapping of name: value")
    names = [entry.get("name") if isinstance(entry, dict) else None for entry in declared]
    unexpected = sorted(set(given) - set(names))
    if unexpected:
        raise scope.fail(f"unexpected parameter(s) {', '.join(unexpected)}; the template "
                         f"declares {', '.join(map(str, names)) or 'none'}")
    values = {}
    for entry in declared:
        if not isinstance(entry, dict) or not {"name", "type"} <= set(entry) \
                or set(entry) - PARAMETER_FIELDS:
            raise scope.fail(f"a parameter is declared with name and type (and default, values, "
                             f"displayName), not {entry!r}")
        name = entry["name"]
        if name in given:
            value = given[name]
        elif "default" in entry:
            if _has_expression(entry["default"]) or _has_template(entry["default"]):
                raise scope.fail(f"the default of {name} must be a literal, with no template "
                                 "reference in it")
            value = copy.deepcopy(entry["default"])
        else:
            raise scope.fail(f"parameter {name} is required (it has no default)")
        _check_type(name, entry["type"], value, scope)
        if "values" in entry and _as_text(value) not in map(_as_text, entry["values"]):
            raise scope.fail(f"parameter {name} is {value!r}, not one of {entry['values']}")
        values[name] = value
    return values


def _check_type(name: str, kind: str, value, scope: _Scope) -> None:
    if kind in _STRUCTURE_TYPES:
        wanted = _STRUCTURE_TYPES[kind]
        items = value if wanted is list and isinstance(value, list) else [value]
        if not isinstance(value, wanted) or not all(isinstance(item, dict) for item in items):
            raise scope.fail(f"parameter {name} must be a {kind}, not {value!r}")
    elif kind not in _SCALAR_TYPES:
        raise scope.fail(f"parameter {name}: type {kind} is not understood by this expander")
    elif kind == "string" and not isinstance(value, str):
        raise scope.fail(f"parameter {name} must be a string, not {value!r}: quote it")
    elif kind == "boolean" and not isinstance(value, bool):
        raise scope.fail(f"parameter {name} must be true or false, not {value!r}")
    elif kind == "number" and not _is_number(value):
        raise scope.fail(f"parameter {name} must be a number, not {value!r}")


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


# --- expansion --------------------------------------------------------------------------------

def _expand(node, scope: _Scope, key=None, passed: bool = False):
    """`node`, the value of `key`, expanded. In the values `passed` to a template, a whole-value
    expression keeps its type (a boolean stays a boolean) and no template is referenced."""
    if isinstance(node, dict):
        return _expand_mapping(node, scope, passed)
    if isinstance(node, list):
        return _expand_list(node, scope, None if passed or key not in TEMPLATE_LISTS else key,
                            passed)
    if isinstance(node, str):
        return _expand_string(node, scope, typed=passed)
    return node


def _expand_list(items: list, scope: _Scope, kind: str | None, passed: bool) -> list:
    expanded = []
    for item in items:
        if isinstance(item, dict) and len(item) == 1 and _is_directive(next(iter(item)), scope):
            (directive, body), = item.items()
            for inner in _directive_scopes(directive, scope):
                expanded += _expand_list(body if isinstance(body, list) else [body], inner,
                                         kind, passed)
        elif isinstance(item, dict) and "template" in item:
            if kind is None:
                raise scope.fail(f"template {item['template']}: a template is expanded in a "
                                 "list of stages, jobs or steps only (not in variables or in "
                                 "a parameter's value)")
            expanded += _include(item, scope, kind)
        elif isinstance(item, str) and _whole_expression(item, scope) is not None:
            value = _expand_string(item, scope, typed=passed)
            expanded += value if isinstance(value, list) else [value]
        else:
            expanded.append(_expand(item, scope, passed=passed))
    return expanded


def _expand_mapping(mapping: dict, scope: _Scope, passed: bool) -> dict:
    expanded = {}
    if VARIABLES in mapping and not passed:
        expanded[VARIABLES], values = _expand_variables(mapping[VARIABLES], scope)
        scope = scope.with_variables(values)
    for key, value in mapping.items():
        if key == VARIABLES and not passed:
            continue
        if isinstance(key, str) and _is_directive(key, scope):
            if not isinstance(value, dict):
                raise scope.fail(f"{key} in a mapping must hold a mapping")
            parts = [_expand_mapping(value, inner, passed)
                     for inner in _directive_scopes(key, scope)]
        elif isinstance(key, str) and _OPEN in key:
            raise scope.fail(f"an expression as a mapping key ({key}) is not understood by this "
                             "expander")
        else:
            parts = [{key: _expand(value, scope, key, passed)}]
        for part in parts:
            twice = set(part) & set(expanded)
            if twice:
                raise scope.fail(f"{', '.join(map(str, twice))} set twice in one mapping")
            expanded.update(part)
    return expanded


def _expand_variables(node, scope: _Scope):
    """Variables as written (a mapping) or as a list of name/value with variables templates
    inlined; and {name: value} of them."""
    if isinstance(node, dict):
        expanded = _expand_mapping(node, scope, passed=False)
        return expanded, {str(k): v for k, v in expanded.items()}
    if not isinstance(node, list):
        raise scope.fail(f"variables are a mapping or a list, not {node!r}")
    items, values = [], {}
    for item in node:
        if isinstance(item, dict) and set(item) == {"template"}:
            template, path = _template_file(item["template"], scope)
            if not isinstance(template, dict) or set(template) != {VARIABLES}:
                raise scope.fail(f"variables template {item['template']} holds variables "
                                 "only (no parameters, which this expander does not pass)")
            inner, more = _expand_variables(template[VARIABLES],
                                            _Scope(path, scope.names, scope.depth + 1))
            inner = inner if isinstance(inner, list) else \
                [{"name": k, "value": v} for k, v in inner.items()]
        elif isinstance(item, dict) and set(item) == {"name", "value"}:
            inner = [{"name": item["name"], "value": _expand(item["value"], scope)}]
            more = {str(item["name"]): inner[0]["value"]}
        else:
            raise scope.fail(f"a variable is name and value, or a variables template, not "
                             f"{item!r} (variable groups are not understood by this expander)")
        items += inner
        values.update(more)
        scope = scope.with_variables(more)
    return items, values


def _template_file(reference, scope: _Scope):
    """The loaded template that `reference` names, and its path."""
    name = _expand_string(str(reference), scope)
    if "@" in name or name.startswith("/"):
        raise scope.fail(f"template {name}: only paths relative to the including file are "
                         "understood by this expander (no other repository, no absolute path)")
    if scope.depth >= MAX_DEPTH:
        raise scope.fail(f"template {name}: more than {MAX_DEPTH} levels of templates")
    path = (scope.file.parent / name).resolve()
    if not path.is_file():
        raise scope.fail(f"template {name} does not exist (looked for {path})")
    return _load(path, _Scope(path, depth=scope.depth + 1)), path


def _include(reference: dict, scope: _Scope, kind: str) -> list:
    """The expanded list that a template reference stands for."""
    if set(reference) - {"template", "parameters"}:
        raise scope.fail(f"a template reference holds template and parameters only, not "
                         f"{sorted(set(reference) - {'template', 'parameters'})}")
    name = reference["template"]
    given = _expand(reference.get("parameters") or {}, scope, passed=True)
    template, path = _template_file(name, scope)
    inner = _Scope(path, depth=scope.depth + 1)
    if not isinstance(template, dict) or kind not in template \
            or set(template) - {"parameters", kind}:
        keys = sorted(template) if isinstance(template, dict) else template
        raise scope.fail(f"template {name} is used in a list of {kind}, so it holds parameters "
                         f"and {kind} only, not {keys}")
    inner = _Scope(path, {**{k: v for k, v in scope.names.items() if k == VARIABLES},
                          "parameters": _bind(template.get("parameters", []), given, inner)},
                   scope.depth + 1)
    return _expand_list(template[kind], inner, kind, passed=False)


def _is_directive(key: str, scope: _Scope) -> bool:
    inner = _whole_expression(key, scope)
    return inner is not None and re.match(r"(if|elseif|else|each|insert)\b", inner) is not None


def _directive_scopes(key: str, scope: _Scope) -> list[_Scope]:
    """The scopes in which the body of an if or each directive is expanded: none, one or many."""
    inner = _whole_expression(key, scope)
    if match := _IF.fullmatch(inner):
        return [scope] if _truthy(_evaluate(match["condition"], scope)) else []
    if match := _EACH.fullmatch(inner):
        collection = _evaluate(match["collection"], scope)
        if isinstance(collection, dict):
            collection = [{"key": k, "value": v} for k, v in collection.items()]
        if not isinstance(collection, list):
            raise scope.fail(f"{key}: each loops over a list or a mapping, not {collection!r}")
        return [scope.with_name(match["name"], item) for item in collection]
    raise scope.fail(f"{key} is not understood by this expander (it knows if and each)")


# --- expressions --------------------------------------------------------------------------------

def _expression_spans(text: str, scope: _Scope) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of each ${{ ... }} in `text`; quoted strings may hold '}}'."""
    spans, start = [], text.find(_OPEN)
    while start != -1:
        position, quoted = start + len(_OPEN), False
        while position < len(text) and (quoted or not text.startswith(_CLOSE, position)):
            quoted ^= text[position] == "'"
            position += 1
        if position >= len(text):
            raise scope.fail(f"unterminated template expression in {text!r}")
        spans.append((start, position + len(_CLOSE), text[start + len(_OPEN):position]))
        start = text.find(_OPEN, position + len(_CLOSE))
    return spans


def _whole_expression(text: str, scope: _Scope) -> str | None:
    """The inside of `text` when all of it is one ${{ ... }}, else None."""
    if not (text.startswith(_OPEN) and text.endswith(_CLOSE)):
        return None
    spans = _expression_spans(text, scope)
    return spans[0][2].strip() if len(spans) == 1 and spans[0][1] == len(text) else None


def _expand_string(text: str, scope: _Scope, typed: bool = False):
    """`text` with its expressions' values; a whole-value expression gives its value itself,
    as a string if it is a scalar and not `typed`."""
    spans = _expression_spans(text, scope)
    if len(spans) == 1 and spans[0][:2] == (0, len(text)):
        value = _evaluate(spans[0][2], scope)
        return copy.deepcopy(value) if typed or isinstance(value, (dict, list)) \
            else _as_text(value)
    pieces, end = [], 0
    for start, stop, inner in spans:
        value = _evaluate(inner, scope)
        if isinstance(value, (dict, list)):
            raise scope.fail(f"${{{{{inner}}}}} is a list or a mapping, which cannot be put inside "
                             f"the string {text!r}")
        pieces += [text[end:start], _as_text(value)]
        end = stop
    return "".join(pieces) + text[end:]


def _as_text(value) -> str:
    """A scalar as Azure DevOps writes it into a pipeline: True, False, 180, 1.5, ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _evaluate(text: str, scope: _Scope):
    tokens = _tokens(text, scope)
    value, position = _parse(tokens, 0, scope, text)
    if position != len(tokens):
        raise scope.fail(f"unexpected {tokens[position][1]!r} in ${{{{ {text.strip()} }}}}")
    return value


def _tokens(text: str, scope: _Scope) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        if not match:
            raise scope.fail(f"cannot read ${{{{ {text.strip()} }}}} at {text[position:]!r}")
        kind = match.lastgroup
        tokens.append((kind, match[kind]))
        position = match.end()
    return tokens


def _parse(tokens, position: int, scope: _Scope, text: str):
    """The value of the expression starting at tokens[position], and where it ends."""
    if position >= len(tokens):
        raise scope.fail(f"incomplete expression ${{{{ {text.strip()} }}}}")
    kind, token = tokens[position]
    if kind == "string":
        return token[1:-1].replace("''", "'"), position + 1
    if kind == "number":
        return (float(token) if "." in token else int(token)), position + 1
    if kind != "name":
        raise scope.fail(f"unexpected {token!r} in ${{{{ {text.strip()} }}}}")
    if position + 1 < len(tokens) and tokens[position + 1][1] == "(":
        return _call(token, tokens, position + 2, scope, text)
    if token in _LITERALS:
        return _LITERALS[token], position + 1
    return _reference(token, tokens, position + 1, scope, text)


def _reference(token: str, tokens, position: int, scope: _Scope, text: str):
    """The value of a name and the properties that follow it (parameters.a['b'].c)."""
    if token not in scope.names:
        known = ", ".join(sorted(scope.names))
        reason = (" (no variable is set in YAML above it: a variable set at queue time or in a "
                  "variable group is not known when the pipeline compiles)") \
            if token == VARIABLES else ""
        raise scope.fail(f"unknown name {token} in ${{{{ {text.strip()} }}}}{reason}; known: "
                         f"{known}")
    value, path = scope.names[token], token
    while position < len(tokens) and tokens[position][1] in (".", "["):
        if tokens[position][1] == ".":
            if position + 1 >= len(tokens) or tokens[position + 1][0] != "name":
                raise scope.fail(f"a property name must follow {path}. in {text.strip()}")
            name, position = tokens[position + 1][1], position + 2
        else:
            if position + 2 >= len(tokens) or tokens[position + 1][0] != "string" \
                    or tokens[position + 2][1] != "]":
                raise scope.fail(f"{path}[...] takes a quoted name in {text.strip()}")
            name, position = tokens[position + 1][1][1:-1].replace("''", "'"), position + 3
        if not isinstance(value, dict) or name not in value:
            known = ", ".join(map(str, value)) if isinstance(value, dict) else "none"
            raise scope.fail(f"{path} has no {name} (it has: {known})")
        value, path = value[name], f"{path}.{name}"
    return value, position


def _call(function: str, tokens, position: int, scope: _Scope, text: str):
    arguments = []
    while position < len(tokens) and tokens[position][1] != ")":
        value, position = _parse(tokens, position, scope, text)
        arguments.append(value)
        if position < len(tokens) and tokens[position][1] == ",":
            position += 1
    if position >= len(tokens):
        raise scope.fail(f"missing ) in ${{{{ {text.strip()} }}}}")
    return _apply(function, arguments, scope), position + 1


def _apply(function: str, arguments: list, scope: _Scope):
    counts = {"eq": (2, 2), "ne": (2, 2), "not": (1, 1), "and": (2, None), "or": (2, None)}
    if function not in counts:
        raise scope.fail(f"function {function} is not understood by this expander (it knows "
                         f"{', '.join(counts)})")
    least, most = counts[function]
    if len(arguments) < least or (most is not None and len(arguments) > most):
        raise scope.fail(f"{function} takes {least}{'' if most == least else ' or more'} "
                         f"argument(s), not {len(arguments)}")
    if function in ("eq", "ne"):
        return _equal(*arguments, scope) == (function == "eq")
    if function == "not":
        return not _truthy(arguments[0])
    truths = [_truthy(argument) for argument in arguments]
    return all(truths) if function == "and" else any(truths)


def _equal(left, right, scope: _Scope) -> bool:
    def kind(value):
        return "boolean" if isinstance(value, bool) else "number" \
            if isinstance(value, (int, float)) else type(value).__name__
    if kind(left) != kind(right) or isinstance(left, (dict, list)):
        raise scope.fail(f"eq and ne compare two strings, numbers or booleans here, not "
                         f"{left!r} and {right!r} (Azure DevOps would convert one; convert "
                         "it yourself)")
    if isinstance(left, str):
        return left.casefold() == right.casefold()
    return left == right


def _truthy(value) -> bool:
    """Azure DevOps' truth: null, false, 0 and '' are false; lists and mappings are true."""
    if isinstance(value, (dict, list)):
        return True
    return bool(value)


def _has_template(node) -> bool:
    if isinstance(node, dict):
        return "template" in node or any(map(_has_template, node.values()))
    return isinstance(node, list) and any(map(_has_template, node))


def _has_expression(node) -> bool:
    if isinstance(node, dict):
        return any(_has_expression(k) or _has_expression(v) for k, v in node.items())
    if isinstance(node, list):
        return any(map(_has_expression, node))
    return isinstance(node, str) and _OPEN in node
