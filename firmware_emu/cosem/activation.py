"""Which attributes a DLMS activation date-time activates (future-dated commands).

Interface classes with passive values carry the rule themselves: IC 9000 attribute 6
activates value_passive (4) into value_active (2); IC 113 attribute 7 unit_charge_passive
(6) into unit_charge_active (5); IC 20 attribute 10 the passive calendar (6-9) into the
active one (2-5); IC 111 attribute 13 holds back the account mode (2) and the
credit/charge configuration (11) written with it. Catalogues add links between objects
(an activation object that activates another object's passive copy).
"""

from __future__ import annotations

from collections.abc import Iterable

from firmware_emu.cosem.model import ActivationLink, AttributeRef, ObjectSpec

CLASS_ACTIVATION_RULES: dict[int, tuple[int, tuple[tuple[int, int], ...], tuple[int, ...]]] = {
    9000: (6, ((4, 2),), ()),
    113: (7, ((6, 5),), ()),
    20: (10, ((6, 2), (7, 3), (8, 4), (9, 5)), ()),
    111: (13, (), (2, 11)),
}
"""class id -> (activation attribute, (passive, active) copies, deferred attributes)."""


def activation_links(objects: Iterable[ObjectSpec],
                     explicit: Iterable[ActivationLink] = ()) -> list[ActivationLink]:
    """The class rules applied to ``objects`` (where the object has the attributes),
    merged with the catalogue's ``explicit`` links."""
    links: dict[AttributeRef, ActivationLink] = {}
    for item in objects:
        rule = CLASS_ACTIVATION_RULES.get(item.class_id)
        if rule is None or rule[0] not in item.attributes:
            continue
        activation, copies, deferred = rule
        links[item.ref(activation)] = ActivationLink(
            item.ref(activation),
            tuple((item.ref(p), item.ref(a)) for p, a in copies
                  if p in item.attributes and a in item.attributes),
            tuple(item.ref(d) for d in deferred if d in item.attributes))
    for link in explicit:
        known = links.get(link.activation)
        if known is not None:
            link = ActivationLink(link.activation, known.copies + link.copies,
                                  known.deferred + link.deferred)
        links[link.activation] = link
    return list(links.values())
