// Handing an order over at the counter: the customer's pickup code (wrong codes counted, a
// clear locked state after too many), who collects, and what they take when they leave some
// items → ConfirmPickup.
import { ArrivalState, type StoreOrder } from "../gen/clickcollect/gateway/v1/order_views_pb";
import { StoreQueue } from "../gen/clickcollect/gateway/v1/store_ops_pb";
import { storeOps } from "../api/clients";
import { findOrder, listQueue, remember } from "../api/queues";
import type { Refusal } from "../api/refusals";
import { RequestIds, run } from "../app/actions";
import { load } from "../app/loading";
import { go, type Mounted } from "../app/navigation";
import { t } from "../i18n/lang";
import { field, fill, h, page } from "../ui/dom";
import { LinesEditor } from "../ui/lines";
import { NoticeArea } from "../ui/notice";
import { problemSentence } from "../ui/problem";
import { backButton } from "./pick";

export function handoverScreen([orderId = ""]: string[]): Mounted {
  const notices = new NoticeArea();
  const body = h("div", {}, h("p", { class: "hint" }, t().common.loading));
  const words = t().handover;
  if (orderId) {
    void load(notices, () => findOrder(orderId)).then((order) => {
      if (!order) fill(body, h("p", {}, t().pick.gone), backButton());
      else if (order.pickupLocked) fill(body, lockedPanel());
      else fill(body, handoverForm(order, notices, body));
    });
  } else {
    void load(notices, () => listQueue(StoreQueue.READY)).then((orders) => orders && fill(body, chooser(orders)));
  }
  const title = orderId ? `${words.title} · ${orderId}` : words.title;
  return { el: page(title, h("p", { class: "lead" }, words.intro), notices.el, body) };
}

/** The ready orders, customers who are here first, narrowed by order number or e-mail. */
function chooser(orders: StoreOrder[]): HTMLElement {
  const words = t().handover;
  if (!orders.length) return h("p", {}, words.noneReady);
  const here = (o: StoreOrder) => (o.customerArrival?.state === ArrivalState.HERE ? 0 : 1);
  const sorted = [...orders].sort((a, b) => here(a) - here(b));
  const list = h("ul", { class: "cards" });
  const filter = h("input", { type: "search", autocomplete: "off", spellcheck: "false" });
  const draw = () => {
    const wanted = filter.value.trim().toLowerCase();
    const shown = sorted.filter((o) => !wanted || o.orderId.toLowerCase().includes(wanted) || o.customerEmail.toLowerCase().includes(wanted));
    fill(
      list,
      shown.map((o) =>
        h(
          "li",
          { class: "card", "data-order-id": o.orderId },
          h("div", { class: "card-head" }, h("strong", { class: "order-id" }, o.orderId), here(o) === 0 ? h("span", { class: "badge badge-here" }, t().queues.hereTag) : null),
          h("p", { class: "card-meta" }, o.customerEmail),
          h("div", { class: "card-actions" }, h("button", { type: "button", class: "primary", onclick: () => go("handover", o.orderId) }, t().queues.handOver)),
        ),
      ),
    );
  };
  filter.addEventListener("input", draw);
  draw();
  return h("div", { class: "stack" }, field(words.find, filter), list);
}

function handoverForm(order: StoreOrder, notices: NoticeArea, body: HTMLElement): HTMLElement {
  const words = t().handover;
  const code = h("input", { type: "text", inputmode: "numeric", pattern: "[0-9]*", maxlength: 6, autocomplete: "off", name: "pickup_code", class: "code" });
  const name = h("input", { type: "text", autocomplete: "off", name: "collector_name", value: order.collectorName, maxlength: 80 });
  const attempts = h("p", { class: "attempts", "data-testid": "attempts", "aria-live": "polite" });
  const partial = h("input", { type: "checkbox", id: "handover-partial" });
  const taken = new LinesEditor({ caption: words.taken });
  for (const line of order.lines) {
    const open = Number(line.quantity - line.cancelledQuantity);
    if (open > 0) taken.add(line.sku, line.name, open, open);
  }
  taken.el.hidden = true;
  partial.addEventListener("change", () => (taken.el.hidden = !partial.checked));
  const button = h("button", { type: "submit", class: "primary" }, words.submit);
  const hint = order.collectorName ? words.collectorHint(order.collectorName) : undefined;
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    orderSummary(order),
    field(words.code, code),
    attempts,
    field(words.collector, name, hint),
    h("label", { class: "check" }, partial, words.partial),
    taken.el,
    button,
  );
  const ids = new RequestIds();
  const refused = (refusal: Refusal): boolean => {
    if (refusal.reason === "PICKUP_LOCKED") {
      fill(body, lockedPanel());
      return true;
    }
    if (refusal.reason !== "INVALID_PICKUP_CODE") return false;
    notices.show("error", problemSentence(refusal));
    const left = Number(refusal.metadata.attempts_left ?? "");
    attempts.textContent = Number.isFinite(left) && refusal.metadata.attempts_left ? words.attemptsLeft(left) : "";
    code.value = "";
    code.focus();
    return true;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const collected = partial.checked ? taken.allLines().map((l) => ({ sku: l.sku, quantity: l.quantity })) : [];
    const details = { order: order.orderId, code: code.value.trim(), name: name.value.trim(), collected };
    const requestId = ids.for(details);
    const answer = await run({
      button,
      notices,
      onRefusal: refused,
      call: () =>
        storeOps.confirmPickup({
          requestId,
          orderId: order.orderId,
          pickupCode: details.code,
          collectorName: details.name,
          collected: collected.map((l) => ({ sku: l.sku, quantity: BigInt(l.quantity) })),
        }),
    });
    if (!answer?.order) return;
    remember(answer.order);
    notices.show("ok", words.done(order.orderId, details.name));
    fill(body, backButton());
  });
  window.setTimeout(() => code.focus(), 0);
  return form;
}

function orderSummary(order: StoreOrder): HTMLElement {
  return h(
    "ul",
    { class: "summary" },
    order.lines.map((line) => h("li", {}, `${Number(line.quantity - line.cancelledQuantity)} × ${line.name} (${line.sku})`)),
  );
}

function lockedPanel(): HTMLElement {
  const words = t().handover;
  return h(
    "div",
    { class: "locked", role: "alert", "data-testid": "locked" },
    h("h2", {}, words.lockedTitle),
    h("p", {}, words.locked),
    backButton(),
  );
}
