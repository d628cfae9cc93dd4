// Stock of a product as this store sees it (LookupStock): scan or search, then this shelf (what
// can be promised now, ready by when) and the other stores and DCs with their counts and when
// each could get it here. Searched again when the screen is opened again, and on "Refresh".
import { LocationKind, StockPromiseKind, type LocationStock, type ProductStock } from "../gen/clickcollect/gateway/v1/stock_pb";
import { storeOps } from "../api/clients";
import { run } from "../app/actions";
import { go, type Mounted } from "../app/navigation";
import { t } from "../i18n/lang";
import { field, h, page } from "../ui/dom";
import { clock, money } from "../ui/format";
import { NoticeArea } from "../ui/notice";

const PAGE_SIZE = 10;

interface Search {
  text: string;
  quantity: number;
}

// The last search of this tab: shown again, fresh, when the associate comes back.
let lastSearch: Search | undefined;

export function stockScreen(): Mounted {
  const words = t().stock;
  const notices = new NoticeArea();
  const text = h("input", { type: "search", name: "query", autocomplete: "off", spellcheck: "false", maxlength: 64, enterkeyhint: "search" });
  const quantity = h("input", { type: "number", name: "quantity", inputmode: "numeric", min: 1, max: 99, value: 1, class: "qty" });
  const find = h("button", { type: "submit", class: "primary" }, words.submit);
  const refresh = h("button", { type: "button", class: "secondary", hidden: true }, words.refresh);
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t().common.more);
  const list = h("ul", { class: "cards", "data-testid": "stock-results" });
  const updated = h("p", { class: "hint", "aria-live": "off" });
  const units = field(words.quantity, quantity);
  units.classList.add("narrow");
  const form = h("form", { class: "stack inline", role: "search" }, field(words.query, text), units, find, refresh);
  let pageToken = "";

  const lookup = async (trigger: HTMLButtonElement, first: boolean) => {
    const asked = lastSearch;
    if (!asked) return;
    const request = { query: asked.text, quantity: BigInt(asked.quantity), pageSize: PAGE_SIZE, pageToken: first ? "" : pageToken };
    const answer = await run({ button: trigger, notices, call: () => storeOps.lookupStock(request) });
    if (!answer) return;
    if (first) list.replaceChildren();
    list.append(...answer.products.map((product) => productCard(product, asked.quantity)));
    if (first && !answer.products.length) notices.show("info", words.nothing(asked.text));
    pageToken = answer.nextPageToken;
    more.hidden = !pageToken;
    refresh.hidden = false;
    updated.textContent = words.updated(clock(new Date()));
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const asked = { text: text.value.trim(), quantity: Math.max(1, Math.min(99, Math.floor(Number(quantity.value) || 1))) };
    if (!asked.text) {
      notices.show("error", words.empty);
      text.focus();
      return;
    }
    quantity.value = String(asked.quantity);
    lastSearch = asked;
    void lookup(find, true).then(() => text.select());
  });
  refresh.addEventListener("click", () => void lookup(refresh, true));
  more.addEventListener("click", () => void lookup(more, false));
  if (lastSearch) {
    text.value = lastSearch.text;
    quantity.value = String(lastSearch.quantity);
    void lookup(refresh, true);
  }
  queueMicrotask(() => text.focus()); // once on screen: the scanner types into it at once
  const el = page(words.title, h("p", { class: "lead" }, words.intro), form, notices.el, updated, list, more);
  return { el };
}

function productCard(product: ProductStock, quantity: number): HTMLElement {
  const words = t().stock;
  const shelf = product.shelf;
  const free = Number(shelf?.availableToPromise ?? 0n);
  const lacks = free < quantity;
  const order = lacks
    ? h("button", { type: "button", class: "primary", onclick: () => go("aisle", product.sku, String(quantity), product.name) }, words.orderFor)
    : null;
  return h(
    "li",
    { class: "card", "data-sku": product.sku },
    h(
      "div",
      { class: "card-head" },
      h("strong", { class: "order-id" }, product.name),
      h("span", { class: "badge" }, product.sku),
      h("span", {}, money(product.price)),
      product.finalSale ? h("span", { class: "badge badge-urgent" }, words.finalSale) : null,
    ),
    h(
      "div",
      { class: `shelf ${lacks ? "shelf-lacks" : "shelf-has"}`, "data-testid": "shelf" },
      h("h2", {}, words.shelf),
      h("p", { class: "shelf-count" }, words.promisable(free)),
      h("p", { class: "hint" }, words.counts(Number(shelf?.onHand ?? 0n), Number(shelf?.reserved ?? 0n), Number(shelf?.inTransit ?? 0n))),
      h("p", { class: "promise", "data-testid": "promise" }, promiseSentence(product, quantity)),
    ),
    elsewhere(product.elsewhere),
    order ? h("div", { class: "card-actions" }, order) : null,
  );
}

function promiseSentence(product: ProductStock, quantity: number): string {
  const words = t().stock;
  const promise = product.promise;
  const readyBy = clock(promise?.readyBy);
  switch (promise?.kind) {
    case StockPromiseKind.PICKUP_IN_STORE:
      return words.pickupHere(quantity, readyBy);
    case StockPromiseKind.SHIP_TO_STORE:
      return words.shipHere(quantity, promise.sourceIds.join(", "), readyBy);
    default:
      return words.unavailable(quantity);
  }
}

function elsewhere(locations: LocationStock[]): HTMLElement {
  const words = t().stock;
  if (!locations.length) return h("p", { class: "hint" }, words.nowhereElse);
  const rows = locations.map((location) =>
    h(
      "tr",
      { "data-location-id": location.locationId },
      h("th", { scope: "row" }, h("span", {}, location.locationName || location.locationId), h("small", {}, ` ${location.locationId} · ${kindName(location.kind)}`)),
      h("td", { class: "num" }, String(Number(location.counts?.availableToPromise ?? 0n))),
      h("td", {}, location.shipsHere && location.readyBy ? words.hereBy(clock(location.readyBy)) : words.notHere),
    ),
  );
  const head = h("tr", {}, h("th", { scope: "col" }, words.location), h("th", { scope: "col", class: "num" }, words.available), h("th", { scope: "col" }, words.whenHere));
  const table = h("table", { class: "stock-table" }, h("caption", {}, words.elsewhere), h("thead", {}, head), h("tbody", {}, rows));
  return h("div", { class: "table-wrap" }, table);
}

function kindName(kind: LocationKind): string {
  const words = t().stock;
  return kind === LocationKind.DISTRIBUTION_CENTER ? words.dc : words.storeKind;
}
