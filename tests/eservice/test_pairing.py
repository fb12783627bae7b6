"""The POS start-up check names the expected and the found FDM serial numbers."""

from sce.eservice import PairingRecord, check_pairing


def test_paired() -> None:
    result = check_pairing(
        PairingRecord("CDEV0010000001", "DEV01000001", "2100000114"), "CDEV0010000001", "DEV01000001"
    )
    assert result.ok and result.rule == "OK"


def test_other_fdm_refused_with_both_serials() -> None:
    result = check_pairing(
        PairingRecord("CDEV0010000001", "DEV01000001", "2100000114"), "CDEV0010000001", "XYZ01000009"
    )
    assert not result.ok and result.rule == "FDM_MISMATCH"
    assert "DEV01000001" in result.message and "XYZ01000009" in result.message


def test_unlinked_and_inactive() -> None:
    assert check_pairing(None, "CDEV0010000001", "DEV01000001").rule == "POS_NOT_LINKED"
    record = PairingRecord("CDEV0010000001", "DEV01000001", "2100000114", active=False)
    assert check_pairing(record, "CDEV0010000001", "DEV01000001").rule == "NOT_ACTIVE"
