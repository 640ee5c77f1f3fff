/**
 * Copies text: the async Clipboard API where the page may use it, otherwise the selected
 * text of `fallback` through the older copy command. Returns whether either worked.
 */
export async function copyText(text: string, fallback: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Denied (permissions, an insecure origin): try selecting the text instead.
  }
  if (!fallback) return false
  fallback.focus()
  fallback.select()
  try {
    return document.execCommand('copy')
  } catch {
    return false
  }
}
