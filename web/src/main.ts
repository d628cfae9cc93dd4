// The store app: screens registered, the shell drawn, the address followed. One page is the
// customer's, not the terminal's: paying an order by the link the store sent ("pay").
import { drawShell } from "./app/shell";
import { onRender, register, show } from "./app/navigation";
import { lang, setLang } from "./i18n/lang";
import { signInScreen } from "./screens/signin";
import { queuesScreen } from "./screens/queues";
import { pickScreen } from "./screens/pick";
import { receiveScreen } from "./screens/receive";
import { handoverScreen } from "./screens/handover";
import { returnsScreen } from "./screens/returns";
import { rmaScreen } from "./screens/rma";
import { saleScreen } from "./screens/sale";
import { customerScreen } from "./screens/customer";
import { stockScreen } from "./screens/stock";
import { aisleScreen } from "./screens/aisle";
import { payScreen } from "./screens/pay";

const root = document.getElementById("app")!;
setLang(lang());
register("signin", signInScreen);
register("queues", queuesScreen);
register("pick", pickScreen);
register("receive", receiveScreen);
register("handover", handoverScreen);
register("returns", returnsScreen);
register("rma", rmaScreen);
register("sale", saleScreen);
register("customer", customerScreen);
register("stock", stockScreen);
register("aisle", aisleScreen);
register("pay", payScreen);
onRender((route, screen) => drawShell(root, route, screen));
window.addEventListener("hashchange", show);
show();
