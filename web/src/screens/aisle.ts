// Endless aisle: the associate orders for the customer at the counter what this shelf lacks
// (PlaceOrderForCustomer): the customer found by e-mail, phone, loyalty card or customer id, the
// items (prefilled from the stock screen), pickup here or at another store, the associate's
// name, and the card token from this terminal or a payment link sent to the customer (the
// order then waits for their payment). The same request_id is sent again until the details
// change, so a retry never places a second order.
import { OrderState, type StoreOrder } from "../gen/clickcollect/gateway/v1/order_views_pb";
import { storeOps } from "../api/clients";
import { remember } from "../api/queues";
import type { Refusal } from "../api/refusals";
import { RequestIds, run } from "../app/actions";
import { go, type Mounted } from "../app/navigation";
import { t } from "../i18n/lang";
import { field, h, page, uid } from "../ui/dom";
import { clock, money } from "../ui/format";
import { LinesEditor } from "../ui/lines";
import { NoticeArea } from "../ui/notice";
import { stateBadge } from "../ui/state";

type CustomerField = "email" | "phone" | "loyaltyCard" | "customerId";
const CUSTOMER_FIELDS: CustomerField[] = ["email", "phone", "loyaltyCard", "customerId"];
const ASSOCIATE_KEY = "storeapp.associate";

/** `#/aisle/<sku>/<quantity>/<name>` when opened from the stock screen. */
export function aisleScreen([sku = "", quantity = "1", name = ""]: string[]): Mounted {
  const words = t().aisle;
  const notices = new NoticeArea();
  const slot = h("div", {});
  const start = (): void => void slot.replaceChildren(aisleForm(notices, { sku, name, quantity: Number(quantity) || 1 }, start));
  start();
  return { el: page(words.title, h("p", { class: "lead" }, words.intro), notices.el, slot) };
}

function aisleForm(notices: NoticeArea, wanted: { sku: string; name: string; quantity: number }, again: () => void): HTMLFormElement {
  const words = t().aisle;
  const text = (name: string, extra: Record<string, string | number> = {}) =>
    h("input", { type: "text", name, autocomplete: "off", spellcheck: "false", ...extra });
  const by = h("select", { name: "by" }, CUSTOMER_FIELDS.map((f) => h("option", { value: f }, t().customer[f])));
  const who = text("customer", { maxlength: 254 });
  const items = new LinesEditor({ caption: words.lines, scan: true });
  if (wanted.sku) items.add(wanted.sku, wanted.name, Math.max(1, Math.min(99, wanted.quantity)));
  const pickup = pickupChoice();
  const associate = text("associate", { maxlength: 100, autocomplete: "name", value: sessionStorage.getItem(ASSOCIATE_KEY) ?? "" });
  const payment = paymentChoice();
  const button = h("button", { type: "submit", class: "primary" }, words.submit);
  const result = h("div", { class: "result", "aria-live": "polite" });
  const found = h("p", { class: "hint", "data-testid": "customer-found" });
  const check = h("button", { type: "button", class: "secondary" }, words.check);
  check.addEventListener("click", () => {
    const asking = by.value as CustomerField;
    const asked = { email: "", phone: "", loyaltyCard: "", customerId: "", pageSize: 1 };
    asked[asking] = who.value.trim();
    const onRefusal = (refusal: Refusal) => customerMissing(refusal, notices, asking, asked[asking], who);
    void run({ button: check, notices, call: () => storeOps.lookupCustomer(asked), onRefusal }).then((answer) => {
      const summary = answer?.customer;
      found.textContent = summary ? words.found([summary.customerId, summary.email, summary.phone].filter(Boolean).join(" · ")) : "";
    });
  });
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("fieldset", { class: "group" }, h("legend", {}, words.customer), h("div", { class: "row" }, field(t().customer.by, by), field(words.customerValue, who, words.customerHint)), check, found),
    items.el,
    pickup.el,
    field(words.associate, associate, words.associateHint),
    payment.el,
    button,
    result,
  );
  const ids = new RequestIds();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const customer = { email: "", phone: "", loyaltyCard: "", customerId: "" };
    const asked = by.value as CustomerField;
    customer[asked] = who.value.trim();
    const details = {
      ...customer,
      pickupStoreId: pickup.storeId(),
      lines: items.lines().map((line) => ({ sku: line.sku, quantity: line.quantity })),
      paymentMethod: payment.method(),
      paymentLink: payment.link(),
      associate: associate.value.trim(),
    };
    sessionStorage.setItem(ASSOCIATE_KEY, details.associate);
    const requestId = ids.for(details);
    const request = { ...details, requestId, lines: details.lines.map((l) => ({ sku: l.sku, quantity: BigInt(l.quantity) })) };
    const onRefusal = (refusal: Refusal) => customerMissing(refusal, notices, asked, details[asked], who);
    const answer = await run({ button, notices, call: () => storeOps.placeOrderForCustomer(request), onRefusal });
    const order = answer?.order;
    if (!order) return;
    remember(order);
    result.replaceChildren(placed(order, again));
    const awaiting = order.state === OrderState.AWAITING_PAYMENT;
    notices.show("ok", awaiting ? words.doneLink(order.orderId) : words.done(order.orderId));
  });
  return form;
}

/** "Pickup here" or "at another store" (its id), as two radio buttons and a store id. */
function pickupChoice(): { el: HTMLElement; storeId: () => string } {
  const words = t().aisle;
  const name = uid("pickup");
  const here = h("input", { type: "radio", name, value: "here", checked: true });
  const other = h("input", { type: "radio", name, value: "other" });
  const store = h("input", { type: "text", name: "pickup_store_id", autocomplete: "off", spellcheck: "false", autocapitalize: "characters", maxlength: 64, disabled: true });
  const sync = () => {
    store.disabled = !other.checked;
    if (other.checked) store.focus();
  };
  here.addEventListener("change", sync);
  other.addEventListener("change", sync);
  const el = h(
    "fieldset",
    { class: "group" },
    h("legend", {}, words.pickup),
    h("label", { class: "check" }, here, words.pickupHere),
    h("label", { class: "check" }, other, words.pickupOther),
    field(words.storeId, store, words.storeIdHint),
  );
  return { el, storeId: () => (other.checked ? store.value.trim().toUpperCase() : "") };
}

/** "Card at this terminal" (its token) or "Send a payment link" (no card here). */
function paymentChoice(): { el: HTMLElement; link: () => boolean; method: () => string } {
  const words = t().aisle;
  const name = uid("paying");
  const card = h("input", { type: "radio", name, value: "card", checked: true });
  const link = h("input", { type: "radio", name, value: "link" });
  const token = h("input", { type: "text", name: "payment_method", autocomplete: "off", spellcheck: "false", maxlength: 128 });
  const tokenField = field(t().sale.payment, token, words.paymentHint);
  const linkHint = h("p", { class: "hint", hidden: true, "data-testid": "link-hint" }, words.linkHint);
  const sync = () => {
    tokenField.hidden = link.checked;
    linkHint.hidden = !link.checked;
  };
  card.addEventListener("change", sync);
  link.addEventListener("change", sync);
  const el = h(
    "fieldset",
    { class: "group" },
    h("legend", {}, words.paying),
    h("label", { class: "check" }, card, words.payCard),
    h("label", { class: "check" }, link, words.payLink),
    tokenField,
    linkHint,
  );
  return { el, link: () => link.checked, method: () => (link.checked ? "" : token.value.trim()) };
}

/** Nobody matches: say which of the customer's details to check, and put the cursor there. */
function customerMissing(refusal: Refusal, notices: NoticeArea, by: CustomerField, value: string, input: HTMLInputElement): boolean {
  if (refusal.reason !== "CUSTOMER_NOT_FOUND") return false;
  notices.show("error", t().aisle.noCustomer(t().customer[by].toLowerCase(), value));
  input.focus();
  input.select();
  return true;
}

function placed(order: StoreOrder, again: () => void): HTMLElement {
  const words = t().aisle;
  const sources = [...new Set(order.shipments.map((s) => s.sourceId))];
  const from = sources.length ? words.shipsFrom(sources.join(", ")) : words.fromShelf;
  const awaiting = order.state === OrderState.AWAITING_PAYMENT;
  const promise = awaiting
    ? [h("p", { class: "promise", "data-testid": "awaiting-payment" }, words.awaitingPayment(clock(order.paymentDueTime))), h("p", {}, words.linkSent(order.customerEmail))]
    : h("p", { class: "promise" }, order.readyBy ? words.readyBy(clock(order.readyBy)) : "");
  return h(
    "div",
    { class: "card placed", "data-order-id": order.orderId, "data-testid": "placed" },
    h("h2", {}, words.placed(order.orderId)),
    h("div", { class: "badges" }, stateBadge(order)),
    h("p", {}, [order.customerEmail, money(order.total), words.pickupAt(order.pickupStoreId)].filter(Boolean).join(" · ")),
    promise,
    h("p", {}, from),
    h("ul", { class: "summary" }, order.lines.map((l) => h("li", {}, `${Number(l.quantity)} × ${l.name} (${l.sku})`))),
    h(
      "div",
      { class: "card-actions" },
      h("button", { type: "button", class: "secondary", onclick: again }, words.another),
      h("button", { type: "button", class: "secondary", onclick: () => go("queues") }, words.toQueues),
      h("button", { type: "button", class: "secondary", onclick: () => go("stock") }, words.toStock),
    ),
  );
}
