import type { PollTimeline } from '../../../../server/types.ts'
import { useAdmin } from '../hooks/useAdmin.ts'
import { useT } from '../i18n/i18n.ts'
import { formatBucket, formatCount } from '../lib/format.ts'

const WIDTH = 600
const HEIGHT = 160

/** Ballots per local hour or day as an SVG column chart, counted below and flagged stacked on top. */
export function TimelineChart({ timeline }: { timeline: PollTimeline }) {
  const t = useT()
  const { lang } = useAdmin()
  const { buckets, unit, timezone } = timeline
  const total = buckets.reduce((sum, b) => sum + b.counted + b.flagged, 0)
  if (buckets.length === 0 || total === 0) return <p class="muted">{t.detail.timelineEmpty}</p>
  const top = Math.max(...buckets.map((b) => b.counted + b.flagged))
  const step = WIDTH / buckets.length
  const gap = step > 6 ? step * 0.15 : 0
  const scale = (n: number) => (n / top) * HEIGHT
  const label = (i: number) => formatBucket(buckets[i]!.start, unit, timezone, lang)
  const middle = Math.floor((buckets.length - 1) / 2)
  return (
    <figure class="timeline">
      <div class="timeline-plot">
        <span class="timeline-max" aria-hidden="true">
          {formatCount(top, lang)}
        </span>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={t.detail.timelineLabel}>
          <line class="axis" x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} />
          {buckets.map((b, i) => {
            const counted = scale(b.counted)
            const flagged = scale(b.flagged)
            return (
              <g key={b.start}>
                <title>{`${label(i)}: ${formatCount(b.counted, lang)} ${t.detail.countedLegend}, ${formatCount(b.flagged, lang)} ${t.detail.flaggedLegend}`}</title>
                <rect class="col-counted" x={i * step + gap / 2} y={HEIGHT - counted} width={step - gap} height={counted} />
                {b.flagged > 0 && (
                  <rect class="col-flagged" x={i * step + gap / 2} y={HEIGHT - counted - flagged} width={step - gap} height={flagged} />
                )}
              </g>
            )
          })}
        </svg>
      </div>
      <div class="timeline-axis" aria-hidden="true">
        <span>{label(0)}</span>
        {buckets.length > 2 && <span>{label(middle)}</span>}
        {buckets.length > 1 && <span>{label(buckets.length - 1)}</span>}
      </div>
      <figcaption class="muted small">
        {unit === 'hour' ? t.detail.perHour(timezone) : t.detail.perDay(timezone)}{' '}
        <span class="legend legend-counted">{t.detail.countedLegend}</span>{' '}
        <span class="legend legend-flagged">{t.detail.flaggedLegend}</span>
      </figcaption>
    </figure>
  )
}
