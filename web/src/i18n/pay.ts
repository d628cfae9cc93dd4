// The words of the customer's payment page (behind the link an associate sent), in both
// languages: the customer speaks to the shop here, not the associate to the system.
import { lang } from "./lang";

const en = {
  title: "Pay for your order",
  intro: "The store ordered these items for you. Pay here to confirm the order; it is then prepared for pickup.",
  order: (id: string) => `Order ${id}`,
  total: (amount: string) => `Total: ${amount}`,
  pickupAt: (store: string) => `Pickup at ${store}`,
  payBy: (time: string) => `Pay by ${time} (your local time): the items are held for you until then.`,
  card: "Card token",
  cardHint: "From the payment provider's card form (demo: pm_card_visa).",
  noCard: "Enter your card token first.",
  submit: (amount: string) => (amount ? `Pay ${amount}` : "Pay"),
  paidTitle: "Your order is paid",
  paidNow: (id: string) => `Thank you: order ${id} is paid.`,
  status: (state: string) => `Status: ${state}.`,
  readyBy: (store: string, time: string) => `Ready for pickup at ${store} by ${time}.`,
  readyMail: "You get an e-mail with your pickup code when it is ready.",
  cancelledTitle: "This order was cancelled",
  cancelled: "This order was cancelled; nothing was charged.",
  invalidTitle: "Payment link not valid",
  reload: "Try again",
  states: {
    PENDING: "being confirmed",
    AWAITING_PAYMENT: "awaiting payment",
    AWAITING_PICK: "being prepared",
    IN_TRANSIT: "on its way to the store",
    READY_FOR_PICKUP: "ready for pickup",
    PICKED_UP: "collected",
    EXPIRED: "not collected",
    CANCELLED: "cancelled",
    REJECTED: "cancelled",
  } as Record<string, string>,
};

type PayWords = typeof en;

const fr: PayWords = {
  title: "Payer votre commande",
  intro: "Le magasin a commandé ces articles pour vous. Payez ici pour confirmer la commande ; elle est ensuite préparée pour le retrait.",
  order: (id: string) => `Commande ${id}`,
  total: (amount: string) => `Total : ${amount}`,
  pickupAt: (store: string) => `Retrait à ${store}`,
  payBy: (time: string) => `À payer avant ${time} (heure locale) : les articles vous sont réservés jusque-là.`,
  card: "Jeton de carte",
  cardHint: "Fourni par le formulaire de carte du prestataire de paiement (démo : pm_card_visa).",
  noCard: "Saisissez d'abord votre jeton de carte.",
  submit: (amount: string) => (amount ? `Payer ${amount}` : "Payer"),
  paidTitle: "Votre commande est payée",
  paidNow: (id: string) => `Merci : la commande ${id} est payée.`,
  status: (state: string) => `État : ${state}.`,
  readyBy: (store: string, time: string) => `Prête au retrait à ${store} avant ${time}.`,
  readyMail: "Vous recevez un e-mail avec votre code de retrait quand elle est prête.",
  cancelledTitle: "Cette commande a été annulée",
  cancelled: "Cette commande a été annulée ; rien n'a été débité.",
  invalidTitle: "Lien de paiement non valide",
  reload: "Réessayer",
  states: {
    PENDING: "en cours de confirmation",
    AWAITING_PAYMENT: "en attente de paiement",
    AWAITING_PICK: "en préparation",
    IN_TRANSIT: "en route vers le magasin",
    READY_FOR_PICKUP: "prête au retrait",
    PICKED_UP: "retirée",
    EXPIRED: "non retirée",
    CANCELLED: "annulée",
    REJECTED: "annulée",
  },
};

export function payWords(): PayWords {
  return lang() === "fr" ? fr : en;
}
