// Data tables in the NHS.UK responsive pattern: below the desktop breakpoint each row stacks into
// a block whose cells name their own column, so no table is wider than a phone's screen.
import type { ReactNode } from "react";

export interface TableRow {
  key: string | number;
  /** One per heading, in the same order. */
  cells: ReactNode[];
}

/**
 * The table and its row groups carry explicit roles, as in NHS.UK's pattern. Its rows and
 * cells do not: HTML forbids roles on them inside a table (the W3C checker reports each one), and
 * a stacked row is still a row to screen readers (the reflow test reads Chromium's accessibility
 * tree). Each cell's own copy of its heading is hidden from screen readers, which announce the
 * real column heading instead.
 */
export function ResponsiveTable({ caption, headings, rows, className }: { caption: ReactNode; headings: string[]; rows: TableRow[]; className?: string }) {
  return (
    <table className={`nhsuk-table nhsuk-table--responsive${className ? ` ${className}` : ""}`} role="table">
      <caption className="nhsuk-table__caption">{caption}</caption>
      <thead className="nhsuk-table__head" role="rowgroup">
        <tr className="nhsuk-table__row">
          {headings.map((heading) => (
            <th className="nhsuk-table__header" scope="col" key={heading}>
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="nhsuk-table__body" role="rowgroup">
        {rows.map((row) => (
          <tr className="nhsuk-table__row" key={row.key}>
            {row.cells.map((cell, i) => (
              <td className="nhsuk-table__cell" key={headings[i] ?? i}>
                <span className="nhsuk-table__heading" aria-hidden="true">
                  {headings[i]}{" "}
                </span>
                <span className="sw-table__value">{cell}</span>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
