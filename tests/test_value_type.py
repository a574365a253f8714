"""``@value_type`` behaves as ``@dataclass(frozen=True, slots=True)`` does."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import ClassVar

import pytest

from gbcs.value_type import value_type


@dataclasses.dataclass(frozen=True, slots=True)
class ReferencePoint:
    x: int
    y: int = 0
    tags: tuple = dataclasses.field(default_factory=tuple)
    note: str = dataclasses.field(default="", compare=False, repr=False)


@value_type
class Point:
    x: int
    y: int = 0
    tags: tuple = dataclasses.field(default_factory=tuple)
    note: str = dataclasses.field(default="", compare=False, repr=False)


@value_type(order=True)
class Version:
    major: int
    minor: int


@value_type
class Checked:
    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")


@value_type
class OwnMethods:
    value: int

    def __repr__(self) -> str:
        return "own"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OwnMethods)


def test_same_behaviour_as_a_frozen_slotted_dataclass() -> None:
    for args, kwargs in [((1,), {}), ((1, 2), {"tags": (3,)}), ((), {"x": 5, "note": "n"})]:
        ours, theirs = Point(*args, **kwargs), ReferencePoint(*args, **kwargs)
        assert repr(ours) == repr(theirs).replace("ReferencePoint", "Point")
        assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)
    assert Point(1, note="a") == Point(1, note="b")
    assert hash(Point(1, note="a")) == hash(Point(1, note="b"))
    assert Point(1) != Point(2)
    assert Point(1) != ReferencePoint(1)
    assert [f.name for f in dataclasses.fields(Point)] == ["x", "y", "tags", "note"]
    assert dataclasses.is_dataclass(Point)
    assert Point.__match_args__ == ("x", "y", "tags", "note")
    assert not hasattr(Point(1), "__dict__")


def test_instances_are_frozen() -> None:
    point = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.x
    with pytest.raises(AttributeError):
        point.other = 1  # type: ignore[attr-defined]
    assert dataclasses.replace(point, y=3) == Point(1, 3)
    assert point == Point(1)


def test_defaults_factories_and_missing_arguments() -> None:
    assert Point(1).tags == () and Point(1).y == 0
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, 2, (), "", 5)  # type: ignore[call-arg]


def test_post_init_runs() -> None:
    with pytest.raises(ValueError, match="negative"):
        Checked(-1)
    assert Checked(1).value == 1


def test_order() -> None:
    assert sorted([Version(1, 2), Version(1, 0), Version(0, 9)]) == [
        Version(0, 9), Version(1, 0), Version(1, 2)]
    assert Version(1, 0) <= Version(1, 0) < Version(1, 1)
    with pytest.raises(TypeError):
        _ = Version(1, 0) < (1, 0)  # type: ignore[operator]


def test_methods_the_class_writes_are_kept() -> None:
    assert repr(OwnMethods(1)) == "own"
    assert OwnMethods(1) == OwnMethods(2)


def test_pickle_and_copy() -> None:
    point = Point(1, 2, (3,), "n")
    for clone in (pickle.loads(pickle.dumps(point)), copy.copy(point), copy.deepcopy(point)):
        assert clone == point and clone.note == "n"


def test_misordered_defaults_fail_at_definition() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b'"):
        @value_type
        class Bad:
            a: int = 0
            b: int


@value_type
class Base:
    KIND: ClassVar[str] = "base"
    a: int


@value_type
class Derived(Base):
    b: int = 2


def test_inherited_fields_come_first_and_class_variables_are_not_fields() -> None:
    assert [f.name for f in dataclasses.fields(Derived)] == ["a", "b"]
    assert Derived(1) == Derived(1, 2) and Derived(1).KIND == "base"
    assert Derived.__match_args__ == ("a", "b")
    assert repr(Derived(1)) == "Derived(a=1, b=2)"
    assert dataclasses.asdict(Derived(1)) == {"a": 1, "b": 2}


def test_mutable_defaults_are_refused_and_names_are_kept() -> None:
    with pytest.raises(ValueError, match="mutable default"):
        @value_type
        class Bad:
            items: list = []

    class Outer:
        @value_type
        class Inner:
            a: int

    assert Outer.Inner.__qualname__.endswith("Outer.Inner")
    assert repr(Outer.Inner(1)).endswith("Outer.Inner(a=1)")


def test_init_takes_keywords_and_names_missing_fields() -> None:
    assert Point(y=2, x=1, tags=(1,)) == Point(1, 2, (1,))
    with pytest.raises(TypeError, match="'x'"):
        Point(y=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        Point(1, z=3)  # type: ignore[call-arg]


def test_default_factories_make_a_fresh_value_each_time() -> None:
    @value_type
    class Bag:
        items: list = dataclasses.field(default_factory=list)

    assert Bag().items == [] and Bag().items is not Bag().items
    assert Bag([1]).items == [1]


def test_classes_of_one_shape_share_a_compiled_init() -> None:
    @value_type
    class First:
        a: int
        b: str = ""

    @value_type
    class Second:
        c: int
        d: str = "x"

    first, second = First(1), Second(2)
    assert (first.a, first.b, second.c, second.d) == (1, "", 2, "x")
    assert First.__init__.__code__.co_code == Second.__init__.__code__.co_code
    assert First.__init__.__code__.co_varnames == ("self", "a", "b")


def test_init_goes_through_a_subclass_property_for_a_field() -> None:
    """``__init__`` sets fields as ``object.__setattr__`` does, so a subclass may turn a
    field into a property (the lazily decoded DER nodes do)."""

    @value_type
    class Node:
        children: tuple = ()

    class Lazy(Node):
        __slots__ = ("seen",)

        @property
        def children(self) -> tuple:  # type: ignore[override]
            return Node.__dict__["children"].__get__(self)

        @children.setter
        def children(self, value: tuple) -> None:
            Node.__dict__["children"].__set__(self, value)
            object.__setattr__(self, "seen", True)

    assert Lazy((1,)).seen and Lazy((1,)).children == (1,)


def test_a_value_type_without_fields() -> None:
    @value_type
    class Empty:
        pass

    assert Empty() == Empty() and repr(Empty()).endswith(".Empty()")
    assert hash(Empty()) == hash(())


def test_fields_named_like_the_init_internals_are_plain_parameters() -> None:
    @value_type
    class Odd:
        _cls: int
        _set0: str = "a"
        _FACTORY: tuple = dataclasses.field(default_factory=tuple)

    odd = Odd(1, _FACTORY=(2,))
    assert (odd._cls, odd._set0, odd._FACTORY) == (1, "a", (2,))


def test_init_false_fields_and_a_field_named_self_are_refused() -> None:
    with pytest.raises(TypeError, match="every field"):
        @value_type
        class Hidden:
            a: int = dataclasses.field(default=0, init=False)

    with pytest.raises(TypeError, match="self"):
        @value_type
        class Selfish:
            self: int
