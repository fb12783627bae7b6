"""The tax administration (FPS Finance) stand-in: event upload receiver, FDM first-boot data, ticket check."""
