import Papa from 'papaparse';

/**
 * Rows as CSV text, LF line endings, ending with a newline. Papa Parse quotes the fields that need
 * it (a comma, a quote, a line break, or spaces at either end) and doubles inner quotes.
 */
export function csvText(fields: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [Papa.unparse([fields as string[]], { newline: '\n' })];
  if (rows.length > 0) lines.push(Papa.unparse(rows as string[][], { newline: '\n' }));
  return `${lines.join('\n')}\n`;
}
