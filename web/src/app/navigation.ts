// Hash routes ("#/pick/ORD-…") to screens; the shell around them; going back to sign-in when
// the gateway refuses the terminal's token. The customer's pages ("#/pay/<order>/<code>", the
// page behind a payment link) need no sign-in.
import { Code } from "@connectrpc/connect";
import type { Refusal } from "../api/refusals";
import { t } from "../i18n/lang";
import { signOut, token } from "./session";

export interface Mounted {
  el: HTMLElement;
  /** Stops timers when the screen is left. */
  dispose?: () => void;
}

export type Screen = (params: string[]) => Mounted;

const screens = new Map<string, Screen>();
/** Routes for customers, shown without a terminal token and without the terminal's shell. */
const CUSTOMER_ROUTES = new Set(["pay"]);
let shown: Mounted | undefined;
let flash = "";
let render: (route: string, screen: Mounted) => void = () => undefined;

export function register(name: string, screen: Screen): void {
  screens.set(name, screen);
}

/** Where screens are drawn (the shell). */
export function onRender(draw: (route: string, screen: Mounted) => void): void {
  render = draw;
}

export function go(...path: string[]): void {
  const hash = `#/${path.map(encodeURIComponent).join("/")}`;
  if (window.location.hash === hash) show();
  else window.location.hash = hash;
}

export function isCustomerRoute(route: string): boolean {
  return CUSTOMER_ROUTES.has(route);
}

/** Draws the screen the address names (sign-in when there is no token, but for a customer's
 * page). */
export function show(): void {
  const [name = "", ...params] = window.location.hash.replace(/^#\/?/, "").split("/").map(safeDecode);
  const route =
    isCustomerRoute(name) && screens.has(name)
      ? name
      : !token()
        ? "signin"
        : screens.has(name) && name !== "signin"
          ? name
          : "queues";
  if (route !== name) {
    window.history.replaceState(null, "", `#/${route}`);
  }
  shown?.dispose?.();
  shown = screens.get(route)!(route === name ? params : []);
  render(route, shown);
}

/** A mistyped or cut link ("%E0") is shown as typed rather than stopping the app. */
function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The token was refused: forget it and say why on the sign-in screen. */
export function sessionEnded(refusal: Refusal): void {
  const words = t().signIn;
  if (refusal.code === Code.PermissionDenied) flash = words.notATerminal;
  else if (refusal.reason === "TOKEN_EXPIRED") flash = words.expired;
  else flash = words.refused;
  signOut();
  go("signin");
}

export function signedOut(): void {
  flash = t().signIn.signedOut;
  signOut();
  go("signin");
}

/** The sentence the sign-in screen opens with (once). */
export function takeFlash(): string {
  const said = flash;
  flash = "";
  return said;
}
