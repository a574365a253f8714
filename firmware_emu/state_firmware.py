"""The firmware image a device has received and not yet activated (primer §11.10)."""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from datetime import datetime

from firmware_emu.state_codec import (
    InvalidStateError,
    JsonState,
    StateError,
    check_aware,
    check_bytes,
    check_int,
)
from firmware_emu.state_security import COUNTER_MAX

FIRMWARE_VERSION_LENGTH = 4
IMAGE_HASH_LENGTH = 32


class ActivationResponseCode(enum.IntEnum):
    """CS06 responseCode."""

    SUCCESS = 0
    NO_IMAGE_HELD = 1
    HASH_MISMATCH = 2
    ACTIVATION_FAILURE = 3


class FirmwareActivationError(StateError, ValueError):
    """CS06 cannot go ahead; ``response_code`` is what the device answers."""

    def __init__(self, message: str, response_code: ActivationResponseCode) -> None:
        super().__init__(message)
        self.response_code = response_code


@dataclasses.dataclass(slots=True)
class FirmwareStore(JsonState):
    """A pending image with the SHA-256 of its Manufacturer Image, and its activation.

    The image, its hash and its version are present together or not at all.
    """

    pending_image: bytes | None = None
    pending_image_hash: bytes | None = None
    pending_version: bytes | None = None
    activation_at: datetime | None = None
    activation_originator_counter: int | None = None

    def __post_init__(self) -> None:
        parts = (self.pending_image, self.pending_image_hash, self.pending_version)
        if any(part is None for part in parts) and any(part is not None for part in parts):
            raise InvalidStateError("pending_image", "image, hash and version go together")
        if self.pending_image is not None:
            check_bytes(self.pending_image, "pending_image")
            check_bytes(self.pending_image_hash, "pending_image_hash", IMAGE_HASH_LENGTH)
            check_bytes(self.pending_version, "pending_version", FIRMWARE_VERSION_LENGTH)
        if (self.activation_at is None) != (self.activation_originator_counter is None):
            raise InvalidStateError("activation_at", "activation time and originator "
                                                     "counter go together")
        if self.activation_at is not None:
            if self.pending_image is None:
                raise InvalidStateError("activation_at", "activation scheduled without an "
                                                         "image")
            check_aware(self.activation_at, "activation_at")
            check_int(self.activation_originator_counter, "activation_originator_counter",
                      0, COUNTER_MAX)

    def receive(self, image: bytes, manufacturer_image: bytes, version: bytes) -> bytes:
        """Hold ``image`` (replacing any pending one); return the Manufacturer Image hash.

        ``manufacturer_image`` is the part of ``image`` the hash covers (the bytes after
        the OTA header; the caller parses the OTA file).
        """
        check_bytes(image, "image")
        check_bytes(manufacturer_image, "manufacturer image")
        if manufacturer_image not in image:
            raise InvalidStateError("manufacturer image", "not part of the image")
        check_bytes(version, "firmware version", FIRMWARE_VERSION_LENGTH)
        digest = hashlib.sha256(manufacturer_image).digest()
        self.pending_image, self.pending_image_hash, self.pending_version = (
            image, digest, version)
        self.activation_at = self.activation_originator_counter = None
        return digest

    def check_image(self, image_hash: bytes) -> bytes:
        """The pending version if ``image_hash`` names the pending image (CS06 checks)."""
        if self.pending_image is None or self.pending_version is None:
            raise FirmwareActivationError("no firmware image is held",
                                          ActivationResponseCode.NO_IMAGE_HELD)
        if image_hash != self.pending_image_hash:
            raise FirmwareActivationError(
                "the activation hash does not match the held image",
                ActivationResponseCode.HASH_MISMATCH)
        return self.pending_version

    def schedule_activation(self, image_hash: bytes, at: datetime,
                            originator_counter: int) -> None:
        self.check_image(image_hash)
        check_aware(at, "activation time")
        check_int(originator_counter, "originator counter", 0, COUNTER_MAX)
        self.activation_at, self.activation_originator_counter = at, originator_counter

    def cancel_activation(self) -> None:
        self.activation_at = self.activation_originator_counter = None

    def activate(self, image_hash: bytes) -> bytes:
        """Consume the pending image and return the version now running."""
        version = self.check_image(image_hash)
        self.pending_image = self.pending_image_hash = self.pending_version = None
        self.cancel_activation()
        return version
