// The frame around every screen: who is signed in, the language switch, the main sections; a
// customer's page (paying by a link) gets only the name and the language switch.
import { setLang, t, type Lang } from "../i18n/lang";
import { h } from "../ui/dom";
import { isCustomerRoute, show, signedOut, type Mounted } from "./navigation";
import { terminalOf, token } from "./session";

const SECTIONS = ["queues", "receive", "handover", "returns", "sale", "customer", "stock", "aisle"] as const;

export function drawShell(root: HTMLElement, route: string, screen: Mounted): void {
  const customer = isCustomerRoute(route);
  document.title = customer ? "Click & Collect" : `${t().appName} · Click & Collect`;
  const signedIn = route !== "signin" && !customer;
  const main = h("main", { id: "main", class: customer ? "customer" : undefined }, screen.el);
  root.replaceChildren(...[header(signedIn, customer), signedIn ? nav(route) : null, main].filter((el) => el !== null));
  const heading = main.querySelector<HTMLElement>("h1");
  if (heading && !main.contains(document.activeElement)) heading.focus({ preventScroll: true });
}

function header(signedIn: boolean, customer: boolean): HTMLElement {
  const words = t();
  const terminal = signedIn ? terminalOf(token()) : undefined;
  const next = words.switchToLang as Lang;
  return h(
    "header",
    { class: "top" },
    h("span", { class: "brand" }, customer ? "Click & Collect" : words.appName),
    terminal ? h("span", { class: "terminal", "data-testid": "terminal" }, words.store(terminal.storeId)) : null,
    h(
      "button",
      {
        type: "button",
        class: "ghost",
        lang: next,
        "aria-label": words.switchLabel,
        onclick: () => {
          setLang(next);
          show();
        },
      },
      words.switchTo,
    ),
    signedIn ? h("button", { type: "button", class: "ghost", onclick: signedOut }, words.signOut) : null,
  );
}

function nav(route: string): HTMLElement {
  const words = t().nav;
  return h(
    "nav",
    { class: "sections", "aria-label": t().appName },
    SECTIONS.map((name) =>
      h(
        "a",
        { href: `#/${name}`, class: "tab", "aria-current": route === name ? "page" : undefined },
        words[name],
      ),
    ),
  );
}
