// Customer lookup at the counter: by e-mail, phone, loyalty card or customer id → the
// customer's summary and their orders across web, app and stores (LookupCustomer).
import { Channel, OrderState, ReturnState, type StoreOrder } from "../gen/clickcollect/gateway/v1/order_views_pb";
import type { LookupCustomerResponse } from "../gen/clickcollect/gateway/v1/store_ops_pb";
import { storeOps } from "../api/clients";
import { remember } from "../api/queues";
import { run } from "../app/actions";
import { go, type Mounted } from "../app/navigation";
import { t } from "../i18n/lang";
import { field, fill, h, page } from "../ui/dom";
import { clock, money } from "../ui/format";
import { NoticeArea } from "../ui/notice";
import { stateBadge } from "../ui/state";

type LookupField = "email" | "phone" | "loyaltyCard" | "customerId";
const FIELDS: LookupField[] = ["email", "phone", "loyaltyCard", "customerId"];

export function customerScreen(): Mounted {
  const words = t().customer;
  const notices = new NoticeArea();
  const by = h("select", { name: "by" }, FIELDS.map((f) => h("option", { value: f }, words[f])));
  const value = h("input", { type: "search", name: "value", autocomplete: "off", spellcheck: "false" });
  const button = h("button", { type: "submit", class: "primary" }, words.submit);
  const results = h("div", { class: "results" });
  const form = h("form", { class: "stack inline" }, field(words.by, by), field(words.value, value), button);
  let asked: { field: LookupField; value: string } | undefined;
  let pageToken = "";
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t().common.more);
  const list = h("ul", { class: "cards" });
  const lookup = async (trigger: HTMLButtonElement, first: boolean) => {
    if (!asked) return;
    const query = { email: "", phone: "", loyaltyCard: "", customerId: "", pageSize: 20, pageToken: first ? "" : pageToken };
    query[asked.field] = asked.value;
    const answer = await run({ button: trigger, notices, call: () => storeOps.lookupCustomer(query) });
    if (!answer) return;
    if (first) fill(results, profile(answer), h("h2", {}, words.history), list, more);
    answer.orders.forEach(remember);
    list.append(...answer.orders.map(historyCard));
    pageToken = answer.nextPageToken;
    more.hidden = !pageToken;
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    asked = { field: by.value as LookupField, value: value.value.trim() };
    list.replaceChildren();
    void lookup(button, true);
  });
  more.addEventListener("click", () => void lookup(more, false));
  return { el: page(words.title, h("p", { class: "lead" }, words.intro), form, notices.el, results) };
}

function profile(answer: LookupCustomerResponse): HTMLElement {
  const words = t().customer;
  const who = answer.customer;
  if (!who) return h("p", { class: "hint" }, words.noProfile);
  return h(
    "div",
    { class: "profile", "data-testid": "profile" },
    h("h2", {}, words.profile(who.customerId)),
    h("p", {}, [who.email, who.phone, who.locale.toUpperCase()].filter(Boolean).join(" · ")),
    who.hasLoyaltyCard ? h("span", { class: "badge badge-info" }, words.hasCard) : null,
  );
}

/** One order of the customer's history, with a way to take items back once handed over. */
export function historyCard(order: StoreOrder): HTMLElement {
  const words = t();
  const returned = order.lines.reduce((sum, line) => sum + Number(line.returnedQuantity), 0);
  const returns = order.returns.map((r) => `${r.returnId} · ${words.returnState[ReturnState[r.state]] ?? ""}`);
  const returnable = order.state === OrderState.PICKED_UP;
  return h(
    "li",
    { class: "card", "data-order-id": order.orderId },
    h(
      "div",
      { class: "card-head" },
      h("strong", { class: "order-id" }, order.orderId),
      h("span", { class: "badge badge-info" }, words.channel[Channel[order.channel]] ?? ""),
      stateBadge(order),
    ),
    h("p", { class: "card-meta" }, [clock(order.createTime), money(order.total), order.pickupStoreId, order.receiptNumber].filter(Boolean).join(" · ")),
    h("ul", { class: "summary" }, order.lines.map((l) => h("li", {}, `${Number(l.quantity)} × ${l.name} (${l.sku})`))),
    returned ? h("p", { class: "hint" }, [words.customer.returned(returned), ...returns].join(" · ")) : null,
    returnable
      ? h("div", { class: "card-actions" }, h("button", { type: "button", class: "secondary", onclick: () => go("returns", order.orderId) }, words.customer.returnItems))
      : null,
  );
}
