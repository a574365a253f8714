"""A test session: the DCC (PKI, SMI, validator, service) in front of a rack, ready to run.

The DCC starts as it is when a communications hub has just been installed for the
region: the CHF is Commissioned and registered to the suppliers the scenarios send as,
its GPF is InstalledNotCommissioned, and no other device is known until a 12.2
pre-notifies it. The PKI holds every user the scenarios (and their setups) name, so a
user meant to be refused for lack of registration (E4) is still a known DCC user.

A rack that keeps its devices' state (``state = "premises.sqlite"`` in the rack file)
gets the DCC's side kept beside it (``premises.sqlite.pki/``, ``.smi.json``,
``.dcc.json``): the devices trust the same parties, and the SMI, originator counters and
device-log backups carry on, in the next session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from firmware_emu.clock import Clock
from firmware_emu.dcc.inventory import (
    DeviceRecord,
    DeviceType,
    GbcsVersion,
    Inventory,
    SmiStatus,
)
from firmware_emu.dcc.pki import DEFAULT_USER_IDS, DccPki, PkiUser, default_users
from firmware_emu.dcc.rack import Rack, RackSpec, open_rack
from firmware_emu.dcc.roles import UserRole
from firmware_emu.dcc.service import DccService
from firmware_emu.dcc.service_records import DccState
from firmware_emu.dcc.validation import DccValidator
from firmware_emu.registry import Registry
from firmware_emu.scenarios.loader import find_scenario
from firmware_emu.scenarios.model import Scenario, ScenarioError, UserSpec
from firmware_emu.scenarios.runner import Echo, ScenarioRunner

HUB_INSTALLER_ROLES = (UserRole.IMPORT_SUPPLIER, UserRole.GAS_SUPPLIER)


def with_setups(scenarios: Iterable[Scenario], load: Callable[[str], Scenario] = find_scenario
                ) -> list[Scenario]:
    """``scenarios`` and, recursively, the scenarios their ``setup`` names."""
    found: dict[str, Scenario] = {}
    pending = list(scenarios)
    while pending:
        scenario = pending.pop()
        if scenario.name in found:
            continue
        found[scenario.name] = scenario
        pending.extend(load(name) for name in scenario.setup if name not in found)
    return list(found.values())


def _user_id(user: UserSpec) -> str:
    return user.user_id or DEFAULT_USER_IDS[user.role]


def session_users(scenarios: Iterable[Scenario]) -> tuple[list[PkiUser], dict[UserRole, str]]:
    """The PKI users (defaults plus every scenario user) and the registered user per role."""
    users = list(default_users())
    party_of = {user.role: user.party for user in users}
    registered = {role: user_id for role, user_id in DEFAULT_USER_IDS.items()}
    known = {(user.user_id, user.role) for user in users}
    for scenario in scenarios:
        for spec in (scenario.user, *scenario.users.values()):
            key = (_user_id(spec), spec.role)
            if spec.registered:
                registered[spec.role] = key[0]
            if key not in known:
                known.add(key)
                users.append(PkiUser(key[0], spec.role, party_of.get(spec.role)))
    return users, registered


def _gbcs_version(rack: Rack, eui: str) -> GbcsVersion | None:
    premises = getattr(rack, "premises", None)  # an emulated rack: its devices say
    if premises is None:
        return None
    device = premises.devices.get(bytes.fromhex(eui.replace("-", "")))
    try:
        return GbcsVersion(device.state.identity.gbcs_version)
    except (AttributeError, ValueError):
        return None


def _dual_band(rack: Rack, eui: str) -> bool:
    premises = getattr(rack, "premises", None)
    device = None if premises is None else premises.devices.get(
        bytes.fromhex(eui.replace("-", "")))
    return bool(device is not None and device.state.identity.variant.dual_band)


def new_hub_inventory(rack: Rack, registered: dict[UserRole, str]) -> Inventory:
    """The SMI of a freshly installed communications hub (see the module docstring)."""
    devices = rack.device_euis_by_type()
    chfs = devices.get(DeviceType.CHF, ())
    if len(chfs) != 1:
        raise ScenarioError(f"the rack must hold exactly one CHF, not {len(chfs)}")
    (chf,) = chfs
    installers = {role: registered[role] for role in HUB_INSTALLER_ROLES if role in registered}
    records = [DeviceRecord(chf, DeviceType.CHF, SmiStatus.COMMISSIONED,
                            gbcs_version=_gbcs_version(rack, chf),
                            dual_band=_dual_band(rack, chf), registrations=installers)]
    records.extend(DeviceRecord(gpf, DeviceType.GPF, SmiStatus.INSTALLED_NOT_COMMISSIONED,
                                gbcs_version=_gbcs_version(rack, gpf), chf_id=chf)
                   for gpf in devices.get(DeviceType.GPF, ()))
    return Inventory(records)


@dataclass(frozen=True, slots=True)
class DccFiles:
    """Where the DCC's side of a rack with stored device state is kept."""

    pki: Path
    smi: Path
    state: Path

    @classmethod
    def beside(cls, device_state: Path) -> DccFiles:
        return cls(*(device_state.with_name(device_state.name + suffix)
                     for suffix in (".pki", ".smi.json", ".dcc.json")))

    def pki_for(self, users: list[PkiUser]) -> DccPki:
        stored = DccPki.load_or_generate(self.pki)
        return DccPki(stored.authority, stored.parties.values(), users, stored.keys)

    def inventory(self) -> Inventory | None:
        """The SMI kept by the last session, if there was one."""
        try:
            return Inventory.from_json(self.smi.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except OSError as error:
            raise ScenarioError(f"{self.smi}: cannot read: {error.strerror}") from None

    def save(self, service: DccService) -> None:
        try:
            self.smi.write_text(service.inventory.to_json(), encoding="utf-8")
            service.state.save(self.state)
        except OSError as error:
            raise ScenarioError(f"cannot keep the DCC state beside the rack: {error}") from None


@dataclass
class Session:
    pki: DccPki
    rack: Rack
    service: DccService
    runner: ScenarioRunner
    files: DccFiles | None = None

    async def run(self, scenarios: Sequence[Scenario]):
        return await self.runner.run_all(scenarios)

    async def close(self) -> None:
        if self.files is not None:
            self.files.save(self.service)
        await self.rack.close()


async def open_session(scenarios: Sequence[Scenario], *, rack: RackSpec | None = None,
                       echo: Echo | None = None, registry: Registry | None = None,
                       clock: Clock | None = None,
                       load: Callable[[str], Scenario] = find_scenario) -> Session:
    """A DCC and a rack (emulated unless ``rack`` says otherwise) for ``scenarios``."""
    users, registered = session_users(with_setups(scenarios, load))
    spec = rack or RackSpec()
    files = None if spec.state is None else DccFiles.beside(spec.state)
    pki = DccPki.generate(users=users) if files is None else files.pki_for(users)
    opened = await open_rack(spec, pki, registry=registry, clock=clock)
    try:
        inventory = (None if files is None else files.inventory()) \
            or new_hub_inventory(opened, registered)
        state = DccState.load(files.state) if files and files.state.is_file() else None
    except BaseException:
        await opened.close()
        raise
    service = DccService(pki, inventory, DccValidator(inventory, pki.user_directory()), opened,
                         state=state)
    return Session(pki, opened, service, ScenarioRunner(service, echo=echo, load=load), files)
