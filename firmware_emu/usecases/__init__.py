"""Use-case handlers of the emulated devices, listed as registry rows by each module."""
