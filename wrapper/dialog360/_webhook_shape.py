"""Checking parsed JSON against a generated webhook model before the model is built from it.

The generated `from_dict` copies whatever it is given: a number where a string belongs stays a
number, a list of two-letter strings turns into an object, a missing key is a raw KeyError. The
rules here are read from the generated classes themselves (their attrs fields and type hints),
so they follow the spec overlay without a second, hand-written copy of the schema. Unknown keys
are allowed: the models keep them as additional properties.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from typing import Any

import attrs
import dialog360_api.models
from dialog360_api.types import Unset

from ._errors import WebhookError

Check = Callable[[Any, str], None]


def check_shape(model: type, document: Any) -> None:
    """WebhookError naming the first place where `document` does not fit `model`."""
    _model_check(model)(document, "")


@functools.cache
def _models_namespace() -> dict[str, Any]:
    # The models package imports each model on first use: resolving the models' references to
    # one another needs them all, so they are loaded here, once.
    return {name: getattr(dialog360_api.models, name) for name in dialog360_api.models.__all__}


@functools.cache
def _model_check(model: type) -> Check:
    hints = typing.get_type_hints(model, localns=_models_namespace())
    fields: list[tuple[str, bool, Check]] = []
    for field in attrs.fields(model):
        if field.name == "additional_properties":
            continue
        annotation = hints[field.name]
        members = typing.get_args(annotation) if _is_union(annotation) else (annotation,)
        required = Unset not in members
        (kind,) = [member for member in members if member is not Unset]
        # openapi-python-client appends "_" to a name that is a Python keyword or builtin
        # ("from" -> from_, "type" -> type_); the JSON key is the name without it.
        fields.append((field.name.removesuffix("_"), required, _checker(kind)))

    def check(value: Any, path: str) -> None:
        if not isinstance(value, dict):
            _refuse(path, "an object", value)
        for key, required, check_value in fields:
            if key in value:
                check_value(value[key], f"{path}.{key}" if path else key)
            elif required:
                raise WebhookError(f"{_where(path)}: {key!r} is missing")

    return check


def _checker(kind: Any) -> Check:
    if kind is str:
        return _scalar(str, "a string")
    if kind is bool:
        return _scalar(bool, "true or false")
    if kind is int:
        return _scalar(int, "a whole number")
    if kind is float:
        return _number
    if typing.get_origin(kind) is list:
        (item,) = typing.get_args(kind)
        return _array(_checker(item))
    if attrs.has(kind):
        return _deferred(kind)
    raise TypeError(f"no JSON check for the generated annotation {kind!r}")


def _deferred(model: type) -> Check:
    # Built on first use: the models refer to each other, and a table is built once per model.
    return lambda value, path: _model_check(model)(value, path)


def _scalar(kind: type, expected: str) -> Check:
    def check(value: Any, path: str) -> None:
        # type() is: a bool is an int to isinstance, and true is not a count.
        if type(value) is not kind:
            _refuse(path, expected, value)

    return check


def _number(value: Any, path: str) -> None:
    if type(value) not in (int, float):
        _refuse(path, "a number", value)


def _array(check_item: Check) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, list):
            _refuse(path, "an array", value)
        for index, item in enumerate(value):
            check_item(item, f"{path}[{index}]")

    return check


def _is_union(annotation: Any) -> bool:
    return isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union


_KINDS = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", None: "null"}


def _refuse(path: str, expected: str, value: Any) -> typing.NoReturn:
    # The kind of value only: the value itself is the sender's and may be anything.
    found = _KINDS.get(None if value is None else type(value), "a number")
    raise WebhookError(f"{_where(path)}: expected {expected}, got {found}")


def _where(path: str) -> str:
    return f"the webhook's {path}" if path else "the webhook body"
