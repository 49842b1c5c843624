// Consultation times are set and shown in Europe/London (GMT or BST) and stored as UTC instants.

const ZONE = "Europe/London";

const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** The London wall-clock reading of a UTC instant. */
export function londonParts(instant: Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const get = (type: string) => Number(parts.formatToParts(instant).find((p) => p.type === type)?.value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute") };
}

/**
 * The UTC instant at which London's clocks read the given date and time. In the hour the clocks
 * skip (spring), the time is read as the later offset; in the hour they repeat (autumn), the
 * first of the two.
 */
export function fromLondon(date: string, time = "00:00"): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // London is UTC+0 or UTC+1: try the earlier instant first.
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(wall - offsetHours * 3_600_000);
    const p = londonParts(candidate);
    if (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === wall) return candidate.toISOString();
  }
  return new Date(wall).toISOString();
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, day: "numeric", month: "long", year: "numeric" });

/** "18 October 2017". */
export function londonDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** "11:59pm" (GOV.UK style: lower case, no space), or "midday"/"midnight". */
export function londonTime(iso: string): string {
  const { hour, minute } = londonParts(new Date(iso));
  if (minute === 0 && hour === 12) return "midday";
  if (minute === 0 && hour === 0) return "midnight";
  // Written out rather than left to Intl: engines disagree on the 12-hour clock's hour after
  // noon (Node's en-GB says "0:15 pm", browsers "12:15 pm"), and the page must read the same
  // when the browser takes it over from the server.
  return `${hour % 12 || 12}:${String(minute).padStart(2, "0")}${hour < 12 ? "am" : "pm"}`;
}

/** "11:59pm on 23 December 2016". */
export function londonDateTime(iso: string): string {
  return `${londonTime(iso)} on ${londonDate(iso)}`;
}

/** The London date (YYYY-MM-DD) and time (HH:MM) of an instant, as a form shows them. */
export function londonFields(iso: string): { date: string; time: string } {
  const p = londonParts(new Date(iso));
  const pad = (n: number) => String(n).padStart(2, "0");
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}
