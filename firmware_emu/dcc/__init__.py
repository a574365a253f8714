"""The DCC side of the harness at the DUIS layer: service requests and what the DCC does with them.

Modules, from the bottom up:

* :mod:`.roles` - user roles, EUI-64 identifiers, the user directory, SRV eligibility and
  the CTSD mandatory-test matrix;
* :mod:`.inventory` - the Smart Metering Inventory (device records, SMI statuses, JSON);
* :mod:`.srv_catalogue` - every SRV with its targets, command variants, future dating,
  GBCS use cases and data items;
* :mod:`.response_codes` - DUIS response codes and the order the DCC checks them in;
* :mod:`.subghz_rules` - SRV 6.28 channel pages, mask words and validation;
* :mod:`.service_request` - the request model and its TOML file format;
* :mod:`.validation` - the DCC's checks on a request, giving the response code;
* :mod:`.dcc_alerts` - DCC alert codes and what raises them.

Every error raised on bad input derives from :class:`DccInputError` and carries a
one-line message.
"""

from firmware_emu.dcc.inventory import DeviceRecord, DeviceType, Inventory, SmiStatus
from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.roles import DccInputError, UserDirectory, UserRole
from firmware_emu.dcc.service_request import ServiceRequest, load_request_file, load_requests
from firmware_emu.dcc.srv_catalogue import SRV_CATALOGUE, CommandVariant, get_srv
from firmware_emu.dcc.validation import DccValidator, ValidationOutcome

__all__ = [
    "SRV_CATALOGUE",
    "CommandVariant",
    "DccInputError",
    "DccValidator",
    "DeviceRecord",
    "DeviceType",
    "Inventory",
    "ResponseCode",
    "ServiceRequest",
    "SmiStatus",
    "UserDirectory",
    "UserRole",
    "ValidationOutcome",
    "get_srv",
    "load_request_file",
    "load_requests",
]
