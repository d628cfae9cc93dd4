// Running a mutating call from a button: a request_id per action (the same one when the same
// action is sent again, so a retry is never done twice), the button busy meanwhile, and a
// refusal shown as a sentence with, when it may help, a "Try again" button.
import { isSignedOut, isTransient, refusalOf, type Refusal } from "../api/refusals";
import { t } from "../i18n/lang";
import { h } from "../ui/dom";
import type { NoticeArea } from "../ui/notice";
import { problemSentence } from "../ui/problem";
import { sessionEnded } from "./navigation";

/** A fresh UUID; crypto.randomUUID exists only on https or localhost, a tablet on the shop's
 * network may reach the app over plain http. */
export function newRequestId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One action on one screen (one pick, one hand-over, one sale): the same request_id for the
 * same details, a new one when the details change. */
export class RequestIds {
  private key = "";
  private id = "";

  for(details: unknown): string {
    const key = JSON.stringify(details, (_, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
    if (key !== this.key || !this.id) {
      this.key = key;
      this.id = newRequestId();
    }
    return this.id;
  }

  /** The action was answered for good (not lost on the way): the next one gets a new id. */
  forget(): void {
    this.id = "";
  }
}

export interface Run<T> {
  button: HTMLButtonElement;
  notices: NoticeArea;
  call: () => Promise<T>;
  /** A refusal this screen shows its own way (true: handled). */
  onRefusal?: (refusal: Refusal) => boolean;
  /** The call carries no terminal token (a customer's page): no refusal ends a session. */
  anonymous?: boolean;
}

/** The call's answer, or undefined once its refusal is shown. */
export async function run<T>(spec: Run<T>): Promise<T | undefined> {
  const { button, notices } = spec;
  const label = button.textContent ?? "";
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = t().common.working;
  notices.clear();
  try {
    return await spec.call();
  } catch (error) {
    const refusal = refusalOf(error);
    if (!spec.anonymous && isSignedOut(refusal)) {
      sessionEnded(refusal);
      return undefined;
    }
    if (spec.onRefusal?.(refusal)) return undefined;
    const retry = isTransient(refusal)
      ? h("button", { type: "button", class: "secondary", onclick: () => button.click() }, t().common.retry)
      : null;
    notices.show("error", problemSentence(refusal), retry);
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = label;
  }
}
