// The page behind a payment link (#/pay/<order>/<code>), for the customer on their own phone:
// the order as GetOrderToPay shows it (lines, total, pickup store, pay-by), a card and a Pay
// button (PayOrder: the same request_id when the same attempt is sent again after it was lost
// on the way, a new one after an answer); paid, declined, lapsed or unknown, each said in a
// sentence. No terminal token is sent: the link's code is the credential.
import { Code } from "@connectrpc/connect";
import { OrderState } from "../gen/clickcollect/gateway/v1/order_views_pb";
import type { OrderToPay } from "../gen/clickcollect/gateway/v1/payment_links_pb";
import { paymentLinks } from "../api/clients";
import { isTransient, refusalOf, type Refusal } from "../api/refusals";
import { RequestIds, run } from "../app/actions";
import type { Mounted } from "../app/navigation";
import { lang, t } from "../i18n/lang";
import { payWords } from "../i18n/pay";
import { payerSentence } from "../i18n/reasons";
import { field, fill, h, page } from "../ui/dom";
import { clock, dateOf, money } from "../ui/format";
import { NoticeArea } from "../ui/notice";
import { problemSentence } from "../ui/problem";

interface Link {
  orderId: string;
  code: string;
}

interface View {
  link: Link;
  body: HTMLElement;
  notices: NoticeArea;
}

// Paid and going on: the promise of when it is ready still holds.
const ON_ITS_WAY = [OrderState.PENDING, OrderState.AWAITING_PICK, OrderState.IN_TRANSIT];

export function payScreen([orderId = "", code = ""]: string[]): Mounted {
  const notices = new NoticeArea();
  const body = h("div", { class: "pay", "data-testid": "pay" }, h("p", { class: "hint" }, t().common.loading));
  const view: View = { link: { orderId: orderId.trim(), code: code.trim() }, body, notices };
  if (view.link.orderId && view.link.code) void showOrder(view);
  else fill(body, invalidLink());
  return { el: page(payWords().title, notices.el, body) };
}

async function showOrder(view: View): Promise<void> {
  try {
    const answer = await paymentLinks.getOrderToPay(view.link);
    if (answer.order) draw(answer.order, view);
    else fill(view.body, invalidLink());
  } catch (error) {
    const refusal = refusalOf(error);
    if (notValid(refusal)) {
      fill(view.body, invalidLink());
      return;
    }
    fill(view.body);
    const again = () => {
      view.notices.clear();
      void showOrder(view);
    };
    const retry = isTransient(refusal) ? h("button", { type: "button", class: "secondary", onclick: again }, payWords().reload) : null;
    view.notices.show("error", sentence(refusal), retry);
  }
}

function draw(order: OrderToPay, view: View): void {
  const words = payWords();
  if (order.state === OrderState.AWAITING_PAYMENT) {
    fill(view.body, h("p", { class: "lead" }, words.intro), summary(order, true), payForm(order, view));
  } else if (order.state === OrderState.CANCELLED || order.state === OrderState.REJECTED) {
    fill(view.body, cancelled(order), summary(order, false));
  } else {
    fill(view.body, paid(order), summary(order, false));
  }
}

function summary(order: OrderToPay, awaiting: boolean): HTMLElement {
  const words = payWords();
  const due = awaiting ? dateOf(order.paymentDueTime) : undefined;
  return h(
    "section",
    { class: "card pay-order", "data-order-id": order.orderId },
    h("h2", {}, words.order(order.orderId)),
    h(
      "ul",
      { class: "summary" },
      order.lines.map((l) => h("li", {}, [`${Number(l.quantity)} × ${l.name || l.sku}`, money(l.unitPrice)].filter(Boolean).join(" · "))),
    ),
    h("p", { class: "pay-total", "data-testid": "total" }, words.total(money(order.total))),
    h("p", {}, words.pickupAt(storeName(order))),
    due ? h("p", { class: "promise", "data-testid": "pay-by" }, words.payBy(clock(due))) : null,
  );
}

function payForm(order: OrderToPay, view: View): HTMLFormElement {
  const words = payWords();
  const card = h("input", {
    type: "text",
    name: "payment_method",
    autocomplete: "off",
    autocapitalize: "none",
    spellcheck: "false",
    enterkeyhint: "go",
    maxlength: 128,
  });
  const button = h("button", { type: "submit", class: "primary" }, words.submit(money(order.total)));
  const form = h("form", { class: "stack pay-form", novalidate: true }, field(words.card, card, words.cardHint), button);
  const ids = new RequestIds();
  const refused = (refusal: Refusal): boolean => {
    if (!isTransient(refusal)) ids.forget();
    if (notValid(refusal)) {
      fill(view.body, invalidLink());
      return true;
    }
    const retry = isTransient(refusal) ? h("button", { type: "button", class: "secondary", onclick: () => button.click() }, words.reload) : null;
    view.notices.show("error", sentence(refusal), retry);
    if (refusal.reason === "PAYMENT_LINK_EXPIRED" || refusal.reason === "ORDER_NOT_AWAITING_PAYMENT") void showOrder(view);
    else window.setTimeout(() => card.select(), 0);
    return true;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const paymentMethod = card.value.trim();
    if (!paymentMethod) {
      view.notices.show("error", words.noCard);
      card.focus();
      return;
    }
    const details = { ...view.link, paymentMethod };
    const requestId = ids.for(details);
    const call = () => paymentLinks.payOrder({ requestId, ...details });
    const answer = await run({ button, notices: view.notices, call, onRefusal: refused, anonymous: true });
    if (!answer?.order) return;
    ids.forget();
    view.notices.show("ok", words.paidNow(answer.order.orderId));
    draw(answer.order, view);
    view.body.querySelector<HTMLElement>("h2")?.focus();
  });
  return form;
}

function paid(order: OrderToPay): HTMLElement {
  const words = payWords();
  const ready = ON_ITS_WAY.includes(order.state) ? dateOf(order.readyBy) : undefined;
  return h(
    "div",
    { class: "panel panel-ok", "data-testid": "paid", "data-state": OrderState[order.state] },
    h("h2", { tabindex: -1 }, words.paidTitle),
    h("p", {}, words.status(words.states[OrderState[order.state]] ?? "")),
    ready ? h("p", { class: "promise", "data-testid": "ready-by" }, words.readyBy(storeName(order), clock(ready))) : null,
    ready ? h("p", {}, words.readyMail) : null,
  );
}

function cancelled(order: OrderToPay): HTMLElement {
  const words = payWords();
  const lapsed = order.stateReason === "PAYMENT_LINK_EXPIRED";
  return h(
    "div",
    { class: "panel panel-bad", "data-testid": "cancelled", "data-state": OrderState[order.state] },
    h("h2", { tabindex: -1 }, words.cancelledTitle),
    h("p", {}, lapsed ? (payerSentence("PAYMENT_LINK_EXPIRED", {}, lang()) ?? "") : words.cancelled),
  );
}

function invalidLink(): HTMLElement {
  return h(
    "div",
    { class: "panel panel-bad", role: "alert", "data-testid": "invalid-link" },
    h("h2", { tabindex: -1 }, payWords().invalidTitle),
    h("p", {}, payerSentence("ORDER_NOT_FOUND", {}, lang()) ?? ""),
  );
}

/** An unknown order, a wrong code or a malformed link: the same "not valid" for all. */
function notValid(refusal: Refusal): boolean {
  if (refusal.code === Code.NotFound || refusal.reason === "ORDER_NOT_FOUND") return true;
  const linkFields = ["order_id", "code"];
  return refusal.code === Code.InvalidArgument && refusal.fields.some((f) => linkFields.includes(f.field));
}

function sentence(refusal: Refusal): string {
  return payerSentence(refusal.reason, refusal.metadata, lang()) ?? problemSentence(refusal);
}

function storeName(order: OrderToPay): string {
  return order.pickupStoreName || order.pickupStoreId;
}
