"""Demo data: a KBO with two producers, two distributors and two operators, and one account per role
(password ``demo``). Distributor ``dealer-b`` is registered and validated; ``dealer-a`` still has to."""

from __future__ import annotations

from sqlalchemy import Connection, select

from sce.eservice.accounts import Role, create_account
from sce.eservice.db import now
from sce.eservice.kbo import import_csv
from sce.eservice.tables import accounts, distributors, producers

DEMO_PASSWORD = "demo"
PRODUCER_A, PRODUCER_B = "BE0403019261", "BE0411234567"
DEALER_A, DEALER_B = "BE0555123476", "BE0777123418"
OPERATOR_A, OPERATOR_B = "BE0888123486", "BE0666123447"
EST_A1, EST_A2, EST_B1 = "2100000114", "2100000213", "2100000312"

KBO_CSV = f"""record,vat,name,legal_form,address,number,signboard
company,{PRODUCER_A},Demo Devices,NV,Industrieweg 1 9000 Gent,,
company,{PRODUCER_B},Other Devices,NV,Rue de l'Industrie 2 4000 Liège,,
company,{DEALER_A},Kassa Dealer,BV,Stationsstraat 3 8000 Brugge,,
company,{DEALER_B},Caisse Partner,SRL,Rue Haute 4 1000 Bruxelles,,
company,{OPERATOR_A},Brasserie De Markt,BV,Markt 1 8000 Brugge,,
company,{OPERATOR_B},Café Le Coin,SRL,Place du Marché 5 5000 Namur,,
representative,{OPERATOR_A},An Peeters,,,,
representative,{OPERATOR_B},Luc Dubois,,,,
establishment,{OPERATOR_A},,,Markt 1 8000 Brugge,{EST_A1},De Markt
establishment,{OPERATOR_A},,,Markt 1A 8000 Brugge,{EST_A2},De Markt Terras
establishment,{OPERATOR_B},,,Place du Marché 5 5000 Namur,{EST_B1},Le Coin
"""

USERS = (
    ("admin", Role.ADMINISTRATION, None, "FPS Finance"),
    ("producer-a", Role.PRODUCER, PRODUCER_A, "Demo Devices"),
    ("producer-b", Role.PRODUCER, PRODUCER_B, "Other Devices"),
    ("dealer-a", Role.DISTRIBUTOR, DEALER_A, "Kassa Dealer"),
    ("dealer-b", Role.DISTRIBUTOR, DEALER_B, "Caisse Partner"),
    ("operator-a", Role.OPERATOR, OPERATOR_A, "An Peeters"),
    ("operator-b", Role.OPERATOR, OPERATOR_B, "Luc Dubois"),
)


def seed(conn: Connection, password: str = DEMO_PASSWORD) -> list[str]:
    """Load the demo data (once); returns the user names created."""
    if conn.execute(select(accounts.c.username).where(accounts.c.username == "admin")).first():
        return []
    import_csv(conn, KBO_CSV)
    conn.execute(producers.insert().values(vat=PRODUCER_A, pos_maker_id="CDEV", fdm_maker_id="DEV"))
    conn.execute(producers.insert().values(vat=PRODUCER_B, pos_maker_id="CXYZ", fdm_maker_id="XYZ"))
    conn.execute(
        distributors.insert().values(
            vat=DEALER_B,
            name="Caisse Partner",
            legal_form="SRL",
            address="Rue Haute 4 1000 Bruxelles",
            contact_person="Marie Lambert",
            phone="+32 2 555 01 02",
            email="support@caisse-partner.invalid",
            status="validated",
            registered_at=now(),
        )
    )
    for username, role, vat, name in USERS:
        create_account(conn, username, password, role, vat, name)
    return [u[0] for u in USERS]
