/** A coloured status word (poll or comment status); the colour comes from `status-<name>` in the CSS. */
export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span class={`badge status-${status}`}>{label}</span>
}
