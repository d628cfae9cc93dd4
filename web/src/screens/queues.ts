// The store's queues: customers who said they are here, overdue picks, orders to pick, stock
// arriving, orders ready at the counter; counts and the oldest order's age; refreshed on its
// own every few seconds.
import { ArrivalState, OrderState, ShipmentState, type StoreOrder } from "../gen/clickcollect/gateway/v1/order_views_pb";
import { loadQueues, type Queues } from "../api/queues";
import { load } from "../app/loading";
import { go, type Mounted } from "../app/navigation";
import { t } from "../i18n/lang";
import { fill, h, page } from "../ui/dom";
import { age, clock, dateOf } from "../ui/format";
import { NoticeArea } from "../ui/notice";
import { stateText } from "../ui/state";

const REFRESH_MS = 5_000;

type QueueName = "here" | "overdue" | "toPick" | "arriving" | "ready";

interface Section {
  name: QueueName;
  orders: StoreOrder[];
  since: (order: StoreOrder) => Date | undefined;
}

export function queuesScreen(): Mounted {
  const notices = new NoticeArea();
  const summary = h("div", { class: "tiles" });
  const lists = h("div", { class: "queues" });
  const updated = h("p", { class: "hint", "aria-live": "off" });
  let busy = false;
  const refresh = async () => {
    if (busy || document.hidden) return;
    busy = true;
    const queues = await load(notices, loadQueues);
    busy = false;
    if (!queues) return;
    notices.clear();
    const sections = sectionsOf(queues);
    fill(summary, sections.map(tile));
    keepFocus(lists, () => fill(lists, sections.map(sectionView)));
    updated.textContent = t().queues.updated(clock(new Date()));
  };
  void refresh();
  const timer = window.setInterval(() => void refresh(), REFRESH_MS);
  const el = page(t().queues.title, notices.el, summary, updated, lists);
  return { el, dispose: () => window.clearInterval(timer) };
}

function sectionsOf(queues: Queues): Section[] {
  const created = (o: StoreOrder) => dateOf(o.createTime);
  const here = queues.ready.filter((o) => o.customerArrival?.state === ArrivalState.HERE);
  return [
    { name: "here", orders: here, since: (o) => dateOf(o.customerArrival?.announceTime) },
    { name: "overdue", orders: queues.overdue, since: created },
    { name: "toPick", orders: queues.toPick, since: created },
    { name: "arriving", orders: queues.arriving, since: created },
    { name: "ready", orders: queues.ready, since: created },
  ];
}

function oldest(section: Section): Date | undefined {
  const times = section.orders.map(section.since).filter((d): d is Date => d !== undefined);
  return times.length ? new Date(Math.min(...times.map((d) => d.getTime()))) : undefined;
}

function tile(section: Section): HTMLElement {
  const words = t().queues;
  const first = oldest(section);
  const urgent = section.orders.length > 0 && (section.name === "here" || section.name === "overdue");
  const jump = () => {
    const heading = document.getElementById(`queue-${section.name}`);
    heading?.scrollIntoView({ block: "start" });
    heading?.focus({ preventScroll: true });
  };
  return h(
    "button",
    { type: "button", class: `tile${urgent ? " urgent" : ""}`, "data-queue": section.name, onclick: jump },
    h("span", { class: "tile-name" }, words[section.name]),
    h("strong", { class: "tile-count", "data-count": section.orders.length }, String(section.orders.length)),
    h("span", { class: "tile-age" }, first ? words.oldest(age(first)) : ""),
  );
}

function sectionView(section: Section): HTMLElement {
  const words = t().queues;
  const first = oldest(section);
  const heading = h(
    "h2",
    { id: `queue-${section.name}`, tabindex: -1 },
    words[section.name],
    h("span", { class: "count" }, ` · ${words.count(section.orders.length)}`),
    first ? h("span", { class: "age" }, ` · ${words.oldest(age(first))}`) : null,
  );
  const sorted = [...section.orders].sort((a, b) => (section.since(a)?.getTime() ?? 0) - (section.since(b)?.getTime() ?? 0));
  const body = sorted.length
    ? h("ul", { class: "cards" }, sorted.map((order) => card(order, section)))
    : h("p", { class: "hint" }, t().common.none);
  return h("section", { class: "queue", "data-queue": section.name, "aria-labelledby": `queue-${section.name}` }, heading, body);
}

function card(order: StoreOrder, section: Section): HTMLElement {
  const words = t().queues;
  const since = section.since(order);
  const units = order.lines.reduce((sum, line) => sum + Number(line.quantity - line.cancelledQuantity), 0);
  const arrival = order.customerArrival;
  const badges = [
    order.state === OrderState.AWAITING_PAYMENT ? badge(stateText(order), "warn") : null,
    arrival?.state === ArrivalState.HERE ? badge(words.hereTag, "here") : null,
    arrival?.state === ArrivalState.ARRIVING ? badge(words.arrivingTag, "info") : null,
    arrival?.bay ? badge(words.bay(arrival.bay), "info") : null,
    arrival?.vehicleDescription ? badge(arrival.vehicleDescription, "info") : null,
    order.pickOverdue ? badge(words.overdueTag, "urgent") : null,
    order.pickupLocked ? badge(words.locked, "urgent") : null,
    order.transferLate ? badge(words.late, "urgent") : null,
    order.collectorName ? badge(words.collector(order.collectorName), "info") : null,
    order.placedByAssociate ? badge(words.placedBy(order.placedByAssociate), "info") : null,
  ];
  const due =
    order.state === OrderState.AWAITING_PICK && order.pickDeadline
      ? words.pickBy(clock(order.pickDeadline))
      : order.readyBy && order.state !== OrderState.AWAITING_PAYMENT
        ? words.readyBy(clock(order.readyBy))
        : "";
  return h(
    "li",
    { class: "card", "data-order-id": order.orderId },
    h("div", { class: "card-head" }, h("strong", { class: "order-id" }, order.orderId), since ? h("span", { class: "age" }, age(since)) : null),
    h("p", { class: "card-meta" }, [order.customerEmail, t().common.units(units), due].filter(Boolean).join(" · ")),
    h("div", { class: "badges" }, badges),
    transfers(order),
    h("div", { class: "card-actions" }, action(order)),
  );
}

function transfers(order: StoreOrder): HTMLElement | null {
  if (order.state !== OrderState.IN_TRANSIT) return null;
  const shipment = t().shipment;
  return h(
    "ul",
    { class: "transfers" },
    order.shipments.map((s) => h("li", {}, t().queues.transfer(s.transferId, shipment[ShipmentState[s.state]] ?? ""))),
  );
}

function action(order: StoreOrder): HTMLElement | null {
  const words = t().queues;
  const button = (text: string, onclick: () => void) => h("button", { type: "button", class: "primary", onclick }, text);
  switch (order.state) {
    case OrderState.AWAITING_PICK:
      return button(words.pick, () => go("pick", order.orderId));
    case OrderState.READY_FOR_PICKUP:
      return button(words.handOver, () => go("handover", order.orderId));
    case OrderState.IN_TRANSIT: {
      const next = order.shipments.find((s) => s.state === ShipmentState.SHIPPED) ?? order.shipments[0];
      return next ? button(words.receive, () => go("receive", next.transferId)) : null;
    }
    default:
      return null;
  }
}

function badge(text: string, kind: string): HTMLElement {
  return h("span", { class: `badge badge-${kind}` }, text);
}

/** Redraws without losing the keyboard's place (the same order's same button). */
function keepFocus(container: HTMLElement, redraw: () => void): void {
  const active = document.activeElement;
  const card = active instanceof HTMLElement && container.contains(active) ? active.closest<HTMLElement>("[data-order-id]") : null;
  const key = card?.dataset.orderId;
  const section = card?.closest<HTMLElement>("[data-queue]")?.dataset.queue;
  redraw();
  if (key && section) {
    container.querySelector<HTMLElement>(`[data-queue="${section}"] [data-order-id="${key}"] button`)?.focus();
  }
}
