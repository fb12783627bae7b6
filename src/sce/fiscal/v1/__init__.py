"""SCE 1.0: the serial FDM protocol, a software FDM + VSC emulator, the pyserial driver, the port adapter."""
