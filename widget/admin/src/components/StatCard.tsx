import type { ComponentChildren } from 'preact'

/** One big number on the dashboard, with its name and an optional link or note below. */
export function StatCard({ label, value, children }: { label: string; value: string; children?: ComponentChildren }) {
  return (
    <div class="stat">
      <span class="stat-value">{value}</span>
      <span class="stat-label">{label}</span>
      {children}
    </div>
  )
}
