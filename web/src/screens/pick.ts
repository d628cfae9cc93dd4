// Picking one order: every line, and for units not found or damaged how many and why
// (a short pick) → MarkPicked.
import { ShortPickReason } from "../gen/clickcollect/gateway/v1/store_ops_pb";
import type { StoreOrder } from "../gen/clickcollect/gateway/v1/order_views_pb";
import { storeOps } from "../api/clients";
import { findOrder, remember } from "../api/queues";
import { RequestIds, run } from "../app/actions";
import { load } from "../app/loading";
import { go, type Mounted } from "../app/navigation";
import { t } from "../i18n/lang";
import { fill, h, page } from "../ui/dom";
import { LinesEditor } from "../ui/lines";
import { NoticeArea } from "../ui/notice";

export function pickScreen([orderId = ""]: string[]): Mounted {
  const notices = new NoticeArea();
  const body = h("div", {}, h("p", { class: "hint" }, t().common.loading));
  void load(notices, () => findOrder(orderId)).then((order) => {
    if (order) fill(body, pickForm(order, notices));
    else fill(body, h("p", {}, t().pick.gone), backButton());
  });
  return { el: page(t().pick.title(orderId), h("p", { class: "lead" }, t().pick.intro), notices.el, body) };
}

function pickForm(order: StoreOrder, notices: NoticeArea): HTMLElement {
  const words = t().pick;
  const missing = new LinesEditor({
    caption: words.missing,
    choiceLabel: words.reason,
    choices: [
      ["NOT_FOUND", words.notFound],
      ["DAMAGED", words.damaged],
    ],
  });
  for (const line of order.lines) {
    const open = Number(line.quantity - line.cancelledQuantity);
    if (open > 0) missing.add(line.sku, `${line.name} · ${words.ordered(open)}`, 0, open);
  }
  const ids = new RequestIds();
  const button = h("button", { type: "submit", class: "primary" }, words.submit);
  const form = h("form", { class: "stack" }, missing.el, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const short = missing.lines().map((line) => ({
      sku: line.sku,
      quantity: BigInt(line.quantity),
      reason: line.choice === "DAMAGED" ? ShortPickReason.DAMAGED : ShortPickReason.NOT_FOUND,
    }));
    const requestId = ids.for({ order: order.orderId, short: missing.lines() });
    const answer = await run({
      button,
      notices,
      call: () => storeOps.markPicked({ requestId, orderId: order.orderId, missing: short }),
    });
    if (!answer?.order) return;
    remember(answer.order);
    notices.show("ok", words.done(order.orderId));
    fill(form, backButton());
  });
  return form;
}

export function backButton(): HTMLButtonElement {
  return h("button", { type: "button", class: "secondary", onclick: () => go("queues") }, t().nav.queues);
}
