/** A value inside a single-quoted visibility-query string literal (backslash and quote escaped). */
export function visibilityString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
