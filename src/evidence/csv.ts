// RFC 4180 CSV, enough for our own files: quoted fields, doubled quotes, CRLF or LF, '#' comment lines.

/** Parse CSV text into rows keyed by the header line; blank lines and lines starting with '#' are skipped. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows = parseRows(text).filter((r) => !(r.length === 1 && r[0] === '') && !(r[0] ?? '').startsWith('#'));
  const [header, ...body] = rows;
  if (!header) return [];
  const names = header.map((h) => h.trim());
  return body.map((cells) => Object.fromEntries(names.map((n, i) => [n, cells[i] ?? ''])));
}

function parseRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Rows to CSV text with the given column order; LF line ends, a trailing newline, quoting only where needed. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, string | number | undefined>[]): string {
  const cell = (v: string | number | undefined): string => {
    const s = v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) || s.startsWith('#') ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
