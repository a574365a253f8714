"""The ZCL device model of the GBZ devices (GSME, GPF; PPMID commands to the GSME).

:mod:`~firmware_emu.zcl.model` is the attribute model over typed state (catalogues in
``catalogue_*``), :mod:`~firmware_emu.zcl.processor` answers GBZ commands component by
component with the ``handlers_*`` tables, :mod:`~firmware_emu.zcl.future_dated` defers
and later runs future-dated commands, :mod:`~firmware_emu.zcl.history` keeps the logs
(snapshots, samples, top-ups, debt collections), :mod:`~firmware_emu.zcl.gbz_alerts`
builds GBZ alerts and :mod:`~firmware_emu.zcl.usecases` registers it all.
"""
