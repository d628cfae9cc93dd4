// A till sale: receipt number, items, the payment terminal's card token, and optionally who the
// customer is (loyalty card, receipt e-mail or customer id) → RecordStoreSale.
import { storeOps } from "../api/clients";
import { RequestIds, run } from "../app/actions";
import type { Mounted } from "../app/navigation";
import { t } from "../i18n/lang";
import { field, h, page } from "../ui/dom";
import { money } from "../ui/format";
import { LinesEditor } from "../ui/lines";
import { NoticeArea } from "../ui/notice";

export function saleScreen(): Mounted {
  const words = t().sale;
  const notices = new NoticeArea();
  const slot = h("div", {});
  const start = () => slot.replaceChildren(saleForm(notices, start));
  start();
  return { el: page(words.title, h("p", { class: "lead" }, words.intro), notices.el, slot) };
}

function saleForm(notices: NoticeArea, next: () => void): HTMLFormElement {
  const words = t().sale;
  const text = (name: string, extra: Record<string, string | number> = {}) =>
    h("input", { type: "text", name, autocomplete: "off", spellcheck: "false", ...extra });
  const receipt = text("receipt_number", { maxlength: 64 });
  const payment = text("payment_method", { maxlength: 128 });
  const card = text("loyalty_card", { maxlength: 128 });
  const email = h("input", { type: "email", name: "customer_email", autocomplete: "off", maxlength: 254 });
  const customer = text("customer_id", { maxlength: 64 });
  const items = new LinesEditor({ caption: words.lines, scan: true });
  const button = h("button", { type: "submit", class: "primary" }, words.submit);
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    field(words.receipt, receipt),
    items.el,
    field(words.payment, payment, words.paymentHint),
    h("div", { class: "row" }, field(words.loyalty, card), field(words.email, email), field(words.customerId, customer)),
    button,
  );
  const ids = new RequestIds();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const sale = {
      receiptNumber: receipt.value.trim(),
      paymentMethod: payment.value.trim(),
      loyaltyCard: card.value.trim(),
      customerEmail: email.value.trim(),
      customerId: customer.value.trim(),
      lines: items.lines().map((line) => ({ sku: line.sku, quantity: BigInt(line.quantity) })),
    };
    const requestId = ids.for({ ...sale, lines: items.lines() });
    const answer = await run({ button, notices, call: () => storeOps.recordStoreSale({ requestId, ...sale }) });
    const order = answer?.order;
    if (!order) return;
    const anonymous = order.customerId === "anonymous" ? ` ${words.anonymous}` : "";
    next();
    notices.show("ok", words.done(order.orderId, money(order.total)) + anonymous);
  });
  return form;
}
