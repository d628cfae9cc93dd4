// Receiving a transfer at the pickup store: scan its label (the scanner types the id and
// Enter) or type the id → ReceiveTransfer; what arrived, when not everything did.
import { OrderState } from "../gen/clickcollect/gateway/v1/order_views_pb";
import { storeOps } from "../api/clients";
import { remember } from "../api/queues";
import { RequestIds, run } from "../app/actions";
import { go, type Mounted } from "../app/navigation";
import { t } from "../i18n/lang";
import { field, h, page } from "../ui/dom";
import { LinesEditor } from "../ui/lines";
import { NoticeArea } from "../ui/notice";

export function receiveScreen([given = ""]: string[]): Mounted {
  const words = t().receive;
  const notices = new NoticeArea();
  const input = h("input", {
    type: "text",
    name: "transfer_id",
    value: given,
    autocomplete: "off",
    spellcheck: "false",
    autofocus: true,
    enterkeyhint: "send",
  });
  const partial = h("input", { type: "checkbox", id: "receive-partial" });
  const items = new LinesEditor({ caption: words.partialHelp, scan: true });
  items.el.hidden = true;
  partial.addEventListener("change", () => (items.el.hidden = !partial.checked));
  const button = h("button", { type: "submit", class: "primary" }, words.submit);
  const form = h(
    "form",
    { class: "stack" },
    field(words.transferId, input),
    h("label", { class: "check" }, partial, words.partial),
    items.el,
    button,
  );
  const ids = new RequestIds();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const transferId = input.value.trim();
    const lines = partial.checked ? items.lines() : [];
    const requestId = ids.for({ transferId, lines });
    const answer = await run({
      button,
      notices,
      call: () =>
        storeOps.receiveTransfer({
          requestId,
          transferId,
          items: lines.map((line) => ({ sku: line.sku, quantity: BigInt(line.quantity) })),
        }),
    });
    const order = answer?.order;
    if (!order) return;
    remember(order);
    const ready = order.state === OrderState.AWAITING_PICK;
    const text = ready ? words.done(transferId, order.orderId) : words.doneWaiting(transferId, order.orderId);
    const pick = ready
      ? h("button", { type: "button", class: "secondary", onclick: () => go("pick", order.orderId) }, t().queues.pick)
      : null;
    notices.show("ok", text, pick);
    input.value = "";
    input.focus();
  });
  window.setTimeout(() => input.focus(), 0);
  return { el: page(words.title, h("p", { class: "lead" }, words.intro), notices.el, form) };
}
