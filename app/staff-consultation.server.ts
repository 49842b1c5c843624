// The staff pages about one consultation's responses: who is asking, whether their role may do
// what the page does, and the consultation the URL names (a 404 page when there is none).
import type { Action } from "~/domain/permissions";
import { getDatabase } from "~/models/app-database.server";
import { getConsultation, type Consultation } from "~/models/consultations.server";
import type { PublicUser } from "~/models/users.server";
import { notFound } from "~/http.server";
import { requirePermission } from "~/session.server";

export async function staffConsultation(request: Request, id: string | undefined, action: Action): Promise<{ user: PublicUser; consultation: Consultation }> {
  const user = await requirePermission(request, action);
  const consultation = id ? await getConsultation(await getDatabase(), id) : null;
  if (!consultation) throw notFound("There is no consultation at this address.", { href: "/", text: "Go to the list of specifications" });
  return { user, consultation };
}
