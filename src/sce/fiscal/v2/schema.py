"""The FDM 2.0 GraphQL schema (SDL of the spec with its Decisions applied) as a graphql-core schema.

Money and quantities are GraphQL ``Float`` as on the wire; the FDM turns each into a Decimal through
``str`` before any arithmetic. Resolvers are bound here and delegate to the FDM object found in the
execution context, so parsing, aliases, variable defaults, list coercion and operation names are the
engine's business, never string matching.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from graphql import GraphQLError, GraphQLResolveInfo, GraphQLSchema, build_schema

from sce.fiscal.v2.messages import error_message

ENVELOPE = """
  language: Language!  vatNo: String!  estNo: String!  posId: String!  posFiscalTicketNo: Int!
  posDateTime: String!  posSwVersion: String!  terminalId: String  deviceId: String!
  bookingPeriodId: String!  bookingDate: String!  ticketMedium: TicketMedium!  employeeId: String!
"""

SDL = """
enum Language { NL FR DE }
enum TicketMedium { PAPER DIGITAL PAPER_DIGITAL NONE ELECTRONIC }
enum EventLabel { N P F S I R C T }
enum EventOperation { WORK_IN WORK_OUT SALE INVOICE COST_CENTER_CHANGE ORDER PRE_BILL
                      MONEY_IN_OUT DRAWER_OPEN PAYMENT_CORRECTION COPY
                      REPORT_TURNOVER_X REPORT_TURNOVER_Z REPORT_USER_X REPORT_USER_Z }
enum VatLabel { A B C D X }
enum TransactionLineType { SINGLE_PRODUCT COMPOSITE_PRODUCT }
enum QuantityType { PIECE KILOGRAM METER LITRE LITER HOUR }
enum NegQuantityReason { REFUND CORRECTION PRICE_CHANGE COST_CENTER_CHANGE WASTE DAMAGE VOUCHER }
enum PriceChangeScope { LINE EVENT }
enum PriceChangeType { PUBLIC INTERNAL }
enum CostCenterType { TABLE CHAIR ROOM CUSTOMER ON_HOLD KIOSK PLATFORM WEBSHOP OTHER }
enum PaymentType { UNKNOWN CASH CARD_UNKNOWN CARD_DEBIT CARD_CREDIT CARD_OTHER CHEQUE_MEAL
                   CHEQUE_OTHER APP ONLINE CUSTOMER_CREDIT ROOM_CREDIT LOYALTY_REWARDS
                   VOUCHER_STORE VOUCHER_SUPPLIER VOUCHER_OTHER OTHER }
enum InputMethod { MANUAL AUTOMATIC }
enum PaymentLineType { PAYMENT TIP ROUNDING }
enum MoneyInOutLineType { MONEY_IN_OUT PAYMENT }
enum InOut { IN OUT }
enum Category { SPF_FOD FDM OTHER }
enum Display { MANDATORY OPTIONAL NEVER }

input CostCenterInput { id: String!  type: CostCenterType!  reference: String!  costCenter: CostCenterInput }
input FdmReferenceInput { fdmId: String!  fdmDateTime: String!  eventLabel: EventLabel!
                          eventCounter: Int!  totalCounter: Int! }
input PriceChangeInput { groupingId: Int  id: String!  name: String!  scope: PriceChangeScope!
                         type: PriceChangeType!  amount: Float! }
input VatInput { label: VatLabel!  price: Float!  priceChanges: [PriceChangeInput!] }
input ProductInput { gtin: String  productId: String!  productName: String!  departmentId: String!
                     departmentName: String!  quantity: Float!  quantityType: QuantityType!
                     negQuantityReason: NegQuantityReason  unitPrice: Float!  vats: [VatInput!]! }
input TransactionLineInput { lineType: TransactionLineType!  mainProduct: ProductInput!
                             subProducts: [ProductInput!]  costCenter: CostCenterInput  lineTotal: Float! }
input TransactionInput { transactionLines: [TransactionLineInput!]!  transactionTotal: Float! }
input DrawerInput { id: String!  name: String! }
input ForeignCurrencyInput { amount: Float!  iso: String! }
input PaymentLineInput { id: String!  name: String!  type: PaymentType!  provider: String
                         inputMethod: InputMethod!  amount: Float!  amountType: PaymentLineType!
                         foreignCurrency: ForeignCurrencyInput  reference: String  drawer: DrawerInput }
input MoneyInOutLineInput { id: String!  name: String!  type: PaymentType!  provider: String
                            inputMethod: InputMethod!  amount: Float!  amountType: MoneyInOutLineType!
                            foreignCurrency: ForeignCurrencyInput  reference: String  drawer: DrawerInput }
input TransferItemInput { costCenter: CostCenterInput!  transaction: TransactionInput! }
input TransferInput { from: [TransferItemInput!]!  to: [TransferItemInput!]! }

input SaleInput { %(env)s fdmRef: FdmReferenceInput  costCenter: CostCenterInput
                  transaction: TransactionInput!  financials: [PaymentLineInput!]! }
input OrderInput { %(env)s costCenter: CostCenterInput!  transaction: TransactionInput! }
input PreBillInput { %(env)s costCenter: CostCenterInput  transaction: TransactionInput!
                     financials: [PaymentLineInput!] }
input CostCenterChangeInput { %(env)s transfer: TransferInput! }
input InvoiceInput { %(env)s invoiceNo: String!  customerVatNo: String!  costCenter: CostCenterInput
                     fdmRefs: [FdmReferenceInput!]! }
input MoneyInOutInput { %(env)s financials: [MoneyInOutLineInput!]! }
input DrawerOpenInput { %(env)s drawer: DrawerInput }
input PaymentCorrectionInput { %(env)s financials: [PaymentLineInput!]!  fdmRef: FdmReferenceInput }
input WorkInOutInput { %(env)s }
input CopyInput { %(env)s fdmRef: FdmReferenceInput! }

input PosDeviceInput { posId: String!  terminalId: String!  firstPosDateTime: String!
                       lastPosDateTime: String! }
input FdmDeviceInput { fdmId: String!  firstFdmDateTime: String!  firstTotalCounter: Int!
                       lastFdmDateTime: String!  lastTotalCounter: Int! }
input EventTotalInput { eventLabel: EventLabel!  ticketCount: Int!  amount: Float! }
input DepartmentTotalInput { departmentId: String!  departmentName: String!  amount: Float! }
input VatTotalInput { label: VatLabel!  rate: Float!  taxableAmount: Float!  vatAmount: Float!
                      totalAmount: Float! }
input PaymentTotalAmountInput { type: PaymentLineType!  normalAmount: Float!  negativeCorrections: Float!
                                positiveCorrections: Float!  correctionsCount: Int!  totalAmount: Float!
                                normalForeign: [ForeignCurrencyInput!]
                                correctionsForeign: [ForeignCurrencyInput!] }
input PaymentTotalInput { id: String!  name: String!  type: PaymentType!
                          amount: [PaymentTotalAmountInput!]! }
input NegQuantityTotalInput { negQuantityReason: NegQuantityReason!  negQuantityCount: Int!
                              ticketCount: Int!  amount: Float! }
input PriceChangeVatTotalInput { label: VatLabel!  negative: Float!  positive: Float! }
input PriceChangeTotalInput { id: String!  name: String!  type: PriceChangeType!
                              amount: [PriceChangeVatTotalInput!]! }
input InvoiceTotalInput { invoiceNo: String!  amount: Float! }
input TurnoverInput { transactions: [EventTotalInput!]!  departments: [DepartmentTotalInput!]!
                      vats: [VatTotalInput!]!  payments: [PaymentTotalInput!]!  drawersOpenCount: Int! = 0
                      negQuantities: [NegQuantityTotalInput!]!  priceChanges: [PriceChangeTotalInput!]!
                      invoices: [InvoiceTotalInput!] }
input InOutItemInput { posDateTime: String!  inOut: InOut! }
input UserItemInput { employeeId: String!  totalAmount: Float!  firstPosDateTime: String!
                      lastPosDateTime: String!
                      socialEvents: [InOutItemInput!]!  payments: [PaymentTotalInput!]! }
input ReportTurnoverXInput { %(env)s posDevices: [PosDeviceInput!]!  fdmDevices: [FdmDeviceInput!]!
                             turnover: TurnoverInput! }
input ReportTurnoverZInput { %(env)s reportNo: Int!  reportBookingDate: String!
                             posDevices: [PosDeviceInput!]!  fdmDevices: [FdmDeviceInput!]!
                             turnover: TurnoverInput! }
input ReportUserXInput { %(env)s posDevices: [PosDeviceInput!]!  fdmDevices: [FdmDeviceInput!]!
                         users: [UserItemInput!]! }
input ReportUserZInput { %(env)s reportNo: Int!  reportBookingDate: String!
                         posDevices: [PosDeviceInput!]!  fdmDevices: [FdmDeviceInput!]!
                         users: [UserItemInput!]! }

type FdmReference { fdmId: String!  fdmDateTime: String!  eventLabel: EventLabel!  eventCounter: Int!
                    totalCounter: Int! }
type VatCalc { label: VatLabel!  rate: Float!  taxableAmount: Float!  vatAmount: Float!  totalAmount: Float!
               outOfScope: Boolean! }
type DataItem { name: String!  value: String! }
type Extension { category: Category!  code: String!  data: [DataItem!]  showPos: Display! }
type Location { line: Int!  column: Int! }
type Message { message: String!  locations: [Location!]  extensions: Extension! }
type SignResult { posId: String!  posFiscalTicketNo: Int!  posDateTime: String!  posSwVersion: String
                  terminalId: String!  deviceId: String!  eventOperation: EventOperation!
                  fdmRef: FdmReference!  fdmSwVersion: String!  digitalSignature: String!
                  shortSignature: String  verificationUrl: String  vatCalc: [VatCalc!]
                  bufferCapacityUsed: Float!  warnings: [Message!]  informations: [Message!]
                  footer: [String!]! }
type StatusDevice { fdmId: String!  fdmSwVersion: String  fdmDateTime: String  bufferCapacityUsed: Float }
type Status { initialized: Boolean  device: StatusDevice  informations: [Message!]  warnings: [Message!]
              errors: [Message!] }
type Device { id: String! }

type Mutation {
%(mutations)s
}
type Query {
  status(language: Language): Status
  device: Device
}
"""


@dataclass(frozen=True, slots=True)
class Operation:
    """One ``sign*`` mutation: its input type and the event it registers."""

    mutation: str
    input_type: str
    event_operation: str
    label: str


OPERATIONS: tuple[Operation, ...] = (
    Operation("signWorkIn", "WorkInOutInput", "WORK_IN", "S"),
    Operation("signWorkOut", "WorkInOutInput", "WORK_OUT", "S"),
    Operation("signSale", "SaleInput", "SALE", "N"),
    Operation("signOrder", "OrderInput", "ORDER", "P"),
    Operation("signPreBill", "PreBillInput", "PRE_BILL", "P"),
    Operation("signCostCenterChange", "CostCenterChangeInput", "COST_CENTER_CHANGE", "P"),
    Operation("signInvoice", "InvoiceInput", "INVOICE", "I"),
    Operation("signMoneyInOut", "MoneyInOutInput", "MONEY_IN_OUT", "F"),
    Operation("signDrawerOpen", "DrawerOpenInput", "DRAWER_OPEN", "F"),
    Operation("signPaymentCorrection", "PaymentCorrectionInput", "PAYMENT_CORRECTION", "F"),
    Operation("signCopy", "CopyInput", "COPY", "C"),
    Operation("signReportTurnoverX", "ReportTurnoverXInput", "REPORT_TURNOVER_X", "R"),
    Operation("signReportTurnoverZ", "ReportTurnoverZInput", "REPORT_TURNOVER_Z", "R"),
    Operation("signReportUserX", "ReportUserXInput", "REPORT_USER_X", "R"),
    Operation("signReportUserZ", "ReportUserZInput", "REPORT_USER_Z", "R"),
)
BY_MUTATION = {operation.mutation: operation for operation in OPERATIONS}
BY_EVENT = {operation.event_operation: operation for operation in OPERATIONS}


def sdl() -> str:
    mutations = "\n".join(
        f"  {op.mutation}(data: {op.input_type}!, isTraining: Boolean!): SignResult" for op in OPERATIONS
    )
    return SDL % {"env": ENVELOPE, "mutations": mutations}


class FdmBackend(Protocol):
    """What the resolvers need from an FDM (the emulator's :class:`~sce.fiscal.v2.fdm.Fdm`)."""

    def sign(
        self, operation: Operation, data: dict[str, Any], training: bool, language: str
    ) -> dict[str, Any]: ...

    def status(self, language: str) -> dict[str, Any]: ...

    def device(self) -> dict[str, Any]: ...


class FdmRefusalError(Exception):
    """An FDM refusal raised by the backend: turned into a GraphQL error with ``extensions``."""

    def __init__(self, message: str, extensions: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions


@dataclass(slots=True)
class RequestContext:
    """Per request: the FDM and the language to use before the input's ``language`` is known."""

    fdm: FdmBackend
    header_language: str


def _sign_resolver(operation: Operation) -> Any:
    def resolve(_root: Any, info: GraphQLResolveInfo[RequestContext], **arguments: Any) -> Any:
        context: RequestContext = info.context
        try:
            return context.fdm.sign(
                operation, arguments["data"], bool(arguments["isTraining"]), context.header_language
            )
        except FdmRefusalError as refusal:
            raise GraphQLError(refusal.message, extensions=refusal.extensions) from None
        except Exception as error:  # an FDM fault must still answer in the spec's shape
            text, extensions = error_message(
                "INTERNAL_ERROR",
                context.header_language,
                context.fdm.device()["id"],
                detail=type(error).__name__,
            )
            raise GraphQLError(text, extensions=extensions) from error

    return resolve


def _status(_root: Any, info: GraphQLResolveInfo[RequestContext], language: str | None = None) -> Any:
    context: RequestContext = info.context
    return context.fdm.status(language or context.header_language)


def _device(_root: Any, info: GraphQLResolveInfo[RequestContext]) -> Any:
    context: RequestContext = info.context
    return context.fdm.device()


def build() -> GraphQLSchema:
    schema = build_schema(sdl())
    mutation = schema.mutation_type
    query = schema.query_type
    assert mutation is not None and query is not None
    for operation in OPERATIONS:
        mutation.fields[operation.mutation].resolve = _sign_resolver(operation)
    query.fields["status"].resolve = _status
    query.fields["device"].resolve = _device
    return schema


SCHEMA = build()
