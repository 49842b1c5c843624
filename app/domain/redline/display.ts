// Segments for people to read: the contract's list prefixes ("- ", "1. ") at each line start
// become bullets and real item numbers. Accept-all then gives the new version's display text
// and reject-all the old one's; a list item whose number changed shows old and new numbers.
import type { LineMarker } from "../plain-text";
import type { Segment, SegmentOp } from "./types";

type Side = "from" | "to";

/** A segment for display; `formatting` is the index of the item's formatting change it shows. */
export interface DisplaySegment extends Segment {
  formatting?: number;
}

export function displaySegments(segments: DisplaySegment[], fromMarkers: LineMarker[], toMarkers: LineMarker[]): DisplaySegment[] {
  const out: DisplaySegment[] = [];
  const emit = (op: SegmentOp, text: string, formatting?: number) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.op === op && last.formatting === formatting) last.text += text;
    else out.push(formatting === undefined ? { op, text } : { op, text, formatting });
  };
  const line = { from: 0, to: 0 };
  const atStart = { from: true, to: true };
  const markers = { from: fromMarkers, to: toMarkers };

  for (const segment of segments) {
    const sides: Side[] = segment.op === "equal" ? ["from", "to"] : segment.op === "delete" ? ["from"] : ["to"];
    const text = segment.text;
    let i = 0;
    while (i < text.length) {
      if (sides.every((side) => atStart[side])) {
        const wanted = sides.map((side) => markers[side][line[side]]);
        const plain = wanted[0]?.plain ?? "";
        const fits = wanted.every((m) => m !== undefined && m.plain === plain) && text.startsWith(plain, i);
        if (fits && plain) {
          if (segment.op === "equal" && wanted[0]!.display !== wanted[1]!.display) {
            emit("delete", wanted[0]!.display);
            emit("insert", wanted[1]!.display);
          } else {
            emit(segment.op, wanted[wanted.length - 1]!.display);
          }
          i += plain.length;
        }
        for (const side of sides) atStart[side] = false;
        continue;
      }
      const newline = text.indexOf("\n", i);
      const end = newline < 0 ? text.length : newline + 1;
      emit(segment.op, text.slice(i, end), segment.formatting);
      if (newline >= 0) {
        for (const side of sides) {
          line[side]++;
          atStart[side] = true;
        }
      } else {
        for (const side of sides) atStart[side] = false;
      }
      i = end;
    }
  }
  return out;
}
