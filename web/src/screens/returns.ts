// A return at this store's counter, of an order from any channel: the items coming back and
// their condition, the customer's reason, and an exception to the policy with the
// associate's reason when needed → ProcessReturn.
import { ItemCondition, type StoreOrder } from "../gen/clickcollect/gateway/v1/order_views_pb";
import { storeOps } from "../api/clients";
import type { Refusal } from "../api/refusals";
import { RequestIds, run } from "../app/actions";
import { rememberedOrder } from "../api/queues";
import { go, type Mounted } from "../app/navigation";
import { t } from "../i18n/lang";
import { field, fill, h, page } from "../ui/dom";
import { money } from "../ui/format";
import { LinesEditor, type Line } from "../ui/lines";
import { NoticeArea } from "../ui/notice";
import { problemSentence } from "../ui/problem";

const POLICY_REASONS = new Set(["RETURN_WINDOW_CLOSED", "FINAL_SALE"]);

export function returnsScreen([orderId = ""]: string[]): Mounted {
  const words = t().returns;
  const notices = new NoticeArea();
  const body = h("div", {});
  fill(body, returnForm(orderId, orderId ? rememberedOrder(orderId) : undefined, notices, body));
  const find = h("button", { type: "button", class: "secondary", onclick: () => go("customer") }, words.findCustomer);
  const mail = h("button", { type: "button", class: "secondary", onclick: () => go("rma") }, t().rma.title);
  return { el: page(words.title, h("p", { class: "lead" }, words.intro), h("div", { class: "row" }, find, mail), notices.el, body) };
}

export function conditionChoices(): [string, string][] {
  const words = t().returns;
  return [
    ["RESELLABLE", words.resellable],
    ["DAMAGED", words.damagedItem],
  ];
}

export function returnedLines(lines: Line[]): { sku: string; quantity: bigint; condition: ItemCondition }[] {
  return lines.map((line) => ({
    sku: line.sku,
    quantity: BigInt(line.quantity),
    condition: line.choice === "DAMAGED" ? ItemCondition.DAMAGED : ItemCondition.RESELLABLE,
  }));
}

function returnForm(orderId: string, order: StoreOrder | undefined, notices: NoticeArea, body: HTMLElement): HTMLElement {
  const words = t().returns;
  const id = h("input", { type: "text", name: "order_id", value: orderId, autocomplete: "off", spellcheck: "false" });
  const items = new LinesEditor({ caption: words.lines, choices: conditionChoices(), choiceLabel: words.condition, scan: !order });
  for (const line of order?.lines ?? []) {
    const returnable = Number(line.quantity - line.cancelledQuantity - line.returnedQuantity);
    const name = line.finalSale ? `${line.name} · ${words.finalSale}` : line.name;
    if (returnable > 0) items.add(line.sku, name, 0, returnable);
  }
  const reason = h("input", { type: "text", name: "reason", autocomplete: "off", maxlength: 500 });
  const exception = h("input", { type: "checkbox", id: "return-override" });
  const override = h("input", { type: "text", name: "override_reason", autocomplete: "off", maxlength: 500 });
  const overrideField = field(words.overrideReason, override);
  overrideField.hidden = true;
  exception.addEventListener("change", () => (overrideField.hidden = !exception.checked));
  const button = h("button", { type: "submit", class: "primary" }, words.submit);
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    field(words.orderId, id),
    items.el,
    field(words.reason, reason),
    h("label", { class: "check" }, exception, words.override),
    overrideField,
    button,
  );
  const policy = (refusal: Refusal): boolean => {
    if (!POLICY_REASONS.has(refusal.reason)) return false;
    notices.show("warning", problemSentence(refusal));
    exception.checked = true;
    overrideField.hidden = false;
    override.focus();
    return true;
  };
  const ids = new RequestIds();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const lines = items.lines();
    if (!lines.length) {
      notices.show("error", words.nothing);
      return;
    }
    const details = {
      orderId: id.value.trim(),
      lines: returnedLines(lines),
      reason: reason.value.trim(),
      overrideReason: exception.checked ? override.value.trim() : "",
    };
    const requestId = ids.for({ ...details, lines });
    const answer = await run({
      button,
      notices,
      onRefusal: policy,
      call: () => storeOps.processReturn({ requestId, ...details }),
    });
    const taken = answer?.orderReturn;
    if (!taken) return;
    notices.show("ok", words.done(taken.returnId, money(taken.refundTotal)));
    fill(body, h("button", { type: "button", class: "secondary", onclick: () => go("returns") }, words.title));
  });
  return form;
}
