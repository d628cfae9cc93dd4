// What a refusal's ErrorInfo reason means to an associate, and what to do next, in both
// languages. `m` is the ErrorInfo metadata (e.g. attempts_left, state, location_id).
import { en } from "./en";
import { fr } from "./fr";
import type { Lang } from "./lang";

type Meta = Record<string, string>;
type Sentence = (m: Meta) => string;
type Entry = Record<Lang, Sentence>;

const say = (en: string | Sentence, fr: string | Sentence): Entry => ({
  en: typeof en === "string" ? () => en : en,
  fr: typeof fr === "string" ? () => fr : fr,
});

const REASONS: Record<string, Entry> = {
  TOKEN_MISSING: say("Sign in with the terminal token.", "Connectez-vous avec le jeton du terminal."),
  ROLE_NOT_ALLOWED: say(
    "This token is not a store terminal's. Sign in with a terminal token.",
    "Ce jeton n'est pas celui d'un terminal de magasin. Connectez-vous avec un jeton de terminal.",
  ),
  ORDER_NOT_FOUND: say(
    "There is no order with this number. Check the number on the customer's e-mail or receipt.",
    "Aucune commande ne porte ce numéro. Vérifiez le numéro sur l'e-mail ou le ticket du client.",
  ),
  ORDER_OF_ANOTHER_STORE: say(
    (m) => `This order is for store ${m.order_store_id ?? "another store"}, not this one. Send the customer there.`,
    (m) => `Cette commande est pour le magasin ${m.order_store_id ?? "d'un autre magasin"}, pas celui-ci. Orientez le client vers ce magasin.`,
  ),
  WRONG_LOCATION: say(
    (m) => `This transfer is not for this store (it goes to ${m.location_id ?? "another location"}). Put it aside and call operations.`,
    (m) => `Ce transfert n'est pas pour ce magasin (il va à ${m.location_id ?? "un autre site"}). Mettez-le de côté et appelez les opérations.`,
  ),
  TRANSFER_NOT_FOUND: say(
    "No transfer has this id. Scan the label again or type the id printed under the barcode.",
    "Aucun transfert ne porte cet identifiant. Scannez l'étiquette à nouveau ou tapez l'identifiant imprimé sous le code-barres.",
  ),
  TRANSFER_NOT_SHIPPED: say(
    "The sender has not dispatched this transfer yet. Keep the parcel aside and call operations.",
    "L'expéditeur n'a pas encore expédié ce transfert. Gardez le colis de côté et appelez les opérations.",
  ),
  ALREADY_RECEIVED: say(
    "This transfer was already received. Nothing more to do; find the order in the queues.",
    "Ce transfert a déjà été réceptionné. Rien de plus à faire ; retrouvez la commande dans les files.",
  ),
  TRANSFER_ALREADY_ARRIVED: say(
    "This transfer was already received. Nothing more to do; find the order in the queues.",
    "Ce transfert a déjà été réceptionné. Rien de plus à faire ; retrouvez la commande dans les files.",
  ),
  RECEIVED_MORE_THAN_SHIPPED: say(
    "You entered more units than were shipped. Count the parcel again.",
    "Vous avez saisi plus d'unités que celles expédiées. Recomptez le colis.",
  ),
  ORDER_NOT_AWAITING_PICK: say(
    (m) => `This order is no longer waiting to be picked${state(m, "en")}. Refresh the queues.`,
    (m) => `Cette commande n'attend plus d'être préparée${state(m, "fr")}. Rafraîchissez les files.`,
  ),
  ORDER_ALREADY_PICKED: say(
    "This order is already picked. Find it in the ready queue.",
    "Cette commande est déjà préparée. Retrouvez-la dans la file des commandes prêtes.",
  ),
  INVALID_SHORT_PICK: say(
    "A missing item is not part of this order, or more units are missing than were ordered. Check the counts.",
    "Un article manquant ne fait pas partie de la commande, ou il manque plus d'unités que commandé. Vérifiez les quantités.",
  ),
  INVALID_PICKUP_CODE: say(
    (m) => `The pickup code does not match. Ask the customer to show the code again. ${attempts(m, "en")}`,
    (m) => `Le code de retrait ne correspond pas. Demandez au client de remontrer son code. ${attempts(m, "fr")}`,
  ),
  PICKUP_LOCKED: say(
    "Too many wrong pickup codes: the order is locked. Do not hand over the goods; call operations to unlock it.",
    "Trop de codes erronés : la commande est bloquée. Ne remettez pas la marchandise ; appelez les opérations pour la débloquer.",
  ),
  ORDER_NOT_READY: say(
    (m) => `This order is not ready for pickup${state(m, "en")}. Check the order in the queues.`,
    (m) => `Cette commande n'est pas prête au retrait${state(m, "fr")}. Vérifiez la commande dans les files.`,
  ),
  ORDER_ALREADY_PICKED_UP: say(
    "This order was already handed over. Nothing more to do.",
    "Cette commande a déjà été remise. Rien de plus à faire.",
  ),
  PICKUP_WINDOW_EXPIRED: say(
    "The pickup window has ended: the order expired. Put the goods back on the shelf.",
    "Le délai de retrait est dépassé : la commande a expiré. Remettez la marchandise en rayon.",
  ),
  COLLECTOR_NOT_ALLOWED: say(
    "Only the customer or the person they named may collect. Check the name on their ID.",
    "Seul le client ou la personne qu'il a désignée peut retirer. Vérifiez le nom sur la pièce d'identité.",
  ),
  INVALID_COLLECTED_ITEMS: say(
    "An item taken is not at the counter for this order. Check the items taken.",
    "Un article pris n'est pas au comptoir pour cette commande. Vérifiez les articles pris.",
  ),
  NOTHING_COLLECTED: say(
    "The customer takes nothing: do not hand over. The order can be cancelled instead.",
    "Le client ne prend rien : ne faites pas de remise. La commande peut être annulée à la place.",
  ),
  ORDER_BEING_HANDED_OVER: say(
    "This order is being handed over at another till. Wait a moment and refresh.",
    "Cette commande est en cours de remise à une autre caisse. Patientez et rafraîchissez.",
  ),
  ORDER_CLOSED: say(
    (m) => `This order is closed${state(m, "en")}. Nothing can change it now.`,
    (m) => `Cette commande est close${state(m, "fr")}. Plus rien ne peut la modifier.`,
  ),
  REROUTE_IN_PROGRESS: say(
    "The order is being re-routed. Wait a minute and refresh the queues.",
    "La commande est en cours de réacheminement. Patientez une minute et rafraîchissez les files.",
  ),
  STORE_CHANGE_UNDER_WAY: say(
    "The customer is moving this order to another store. Wait a minute and refresh the queues.",
    "Le client déplace cette commande vers un autre magasin. Patientez une minute et rafraîchissez les files.",
  ),
  RETURN_WINDOW_CLOSED: say(
    "The return period for this order is over. Take it back only as an exception, with a reason.",
    "Le délai de retour de cette commande est dépassé. Reprenez-la seulement à titre d'exception, avec un motif.",
  ),
  FINAL_SALE: say(
    "This item was sold as final sale and cannot be returned, unless you make an exception with a reason.",
    "Cet article a été vendu sans reprise et ne peut pas être rendu, sauf exception motivée.",
  ),
  QUANTITY_NOT_RETURNABLE: say(
    "More units than the customer can still return (some were returned already). Lower the quantity.",
    "Plus d'unités que le client ne peut encore rendre (certaines ont déjà été rendues). Réduisez la quantité.",
  ),
  ORDER_NOT_HANDED_OVER: say(
    "This order was never handed over, so nothing can be returned. Check the order number.",
    "Cette commande n'a jamais été remise, rien ne peut être rendu. Vérifiez le numéro de commande.",
  ),
  RETURNS_NOT_ACCEPTED: say(
    "This location does not take returns. Send the customer to a store that does.",
    "Ce site ne prend pas les retours. Orientez le client vers un magasin qui les accepte.",
  ),
  RETURN_NOT_FOUND: say(
    "No return has this number. Scan the label again or type the RMA number.",
    "Aucun retour ne porte ce numéro. Scannez l'étiquette à nouveau ou tapez le numéro RMA.",
  ),
  RETURN_ALREADY_RECEIVED: say(
    "This parcel was already received. Nothing more to do.",
    "Ce colis a déjà été réceptionné. Rien de plus à faire.",
  ),
  RETURN_NOT_AWAITING_PARCEL: say(
    "This return is not waiting for a parcel. Check the number on the label.",
    "Ce retour n'attend pas de colis. Vérifiez le numéro sur l'étiquette.",
  ),
  RETURN_EXPIRED: say(
    "This return authorization has lapsed. Keep the parcel aside and call operations.",
    "Cette autorisation de retour a expiré. Gardez le colis de côté et appelez les opérations.",
  ),
  RETURN_ITEMS_MISMATCH: say(
    "The items in the parcel are not the ones on the return. Check the items and quantities.",
    "Les articles du colis ne sont pas ceux du retour. Vérifiez les articles et les quantités.",
  ),
  UNKNOWN_LINE: say(
    "An item is not part of this order. Check the item codes.",
    "Un article ne fait pas partie de cette commande. Vérifiez les codes article.",
  ),
  SKU_NOT_FOUND: say(
    (m) => `Unknown item code${m.sku ? ` ${m.sku}` : ""}. Scan the item again.`,
    (m) => `Code article inconnu${m.sku ? ` ${m.sku}` : ""}. Scannez l'article à nouveau.`,
  ),
  OUT_OF_STOCK: say(
    "The system shows no stock for an item. Check the item codes, or call the stock desk.",
    "Le système n'indique pas de stock pour un article. Vérifiez les codes, ou appelez le service stock.",
  ),
  INSUFFICIENT_STOCK: say(
    "The system shows too little stock for an item. Check the quantities, or call the stock desk.",
    "Le système indique un stock insuffisant pour un article. Vérifiez les quantités, ou appelez le service stock.",
  ),
  PAYMENT_DECLINED: say(
    "The card was declined. Ask for another means of payment.",
    "La carte a été refusée. Demandez un autre moyen de paiement.",
  ),
  NOT_A_STORE: say(
    "This location has no till: sales cannot be recorded here.",
    "Ce site n'a pas de caisse : aucune vente ne peut y être enregistrée.",
  ),
  CUSTOMER_NOT_FOUND: say(
    "No customer matches. Check what you typed, or try another way to find them.",
    "Aucun client ne correspond. Vérifiez la saisie, ou cherchez autrement.",
  ),
  CUSTOMER_AMBIGUOUS: say(
    "Several customers share this e-mail or number. Search by loyalty card or customer id instead.",
    "Plusieurs clients partagent cet e-mail ou ce numéro. Cherchez plutôt par carte de fidélité ou identifiant.",
  ),
  PICKUP_NOT_OFFERED: say(
    (m) => `${m.store_id ? `${m.store_id} does` : "This location does"} not offer pickup. Choose this store or another store that does.`,
    (m) => `${m.store_id ? `${m.store_id} ne propose` : "Ce site ne propose"} pas le retrait. Choisissez ce magasin ou un autre qui le propose.`,
  ),
  PAIRING_CODE_NOT_VALID: say(
    "This pairing code is unknown, already used or expired. Ask operations for a new code.",
    "Ce code d'appairage est inconnu, déjà utilisé ou expiré. Demandez un nouveau code aux opérations.",
  ),
  LOCATION_NOT_FOUND: say(
    (m) => `There is no store${m.location_id ? ` ${m.location_id}` : ""}. Check the store id (such as STORE-002).`,
    (m) => `Il n'existe pas de magasin${m.location_id ? ` ${m.location_id}` : ""}. Vérifiez l'identifiant du magasin (comme STORE-002).`,
  ),
  REQUEST_ID_REUSED: say(
    "This was already done with other details. Start the action again.",
    "Cela a déjà été fait avec d'autres détails. Recommencez l'action.",
  ),
  COMMAND_PENDING: say(
    "The system is still working on it. Press the button again in a moment: it will not be done twice.",
    "Le système y travaille encore. Appuyez de nouveau dans un instant : ce ne sera pas fait deux fois.",
  ),
  ORCHESTRATION_UNAVAILABLE: say(
    "The order system is not answering. Wait a moment and press the button again: it will not be done twice.",
    "Le système de commandes ne répond pas. Patientez et appuyez de nouveau : ce ne sera pas fait deux fois.",
  ),
  SHUTTING_DOWN: say(
    "The store system is restarting. Wait a moment and try again.",
    "Le système du magasin redémarre. Patientez un instant et réessayez.",
  ),
  PAYMENT_PROVIDER_UNAVAILABLE: say(
    "The payment service is not answering. Wait a moment and try again.",
    "Le service de paiement ne répond pas. Patientez un instant et réessayez.",
  ),
  PAYMENT_LINK_EXPIRED: say(
    "The customer did not pay by the link in time: the order was cancelled and its items released. Place it again if they still want it.",
    "Le client n'a pas payé par le lien à temps : la commande a été annulée et ses articles libérés. Repassez-la s'il la veut toujours.",
  ),
  ORDER_NOT_AWAITING_PAYMENT: say(
    (m) => `This order no longer waits for the customer's payment${state(m, "en")}.`,
    (m) => `Cette commande n'attend plus le paiement du client${state(m, "fr")}.`,
  ),
};

// The same refusals as the customer reads them on the page behind a payment link.
const PAYER_REASONS: Record<string, Entry> = {
  PAYMENT_DECLINED: say("Your card was declined; try another card.", "Votre carte a été refusée ; essayez une autre carte."),
  PAYMENT_LINK_EXPIRED: say(
    "This payment link has expired: the order was cancelled and nothing was charged. Ask the store to order the items again.",
    "Ce lien de paiement a expiré : la commande a été annulée et rien n'a été débité. Demandez au magasin de commander à nouveau les articles.",
  ),
  ORDER_NOT_AWAITING_PAYMENT: say(
    "This order no longer waits for a payment: it is already paid, or it was cancelled.",
    "Cette commande n'attend plus de paiement : elle est déjà payée, ou elle a été annulée.",
  ),
  ORDER_NOT_FOUND: say(
    "This payment link is not valid. Open the whole link from your e-mail or text message, or ask the store.",
    "Ce lien de paiement n'est pas valide. Ouvrez le lien complet de votre e-mail ou SMS, ou adressez-vous au magasin.",
  ),
  PAYMENT_PROVIDER_UNAVAILABLE: say(
    "The payment service is not answering. Wait a moment and try again: you will not be charged twice.",
    "Le service de paiement ne répond pas. Patientez un instant et réessayez : vous ne serez pas débité deux fois.",
  ),
};

/** " (it is picked up)": the order's state from the refusal's metadata, in words. */
function state(m: Meta, lang: Lang): string {
  const name = m.state;
  if (!name) return "";
  const words = (lang === "en" ? en : fr).state[name] ?? name;
  return lang === "en" ? ` (it is ${words.toLowerCase()})` : ` (état : ${words.toLowerCase()})`;
}

function attempts(m: Meta, lang: Lang): string {
  const left = m.attempts_left;
  if (left === undefined) return "";
  if (lang === "en") return left === "1" ? "1 attempt left." : `${left} attempts left.`;
  return left === "1" ? "Encore 1 essai." : `Encore ${left} essais.`;
}

/** The sentence for a reason, or undefined when the app does not know it. */
export function reasonSentence(reason: string, metadata: Meta, lang: Lang): string | undefined {
  return REASONS[reason]?.[lang](metadata);
}

/** The sentence for a refusal on the customer's payment page (theirs, else the associate's). */
export function payerSentence(reason: string, metadata: Meta, lang: Lang): string | undefined {
  return PAYER_REASONS[reason]?.[lang](metadata) ?? reasonSentence(reason, metadata, lang);
}
