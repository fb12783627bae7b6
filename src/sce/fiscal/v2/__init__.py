"""SCE 2.0: the FDM 2.0 GraphQL interface, its emulator, the POS-side client and the port adapter."""
