// Reading for a screen (queues, a customer's orders): a refusal is shown as a sentence, a
// refused token goes back to sign-in.
import { isSignedOut, refusalOf, type Refusal } from "../api/refusals";
import type { NoticeArea } from "../ui/notice";
import { problemSentence } from "../ui/problem";
import { sessionEnded } from "./navigation";

export async function load<T>(
  notices: NoticeArea,
  read: () => Promise<T>,
  onRefusal?: (refusal: Refusal) => boolean,
): Promise<T | undefined> {
  try {
    const answer = await read();
    return answer;
  } catch (error) {
    const refusal = refusalOf(error);
    if (isSignedOut(refusal)) sessionEnded(refusal);
    else if (!onRefusal?.(refusal)) notices.show("error", problemSentence(refusal));
    return undefined;
  }
}
