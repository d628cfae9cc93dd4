// A mail return's parcel arrives at this store: scan the RMA label, then the items inside with
// their condition → ReceiveReturn (inspected and refunded).
import { storeOps } from "../api/clients";
import { RequestIds, run } from "../app/actions";
import type { Mounted } from "../app/navigation";
import { t } from "../i18n/lang";
import { field, h, page } from "../ui/dom";
import { money } from "../ui/format";
import { LinesEditor } from "../ui/lines";
import { NoticeArea } from "../ui/notice";
import { conditionChoices, returnedLines } from "./returns";

export function rmaScreen(): Mounted {
  const words = t().rma;
  const notices = new NoticeArea();
  const slot = h("div", {});
  const start = () => slot.replaceChildren(parcelForm(notices, start));
  start();
  return { el: page(words.title, h("p", { class: "lead" }, words.intro), notices.el, slot) };
}

function parcelForm(notices: NoticeArea, next: () => void): HTMLFormElement {
  const words = t().rma;
  const label = h("input", { type: "text", name: "return_id", autocomplete: "off", spellcheck: "false", autocapitalize: "characters" });
  // The scanner's Enter after the label moves on to the items instead of sending the form.
  const items = new LinesEditor({ caption: t().returns.lines, choices: conditionChoices(), choiceLabel: t().returns.condition, scan: true });
  label.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    items.el.querySelector<HTMLInputElement>("input")?.focus();
  });
  const button = h("button", { type: "submit", class: "primary" }, words.submit);
  const form = h("form", { class: "stack", novalidate: true }, field(words.returnId, label), items.el, button);
  const ids = new RequestIds();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const lines = items.lines();
    if (!lines.length) {
      notices.show("error", t().returns.nothing);
      return;
    }
    const returnId = label.value.trim().toUpperCase();
    const requestId = ids.for({ returnId, lines });
    const answer = await run({
      button,
      notices,
      call: () => storeOps.receiveReturn({ requestId, returnId, lines: returnedLines(lines) }),
    });
    const received = answer?.orderReturn;
    if (!received) return;
    next();
    notices.show("ok", words.done(received.returnId, money(received.refundTotal)));
  });
  window.setTimeout(() => label.focus(), 0);
  return form;
}
