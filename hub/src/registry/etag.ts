/**
 * Whether an `If-None-Match` header matches the strong ETag `"<tag>"`: `*`, or any entry of its
 * comma-separated list, weak (`W/"…"`) or not (RFC 9110 §13.1.2 compares weakly for GET).
 * @example etagMatches('W/"abc", "def"', 'def') // true
 */
export function etagMatches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const t = part.trim();
    return t === '*' || t === `"${tag}"` || t === `W/"${tag}"`;
  });
}
