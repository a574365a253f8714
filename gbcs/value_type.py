"""``@value_type``: the codec's frozen, slotted value classes, cheap to define.

It stands for ``@dataclass(frozen=True, slots=True)`` and gives the same class: a
dataclass to the ``dataclasses`` functions (``fields``, ``replace``, ``asdict``,
``is_dataclass``), immutable, slotted, with field-wise equality, hashing, optional
ordering and the dataclass ``repr``.

Why not ``dataclass`` itself: on Python 3.11 it compiles six methods per frozen class
when the class is defined, about a millisecond each, and inspects every annotation
string three times. The codec defines some hundred payload types, so that was a quarter
of a whole ``gbcs verify`` run over the RTDS. Here the methods are shared closures over
the class's field names, and ``__init__`` is made when the class is first instantiated,
from a body compiled once per shape of class (see ``_TEMPLATES``). The one private name
used, ``dataclasses._FIELD``, marks the ``Field`` objects as fields; the tests check
the result against ``dataclass``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from types import CodeType, FunctionType
from typing import Any, ClassVar, TypeVar, get_origin

T = TypeVar("T", bound=type)

_object_setattr = object.__setattr__
_FIELD = dataclasses._FIELD  # type: ignore[attr-defined]  # marks a field, not a ClassVar


def value_type(
    cls: T | None = None, /, *, eq: bool = True, repr: bool = True, order: bool = False,
) -> T | Callable[[T], T]:
    """Decorate a class as a frozen slotted dataclass (see the module docstring).

    ``eq=False`` keeps the class's own ``__eq__``/``__hash__``; ``repr=False`` its own
    ``__repr__``; ``order=True`` adds ``<``, ``<=``, ``>``, ``>=`` over the compared fields.
    """

    def wrap(cls: T) -> T:
        return _define(cls, eq=eq, show=repr, order=order)

    return wrap if cls is None else wrap(cls)


def _define(cls: T, *, eq: bool, show: bool, order: bool) -> T:
    fields = _collect_fields(cls)
    _check_fields(cls, fields)
    names = tuple(f.name for f in fields)
    cls = _with_slots(cls, fields)

    own = cls.__dict__
    cls.__init__ = _deferred_init(cls, fields)
    cls.__setattr__ = _frozen_setattr
    cls.__delattr__ = _frozen_delattr
    if "__getstate__" not in own and "__setstate__" not in own:
        cls.__getstate__, cls.__setstate__ = _state_methods(names)
    # Like dataclass: methods the class writes itself are kept.
    if show and "__repr__" not in own:
        cls.__repr__ = _repr_method(tuple(f.name for f in fields if f.repr))
    compared = tuple(f.name for f in fields if f.compare)
    key = attrgetter(*compared) if compared else (lambda _self: ())
    if eq:
        equals, hashes = _equality_methods(key)
        if "__eq__" not in own:
            cls.__eq__ = equals
        if own.get("__hash__") is None:  # None: Python's for a class that writes __eq__
            cls.__hash__ = hashes
    if order:
        for name, method in _order_methods(key).items():
            if name not in own:
                setattr(cls, name, method)
    return cls


# =====================================================================================
# The class: fields as dataclasses keeps them, slots
# =====================================================================================


def _is_class_variable(annotation: object) -> bool:
    if isinstance(annotation, str):  # ``from __future__ import annotations``
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or get_origin(annotation) is ClassVar


def _collect_fields(cls: type) -> tuple[dataclasses.Field, ...]:
    """The fields of the value-type bases, then the class's own annotated names, as the
    ``dataclasses.Field`` objects ``dataclasses.fields()`` and ``replace()`` read."""
    inherited: dict[str, dataclasses.Field] = {}
    for base in reversed(cls.__mro__[1:]):
        inherited.update(getattr(base, "__dataclass_fields__", {}))
    own = cls.__dict__
    for name, annotation in own.get("__annotations__", {}).items():
        if _is_class_variable(annotation):
            continue
        default = own.get(name, dataclasses.MISSING)
        f = default if isinstance(default, dataclasses.Field) else dataclasses.field(
            default=default)
        if f.default is not dataclasses.MISSING and type(f.default).__hash__ is None:
            raise ValueError(f"{cls.__name__}.{name}: mutable default "
                             f"{type(f.default).__name__} is not allowed: use default_factory")
        f.name, f.type = name, annotation
        f._field_type = _FIELD  # what dataclasses.fields() selects on
        inherited[name] = f
    return tuple(inherited.values())


def _with_slots(cls: T, fields: tuple[dataclasses.Field, ...]) -> T:
    """The class made again with a slot per new field (a class's slots are fixed when it
    is made) and the dataclass attributes."""
    inherited = {name for base in cls.__mro__[1:]
                 for name in getattr(base, "__dataclass_fields__", {})}
    new_names = tuple(f.name for f in fields if f.name not in inherited)
    namespace = {key: value for key, value in cls.__dict__.items()
                 if key not in new_names and key not in ("__dict__", "__weakref__")}
    namespace["__slots__"] = new_names
    namespace["__dataclass_fields__"] = {f.name: f for f in fields}
    namespace["__match_args__"] = tuple(f.name for f in fields if f.init)
    if not namespace.get("__doc__"):
        namespace["__doc__"] = f"{cls.__name__}({', '.join(f.name for f in fields)})"
    new = type(cls)(cls.__name__, cls.__bases__, namespace)
    new.__qualname__ = cls.__qualname__
    return new


def _check_fields(cls: type, fields: tuple[dataclasses.Field, ...]) -> None:
    """What ``dataclass`` checks when it compiles ``__init__``, checked at definition, and
    what value types leave out: ``init=False`` fields and a field named ``self``."""
    seen_default = False
    for f in fields:
        if not f.init or f.name == "self":
            raise TypeError(f"{cls.__name__}.{f.name}: value types take every field, "
                            "other than one named self, as an __init__ parameter")
        has_default = (f.default is not dataclasses.MISSING
                       or f.default_factory is not dataclasses.MISSING)
        if seen_default and not has_default:
            raise TypeError(f"{cls.__name__}: non-default argument {f.name!r} follows "
                            "default argument")
        seen_default |= has_default


# =====================================================================================
# __init__, compiled on first use
# =====================================================================================

_FACTORY = object()
"""Default of a parameter whose field has a ``default_factory``."""


def _deferred_init(cls: type, fields: tuple[dataclasses.Field, ...]) -> Callable[..., None]:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _make_init(cls, fields)
        cls.__init__ = init
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


_TEMPLATES: dict[tuple[tuple[bool, ...], bool], CodeType] = {}
"""Compiled ``__init__`` bodies by shape: which fields have a default factory, and whether
``__post_init__`` is called. The parameters get the field names with ``CodeType.replace``,
so a class costs a compile only if its shape is new (compiling is ~0.1 ms, replacing
~1 us).

An instance of the class itself has field ``i`` stored through its slot's ``__set__``
(``_set{i}``), a third faster than ``object.__setattr__`` (the codec makes thousands of
value types a run); an instance of a subclass goes through ``object.__setattr__``
(``_by_name``) because the subclass may have made a field a property."""


def _template(shape: tuple[tuple[bool, ...], bool]) -> CodeType:
    factories, post_init = shape
    values = [f"_factory{i}() if p{i} is _FACTORY else p{i}" if factory else f"p{i}"
              for i, factory in enumerate(factories)]
    lines = ["    if self.__class__ is _cls:",
             *(f"        _set{i}(self, {value})" for i, value in enumerate(values)),
             "    else:",
             f"        _by_name(self, ({''.join(value + ', ' for value in values)}))",
             ] if values else ["    pass"]
    if post_init:
        lines.append("    self.__post_init__()")
    params = ", ".join(["self", *(f"p{i}" for i in range(len(factories)))])
    namespace: dict[str, Any] = {}
    exec(f"def __init__({params}):\n" + "\n".join(lines), namespace)
    return namespace["__init__"].__code__


def _make_init(cls: type, fields: tuple[dataclasses.Field, ...]) -> Callable[..., None]:
    names = tuple(f.name for f in fields)
    factories = tuple(f.default_factory is not dataclasses.MISSING for f in fields)
    shape = (factories, hasattr(cls, "__post_init__"))
    template = _TEMPLATES.get(shape) or _TEMPLATES.setdefault(shape, _template(shape))

    def by_name(self: Any, values: tuple[Any, ...]) -> None:
        for name, value in zip(names, values, strict=True):
            _object_setattr(self, name, value)

    namespace: dict[str, Any] = {"_cls": cls, "_by_name": by_name, "_FACTORY": _FACTORY}
    defaults = []
    for index, f in enumerate(fields):
        namespace[f"_set{index}"] = getattr(cls, f.name).__set__  # the slot's descriptor
        if f.default is not dataclasses.MISSING:
            defaults.append(f.default)
        elif factories[index]:
            namespace[f"_factory{index}"] = f.default_factory
            defaults.append(_FACTORY)
    code = template.replace(co_varnames=("self", *names))
    init = FunctionType(code, namespace, "__init__", tuple(defaults) or None)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


# =====================================================================================
# Shared methods
# =====================================================================================


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _state_methods(names: tuple[str, ...]) -> tuple[Callable, Callable]:
    """Pickling and ``copy`` restore slots with ``setattr``, which a frozen class refuses."""

    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, name) for name in names]

    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=True):
            _object_setattr(self, name, value)

    return __getstate__, __setstate__


def _repr_method(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _equality_methods(key: Callable[[Any], Any]) -> tuple[Callable, Callable]:
    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(key(self))

    return __eq__, __hash__


def _order_methods(key: Callable[[Any], Any]) -> dict[str, Callable]:
    def compare(test: Callable[[Any, Any], bool]) -> Callable:
        def method(self: Any, other: object) -> bool:
            if other.__class__ is self.__class__:
                return test(key(self), key(other))
            return NotImplemented

        return method

    return {"__lt__": compare(lambda a, b: a < b), "__le__": compare(lambda a, b: a <= b),
            "__gt__": compare(lambda a, b: a > b), "__ge__": compare(lambda a, b: a >= b)}
