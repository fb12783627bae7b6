"""sce: the Belgian certified cash register system (SCE/GKS) for restaurants and caterers."""

__version__ = "0.1.0"
