// Sign-in: the associate pastes the terminal token; it is tried on the store's queue before
// it is kept (in this tab's sessionStorage).
import { StoreQueue } from "../gen/clickcollect/gateway/v1/store_ops_pb";
import { storeOps } from "../api/clients";
import { isSignedOut, refusalOf } from "../api/refusals";
import { go, takeFlash, type Mounted } from "../app/navigation";
import { cleanToken, signIn, signInPaired, signOut, terminalOf } from "../app/session";
import { t } from "../i18n/lang";
import { field, h, page } from "../ui/dom";
import { NoticeArea } from "../ui/notice";
import { problemSentence } from "../ui/problem";

export function signInScreen(): Mounted {
  const words = t().signIn;
  const notices = new NoticeArea();
  const flash = takeFlash();
  if (flash) notices.show("warning", flash);
  const input = h("textarea", { rows: 4, autocomplete: "off", spellcheck: "false", name: "token", required: true });
  const button = h("button", { type: "submit", class: "primary" }, words.submit);
  const form = h("form", { class: "stack", novalidate: true }, field(words.token, input), button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void tryToken(cleanToken(input.value), button, notices);
  });
  const code = h("input", {
    type: "text",
    name: "pairing-code",
    autocomplete: "off",
    autocapitalize: "characters",
    spellcheck: "false",
    placeholder: "7KQ2-M9XD-4TPA",
  });
  const pair = h("button", { type: "submit" }, words.pair);
  const pairing = h("form", { class: "stack", novalidate: true }, field(words.code, code), pair);
  pairing.addEventListener("submit", (event) => {
    event.preventDefault();
    void tryCode(code.value.trim(), pair, notices);
  });
  return {
    el: page(
      words.title,
      h("p", { class: "lead" }, words.intro),
      notices.el,
      form,
      h("h2", {}, words.pairTitle),
      h("p", {}, words.pairIntro),
      pairing,
    ),
  };
}

async function tryCode(value: string, button: HTMLButtonElement, notices: NoticeArea): Promise<void> {
  const words = t().signIn;
  if (!value) {
    notices.show("error", words.noCode);
    return;
  }
  button.disabled = true;
  signOut(); // an old token must not ride along: the pairing needs none
  try {
    const paired = await storeOps.pairDevice({ pairingCode: value });
    signInPaired(paired.accessToken);
    go("queues");
  } catch (error) {
    notices.show("error", problemSentence(refusalOf(error)));
  } finally {
    button.disabled = false;
  }
}

async function tryToken(value: string, button: HTMLButtonElement, notices: NoticeArea): Promise<void> {
  const words = t().signIn;
  if (!value) {
    notices.show("error", words.empty);
    return;
  }
  const terminal = terminalOf(value);
  if (terminal && terminal.role && terminal.role !== "store") {
    notices.show("error", words.notATerminal);
    return;
  }
  button.disabled = true;
  signIn(value);
  try {
    await storeOps.listStoreOrders({ queue: StoreQueue.TO_PICK, pageSize: 1 });
    go("queues");
  } catch (error) {
    signOut();
    const refusal = refusalOf(error);
    if (!isSignedOut(refusal)) notices.show("error", problemSentence(refusal));
    else if (refusal.reason === "TOKEN_EXPIRED") notices.show("error", words.expired);
    else if (refusal.reason === "ROLE_NOT_ALLOWED") notices.show("error", words.notATerminal);
    else notices.show("error", words.refused);
  } finally {
    button.disabled = false;
  }
}
