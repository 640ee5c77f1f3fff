/** A keyset position: the last row's sort key and id. */
export interface Position {
  key: number
  id: number
}

/** An opaque cursor (base64url JSON) naming the list it belongs to and the last row sent. */
export function encodeCursor(list: string, position: Position): string {
  return Buffer.from(JSON.stringify({ s: list, k: position.key, i: position.id })).toString('base64url')
}

/** The position in `list` a cursor names, or null when it is malformed or from another list. */
export function decodeCursor(raw: string, list: string): Position | null {
  if (raw.length > 200 || !/^[A-Za-z0-9_-]+$/.test(raw)) return null
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { s, k, i } = value as Record<string, unknown>
  if (s !== list || !Number.isSafeInteger(k) || !Number.isSafeInteger(i)) return null
  return { key: k as number, id: i as number }
}
