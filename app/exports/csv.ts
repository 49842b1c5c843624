// CSV (RFC 4180) for spreadsheets, with formula injection defused: a cell that a spreadsheet
// would run as a formula (=, +, -, @, tab, carriage return first) gets a leading apostrophe.
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  // A plain number (-1.00) is read as a number, never a formula; anything else starting with a
  // formula character is made text.
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csv(rows: (string | number | null | undefined)[][]): string {
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
