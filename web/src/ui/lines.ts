// A list of items with a quantity each (and optionally a choice such as a reason or a
// condition): the order's lines to count, or items scanned one by one (a scanner types the
// code and Enter).
import { t } from "../i18n/lang";
import { field, fill, h, uid } from "./dom";

export interface Line {
  sku: string;
  name: string;
  quantity: number;
  /** The chosen option (reason, condition), when the editor has one. */
  choice: string;
}

export interface LinesOptions {
  /** Caption of the list (read out with each quantity). */
  caption: string;
  /** A choice per line, e.g. [["NOT_FOUND", "Not found"], …]. */
  choices?: [string, string][];
  choiceLabel?: string;
  /** Items can be scanned or typed in (a scanner types the code and Enter). */
  scan?: boolean;
}

interface Row {
  line: Line;
  max: number | undefined;
  el: HTMLElement;
}

export class LinesEditor {
  readonly el: HTMLElement;
  private readonly list = h("ul", { class: "lines" });
  private readonly rows: Row[] = [];

  constructor(private readonly options: LinesOptions) {
    const scanner = options.scan ? this.scanner() : null;
    this.el = h("fieldset", { class: "lines-editor" }, h("legend", {}, options.caption), scanner, this.list);
  }

  /** A line of the order: quantity starts at `quantity`, at most `max`. */
  add(sku: string, name = "", quantity = 1, max?: number): void {
    const found = this.rows.find((row) => row.line.sku === sku);
    if (found) {
      this.setQuantity(found, found.line.quantity + quantity);
      return;
    }
    const line: Line = { sku, name, quantity: 0, choice: this.options.choices?.[0]?.[0] ?? "" };
    const row: Row = { line, max, el: h("li", { class: "line", "data-sku": sku }) };
    this.rows.push(row);
    this.draw(row);
    this.list.append(row.el);
    this.setQuantity(row, quantity);
  }

  /** Lines with a quantity above zero. */
  lines(): Line[] {
    return this.rows.filter((row) => row.line.quantity > 0).map((row) => ({ ...row.line }));
  }

  /** Every line, zero quantities too (what was taken of each order line). */
  allLines(): Line[] {
    return this.rows.map((row) => ({ ...row.line }));
  }

  private draw(row: Row): void {
    const { line } = row;
    const label = line.name ? `${line.name} (${line.sku})` : line.sku;
    const input = h("input", {
      type: "number",
      inputmode: "numeric",
      min: 0,
      max: row.max,
      class: "qty",
      "aria-label": t().common.labelled(this.options.caption, label),
      onchange: () => this.setQuantity(row, Number(input.value) || 0),
    });
    const step = (delta: number, text: string, aria: string) =>
      h("button", { type: "button", class: "step", "aria-label": aria, onclick: () => this.setQuantity(row, line.quantity + delta) }, text);
    const choice = this.options.choices ? this.choiceSelect(row, label) : null;
    const remove = this.options.scan
      ? h("button", { type: "button", class: "ghost", onclick: () => this.remove(row) }, t().common.remove)
      : null;
    const limit = row.max !== undefined ? h("span", { class: "hint" }, `/ ${row.max}`) : null;
    fill(
      row.el,
      h("span", { class: "line-name" }, h("strong", {}, line.name || line.sku), line.name ? h("small", {}, line.sku) : null),
      h("span", { class: "stepper" }, step(-1, "−", t().common.minus(label)), input, step(1, "+", t().common.plus(label)), limit),
      choice,
      remove,
    );
  }

  private choiceSelect(row: Row, label: string): HTMLSelectElement {
    const select = h(
      "select",
      { "aria-label": t().common.labelled(this.options.choiceLabel ?? "", label), onchange: () => (row.line.choice = select.value) },
      (this.options.choices ?? []).map(([value, text]) => h("option", { value }, text)),
    );
    select.value = row.line.choice;
    return select;
  }

  private setQuantity(row: Row, quantity: number): void {
    const top = row.max ?? Number.MAX_SAFE_INTEGER;
    row.line.quantity = Math.max(0, Math.min(top, Math.floor(quantity)));
    const input = row.el.querySelector<HTMLInputElement>("input.qty");
    if (input) input.value = String(row.line.quantity);
    row.el.classList.toggle("counted", row.line.quantity > 0);
  }

  private remove(row: Row): void {
    this.rows.splice(this.rows.indexOf(row), 1);
    row.el.remove();
  }

  private scanner(): HTMLElement {
    const input = h("input", { type: "text", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", id: uid("scan") });
    const addScanned = () => {
      const sku = input.value.trim().toUpperCase();
      if (sku) this.add(sku);
      input.value = "";
      input.focus();
    };
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        addScanned();
      }
    });
    const button = h("button", { type: "button", class: "secondary", onclick: addScanned }, t().common.add);
    return h("div", { class: "scan-row" }, field(t().common.sku, input), button);
  }
}
