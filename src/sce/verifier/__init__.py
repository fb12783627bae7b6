"""The independent journal verifier.

It reads an export directory (``docs/export/``) and checks it record by record. It shares nothing with the
writer but the published format (:mod:`sce.journal.format`); the FDM signature inputs are implemented
here from the published specifications. It imports neither the POS, the database nor the fiscal modules.
"""

from sce.verifier.findings import Finding
from sce.verifier.run import Summary, is_compiled, verify_export

__all__ = ["Finding", "Summary", "is_compiled", "verify_export"]
