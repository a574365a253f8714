"""COSEM names: the interface classes and GBCS objects of the primer (§8.2.5-§8.2.8, §11).

Only dissectors and emulators need these tables; :mod:`gbcs.dlms.cosem` (which the
codecs import) loads this module the first time one of its names is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from types import MappingProxyType

from gbcs.dlms.cosem import ObisCode
from gbcs.value_type import value_type

# =====================================================================================
# Interface classes
# =====================================================================================


@value_type
class InterfaceClass:
    """A COSEM interface class with the attribute and method names GBCS uses."""

    class_id: int
    name: str
    attributes: Mapping[int, str] = field(default_factory=dict)
    methods: Mapping[int, str] = field(default_factory=dict)

    def attribute_name(self, attribute_id: int) -> str:
        """The attribute's name, ``""`` when not known here."""
        if attribute_id == 1:
            return "logical_name"
        return self.attributes.get(attribute_id, "")

    def method_name(self, method_id: int) -> str:
        """The method's name, ``""`` when not known here."""
        return self.methods.get(method_id, "")


def _interface_classes(*classes: InterfaceClass) -> Mapping[int, InterfaceClass]:
    return MappingProxyType({cls.class_id: cls for cls in classes})


INTERFACE_CLASSES: Mapping[int, InterfaceClass] = _interface_classes(
    InterfaceClass(1, "Data", {2: "value"}),
    InterfaceClass(3, "Register", {2: "value", 3: "scaler_unit"}, {1: "reset"}),
    InterfaceClass(4, "Extended Register",
                   {2: "value", 3: "scaler_unit", 4: "status", 5: "capture_time"},
                   {1: "reset"}),
    InterfaceClass(5, "Demand Register"),
    InterfaceClass(7, "Profile Generic",
                   {2: "buffer", 3: "capture_objects", 4: "capture_period", 5: "sort_method",
                    6: "sort_object", 7: "entries_in_use", 8: "profile_entries"},
                   {1: "reset", 2: "capture"}),
    InterfaceClass(8, "Clock", {2: "time", 3: "time_zone", 4: "status"}),
    InterfaceClass(9, "Script Table", {2: "scripts"}, {1: "execute"}),
    InterfaceClass(10, "Schedule", {2: "entries"}),
    InterfaceClass(11, "Special Days Table", {2: "entries"}),
    InterfaceClass(15, "Association LN"),
    InterfaceClass(18, "Image Transfer"),
    InterfaceClass(20, "Activity Calendar", {}, {1: "activate_passive_calendar"}),
    InterfaceClass(21, "Register Monitor",
                   {2: "thresholds", 3: "monitored_value", 4: "actions"}),
    InterfaceClass(22, "Single Action Schedule",
                   {2: "executed_script", 3: "type", 4: "execution_time"}),
    InterfaceClass(30, "Data Protection",
                   {2: "protection_buffer", 3: "protection_object_list",
                    4: "protection_parameters_get", 5: "protection_parameters_set",
                    6: "required_protection"},
                   {1: "get_protected_attributes", 2: "set_protected_attributes",
                    3: "invoke_protected_method"}),
    InterfaceClass(64, "Security Setup"),
    InterfaceClass(70, "Disconnect Control",
                   {2: "output_state", 3: "control_state", 4: "control_mode"},
                   {1: "remote_disconnect", 2: "remote_reconnect"}),
    InterfaceClass(71, "Limiter"),
    InterfaceClass(104, "ZigBee Network Control",
                   {2: "enable_disable_joining", 3: "join_timeout", 4: "active_devices"},
                   {1: "register_device", 2: "unregister_device", 4: "backup_PAN",
                    5: "restore_PAN"}),
    InterfaceClass(111, "Account"),
    InterfaceClass(112, "Credit"),
    InterfaceClass(113, "Charge"),
    InterfaceClass(115, "Token Gateway", {}, {1: "enter"}),
    InterfaceClass(9000, "GBCS Extended Data"),
)
"""COSEM interface classes seen in GBCS by class id (primer §8.2.8)."""


def interface_class(class_id: int) -> InterfaceClass:
    """The class by id; unknown ids get a placeholder named ``class <id>``."""
    known = INTERFACE_CLASSES.get(class_id)
    return known if known is not None else InterfaceClass(class_id, f"class {class_id}")


def class_name(class_id: int) -> str:
    return interface_class(class_id).name


# =====================================================================================
# GBCS objects
# =====================================================================================


@value_type
class CosemObject:
    """One GBCS COSEM object; ``use`` names the use cases that reach it."""

    class_id: int
    logical_name: ObisCode
    name: str
    use: str = ""

    @property
    def interface(self) -> InterfaceClass:
        return interface_class(self.class_id)

    def __str__(self) -> str:
        return f"{self.logical_name} {self.name} ({self.interface.name})"


def _objects(*rows: tuple[int, str, str, str]) -> Mapping[tuple[int, ObisCode], CosemObject]:
    table = {}
    for class_id, text, name, use in rows:
        item = CosemObject(class_id, ObisCode.parse(text), name, use)
        table[class_id, item.logical_name] = item
    return MappingProxyType(table)


_PROTECTED_READS = (  # IC 30 objects 0-0:43.2.x.255 (primer §8.2.6, §8.2.8, §9)
    (1, "ECS19", "Read ESME Prepayment Registers"),
    (2, "ECS20c", "Read ESME Billing Data Log (billing calendar triggered)"),
    (3, "ECS20b", "Read ESME Billing Data Log (change of mode / tariff triggered)"),
    (4, "ECS66", "Read ESME Daily Consumption Log"),
    (5, "ECS21a", "Read Electricity Daily Read Log"),
    (6, "ECS21b", "Read Electricity (Prepayment) Daily Read Log"),
    (7, "ECS22b", "Read Electricity Half Hour Profile Data (active import)"),
    (8, "ECS17b", "Read ESME Energy Registers (Import Energy)"),
    (9, "ECS17d", "Read ESME Energy Register (TOU)"),
    (10, "ECS17e", "Read ESME Energy Register (TOU with Blocks)"),
)

COSEM_OBJECTS: Mapping[tuple[int, ObisCode], CosemObject] = _objects(
    (1, "0-0:0.2.1.255", "Firmware version", "ECS52"),
    (1, "0-0:96.1.1.255", "Device identifier", "CH identity, ECS26i"),
    (1, "0-0:96.1.4.255", "Model type", "CH identity, ECS26i/ECS26n"),
    (1, "0-0:96.1.6.255", "Manufacturer identifier", "CH identity, ECS26i/ECS26n"),
    (1, "0-0:94.44.10.0", "Sub GHz configuration", "DBCH03/DBCH04/DBCH09"),
    (1, "0-0:94.44.10.1", "Sub GHz channel scan request", "DBCH05"),
    (1, "0-0:94.44.10.2", "Sub GHz operating channel", "DBCH01"),
    (7, "0-0:94.44.10.3", "Sub GHz channel log", "DBCH02"),
    (1, "0-0:94.44.100.255", "UTC time (range restricting object)", "selective access"),
    (7, "0-0:99.98.0.255", "Event log", "ECS35c"),
    (7, "0-0:99.98.1.255", "Security log", "ECS35d"),
    (9, "0-0:10.0.106.255", "Disconnect control scripts", "ECS42"),
    (9, "0-0:10.0.100.255", "Tariff block counter reset scripts", ""),
    (20, "0-0:13.0.0.255", "Tariff switching table", ""),
    (20, "0-0:13.0.1.255", "Tariff switching table 2", ""),
    *((21, f"0-0:16.1.{10 + block}.255", f"Block thresholds {block}", "")
      for block in range(1, 9)),
    *((30, f"0-0:43.2.{index}.255", f"Protected read {use_case}", f"{use_case} {title}")
      for index, use_case, title in _PROTECTED_READS),
    (104, "0-0:30.3.0.255", "CHF Device Log", "CCS01-CCS07, CS14"),
    (104, "0-0:30.3.1.255", "CHF Historic Device Log", "CCS07"),
    (115, "0-0:19.40.0.255", "UTRN entry", "CS01a"),
)
"""The GBCS COSEM objects named in the primer, by ``(class id, logical name)``."""


def cosem_object(class_id: int, logical_name: ObisCode) -> CosemObject | None:
    return COSEM_OBJECTS.get((class_id, logical_name))


def describe_object(class_id: int, logical_name: ObisCode) -> str:
    """``"0-0:30.3.0.255 CHF Device Log (ZigBee Network Control)"``; unknown objects
    get just the OBIS code and class name."""
    known = cosem_object(class_id, logical_name)
    if known is not None:
        return str(known)
    return f"{logical_name} ({class_name(class_id)})"


def describe_attribute(class_id: int, logical_name: ObisCode, attribute_id: int) -> str:
    name = interface_class(class_id).attribute_name(attribute_id)
    text = f"{describe_object(class_id, logical_name)} attribute {attribute_id}"
    return f"{text} {name}" if name else text


def describe_method(class_id: int, logical_name: ObisCode, method_id: int) -> str:
    name = interface_class(class_id).method_name(method_id)
    text = f"{describe_object(class_id, logical_name)} method {method_id}"
    return f"{text} {name}" if name else text
