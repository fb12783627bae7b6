"""The e-service's SQLAlchemy tables, in their own MetaData (independent of the POS database)."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

# ---- KBO/BCE stand-in
kbo_companies = Table(
    "kbo_companies",
    metadata,
    Column("vat", String(12), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("legal_form", String(40), nullable=False, default=""),
    Column("address", String(300), nullable=False, default=""),
)
kbo_representatives = Table(
    "kbo_representatives",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_vat", ForeignKey("kbo_companies.vat"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("capacity", String(60), nullable=False, default="legal representative"),
)
kbo_establishments = Table(
    "kbo_establishments",
    metadata,
    Column("number", String(10), primary_key=True),
    Column("company_vat", ForeignKey("kbo_companies.vat"), nullable=False),
    Column("signboard", String(200), nullable=False),
    Column("address", String(300), nullable=False, default=""),
)

# ---- accounts (local stand-in for eID/CSAM) and sessions
accounts = Table(
    "accounts",
    metadata,
    Column("username", String(80), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("company_vat", String(12), nullable=True),
    Column("display_name", String(200), nullable=False, default=""),
)
sessions = Table(
    "sessions",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("username", ForeignKey("accounts.username"), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# ---- operators
operators = Table(
    "operators",
    metadata,
    Column("vat", String(12), primary_key=True),
    Column("contact_email", String(200), nullable=False),
    Column("phone", String(40), nullable=False, default=""),
    Column("registered_at", DateTime, nullable=False),
)
operator_establishments = Table(
    "operator_establishments",
    metadata,
    Column("number", String(10), primary_key=True),
    Column("operator_vat", ForeignKey("operators.vat"), nullable=False),
    Column("generation", String(3), nullable=False),
    Column("activity_start", Date, nullable=False),
    Column("selected_at", DateTime, nullable=False),
)

# ---- producers and distributors
producers = Table(
    "producers",
    metadata,
    Column("vat", String(12), primary_key=True),
    Column("pos_maker_id", String(4), nullable=True),
    Column("fdm_maker_id", String(3), nullable=True),
)
models = Table(
    "models",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("producer_vat", ForeignKey("producers.vat"), nullable=False),
    Column("kind", String(3), nullable=False),
    Column("generation", String(3), nullable=False),
    Column("model_number", String(3), nullable=False),
    Column("certificate", String(60), nullable=False),
)
batches = Table(
    "batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("model_id", ForeignKey("models.id"), nullable=False),
    Column("first_serial", String(20), nullable=False),
    Column("last_serial", String(20), nullable=False),
    Column("registered_at", DateTime, nullable=False),
)
distributors = Table(
    "distributors",
    metadata,
    Column("vat", String(12), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("legal_form", String(40), nullable=False),
    Column("address", String(300), nullable=False),
    Column("contact_person", String(200), nullable=False),
    Column("phone", String(40), nullable=False),
    Column("email", String(200), nullable=False),
    Column("website", String(200), nullable=False, default=""),
    Column("points_of_sale", Text, nullable=False, default=""),
    Column("products", Text, nullable=False, default=""),
    Column("status", String(12), nullable=False),
    Column("registered_at", DateTime, nullable=False),
)

# ---- components, their history, links and cards
components = Table(
    "components",
    metadata,
    Column("serial", String(20), primary_key=True),
    Column("kind", String(3), nullable=False),
    Column("generation", String(3), nullable=False),
    Column("model_id", ForeignKey("models.id"), nullable=False),
    Column("producer_vat", String(12), nullable=False),
    Column("distributor_vat", String(12), nullable=True),
    Column("operator_vat", String(12), nullable=True),
    Column("establishment", String(10), nullable=True),
    Column("room", String(100), nullable=True),
    Column("delivered_on", Date, nullable=True),
    Column("status", String(20), nullable=False),
)
component_history = Table(
    "component_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("serial", ForeignKey("components.serial"), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("action", String(40), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("party_vat", String(12), nullable=True),
    Column("detail", Text, nullable=False, default=""),
)
links = Table(
    "links",
    metadata,
    Column("pos_serial", ForeignKey("components.serial"), primary_key=True),
    Column("fdm_serial", ForeignKey("components.serial"), nullable=False),
    Column("establishment", String(10), nullable=False),
    Column("linked_at", DateTime, nullable=False),
)
vsc_cards = Table(
    "vsc_cards",
    metadata,
    Column("vsc_id", String(14), primary_key=True),
    Column("fdm_serial", ForeignKey("components.serial"), nullable=False),
    Column("card_json", Text, nullable=False),
    Column("status", String(12), nullable=False),
    Column("requested_at", DateTime, nullable=False),
)
first_boots = Table(
    "first_boots",
    metadata,
    Column("fdm_serial", ForeignKey("components.serial"), primary_key=True),
    Column("certificate_json", Text, nullable=False),
    Column("booted_at", DateTime, nullable=True),
)

# ---- support desk
contracts = Table(
    "contracts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("distributor_vat", String(12), nullable=False),
    Column("operator_vat", String(12), nullable=False),
    Column("level", String(40), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("monthly_fee_cents", Integer, nullable=False),
)
tickets = Table(
    "tickets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("distributor_vat", String(12), nullable=False),
    Column("operator_vat", String(12), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)
mail_log = Table(
    "mail_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("to_address", String(200), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("sent_at", DateTime, nullable=False),
    Column("error", Text, nullable=False, default=""),
)
