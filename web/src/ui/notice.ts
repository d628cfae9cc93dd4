// Messages to the associate: refusals (read out at once) and confirmations.
import { h, type Child } from "./dom";

export type NoticeKind = "error" | "ok" | "info" | "warning";

export function notice(kind: NoticeKind, text: string, ...extra: Child[]): HTMLDivElement {
  const role = kind === "error" || kind === "warning" ? "alert" : "status";
  return h("div", { class: `notice notice-${kind}`, role, "data-kind": kind }, h("p", {}, text), ...extra);
}

/** A place on a screen where notices appear (one at a time). */
export class NoticeArea {
  readonly el = h("div", { class: "notices", "aria-live": "polite" });

  show(kind: NoticeKind, text: string, ...extra: Child[]): void {
    this.el.replaceChildren(notice(kind, text, ...extra));
  }

  clear(): void {
    this.el.replaceChildren();
  }
}
