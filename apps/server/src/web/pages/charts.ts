import type { timelineView } from '@scope-ledger/projections';
import { html, Html } from '../../signing/html';
import { calendarDate, money, moneyDelta, signed } from './format';

// Inline SVG with presentation attributes, not style ones: no chart library, no script, nothing a strict CSP blocks.

const INK = '#1d2330';
const MUTED = '#667085';
const GRID = '#e4e7ec';
const BASELINE = '#98a2b3';
const CURRENT = '#1f5eff';
const PENDING = '#f79009';
const PENDING_TEXT = '#b54708';
const SLIP = '#d92d20';
const GAIN = '#079455';

interface Bar {
  label: string;
  segments: { value: number; from: number; colour: string }[];
  text: string;
  sub?: string;
}

export function budgetChart(figures: {
  baseline: number;
  current: number;
  pendingExposure: number;
  pendingCredits: number;
  currency: string;
}): Html {
  // The pending bar is the most the client may still be asked to pay; credits are named beside it.
  const { baseline, current, pendingExposure, pendingCredits, currency } = figures;
  const withPending = current + pendingExposure;
  const max = Math.max(baseline, current, withPending, 1);
  const labelWidth = 190;
  const barArea = 300;
  const scale = (v: number) => Math.max(0, Math.round((v / max) * barArea));
  const bar = (label: string, value: number, colour: string): Bar => ({
    label,
    segments: [{ value, from: 0, colour }],
    text: money(value, currency),
  });
  const rows = [bar('Baseline', baseline, BASELINE), bar('Current contract', current, CURRENT)];
  if (pendingExposure !== 0) {
    const signedPart = Math.min(current, withPending);
    rows.push({
      label: 'If pending orders are signed',
      segments: [
        { value: signedPart, from: 0, colour: CURRENT },
        { value: Math.abs(pendingExposure), from: signedPart, colour: PENDING },
      ],
      text: money(withPending, currency),
      sub:
        `${moneyDelta(pendingExposure, currency)} pending` +
        (pendingCredits !== 0 ? `, ${money(pendingCredits, currency)} in credits` : ''),
    });
  }
  const rowHeight = 40;
  const height = rows.length * rowHeight + 6;
  const ariaLabel =
    `Budget: baseline ${money(baseline, currency)}, current ${money(current, currency)}, ` +
    `with pending ${money(withPending, currency)}`;
  return html`<svg class="chart" viewBox="0 0 640 ${height}" role="img" aria-label="${ariaLabel}">
${rows.map((row, i) => {
  const y = i * rowHeight + 8;
  const end = labelWidth + scale(Math.max(...row.segments.map((s) => s.from + s.value)));
  const textX = Math.max(end, labelWidth + 4) + 8;
  return html`<text x="0" y="${y + 15}" font-size="13" fill="${INK}">${row.label}</text>
<rect x="${labelWidth}" y="${y}" width="${barArea}" height="22" rx="4" fill="#f2f4f7"/>
${row.segments
  .filter((s) => s.value > 0)
  .map(
    (s) =>
      html`<rect x="${labelWidth + scale(s.from)}" y="${y}" width="${Math.max(2, scale(s.value))}" height="22" rx="4"
        fill="${s.colour}"><title>${row.label}: ${row.text}</title></rect>`,
  )}
<text x="${textX}" y="${y + 15}" font-size="13" font-weight="600" fill="${INK}">${row.text}</text>
${row.sub ? html`<text x="${textX}" y="${y + 31}" font-size="11" fill="${PENDING_TEXT}">${row.sub}</text>` : ''}`;
})}
</svg>`;
}

type MilestonePoint = ReturnType<typeof timelineView>['milestones'][number];

const dayNumber = (day: string) => Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / 86_400_000;

export function timelineChart(startDate: string, milestones: MilestonePoint[]): Html {
  if (milestones.length === 0) return html`<p class="muted">No milestones in the baseline.</p>`;
  const days = milestones
    .flatMap((m) => [m.baselineDue, m.currentDue, ...(m.pendingDue ? [m.pendingDue] : [])])
    .map(dayNumber);
  const first = Math.min(dayNumber(startDate), ...days);
  const last = Math.max(...days, first + 14) + 3;
  const width = 600;
  const labelWidth = 160;
  const plotStart = labelWidth + 10;
  const plotEnd = width - 70;
  const x = (day: string) =>
    Math.round(plotStart + ((dayNumber(day) - first) / (last - first)) * (plotEnd - plotStart));
  const rowHeight = 38;
  const top = 28;
  const height = top + milestones.length * rowHeight + 30;

  const months: string[] = [];
  const cursor = new Date(first * 86_400_000);
  cursor.setUTCDate(1);
  while (cursor.getTime() / 86_400_000 <= last) {
    months.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  const step = Math.ceil(months.length / 7);
  const ticks = months.filter((m, i) => i % step === 0 && dayNumber(m) >= first);

  const slipText = (n: number) => (n === 0 ? 'on time' : `${signed(n)} wd`);
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img"
  aria-label="Milestones: baseline against current due dates">
${ticks.map(
  (t) =>
    html`<line x1="${x(t)}" y1="${top - 6}" x2="${x(t)}" y2="${height - 26}" stroke="${GRID}"/>
      <text x="${x(t) + 3}" y="${top - 12}" font-size="11" fill="${MUTED}"
        >${calendarDate(t).split(' ').slice(1).join(' ')}</text>`,
)}
${milestones.map((m, i) => {
  const y = top + i * rowHeight + rowHeight / 2;
  const bx = x(m.baselineDue);
  const cx = x(m.currentDue);
  const px = m.pendingDue ? x(m.pendingDue) : undefined;
  const colour = m.slipWorkingDays > 0 ? SLIP : m.slipWorkingDays < 0 ? GAIN : CURRENT;
  return html`<line x1="${plotStart}" y1="${y}" x2="${plotEnd}" y2="${y}" stroke="#f2f4f7" stroke-width="8"
  stroke-linecap="round"/>
<text x="0" y="${y + 4}" font-size="13" fill="${INK}">${m.ref} · ${
    m.name.length > 18 ? `${m.name.slice(0, 17)}…` : m.name
  }</text>
${bx !== cx ? html`<line x1="${bx}" y1="${y}" x2="${cx}" y2="${y}" stroke="${colour}" stroke-width="3"/>` : ''}
${
  px !== undefined && px !== cx
    ? html`<line x1="${cx}" y1="${y}" x2="${px}" y2="${y}" stroke="${PENDING}" stroke-width="2"
        stroke-dasharray="4 3"/>`
    : ''
}
<circle cx="${bx}" cy="${y}" r="6" fill="#fff" stroke="${BASELINE}" stroke-width="2.5"
  ><title>${m.ref} baseline due ${calendarDate(m.baselineDue)}</title></circle>
<circle cx="${cx}" cy="${y}" r="5.5" fill="${colour}"
  ><title>${m.ref} now due ${calendarDate(m.currentDue)}</title></circle>
${
  px !== undefined
    ? html`<rect x="${px - 5}" y="${y - 5}" width="10" height="10" fill="${PENDING}" transform="rotate(45 ${px} ${y})"
        ><title>${m.ref} due ${calendarDate(m.pendingDue!)} if pending orders are signed</title></rect>`
    : ''
}
<text x="${plotEnd + 14}" y="${y + 4}" font-size="13" font-weight="600" fill="${
    m.slipWorkingDays > 0 ? SLIP : m.slipWorkingDays < 0 ? GAIN : MUTED
  }">${slipText(m.slipWorkingDays)}</text>`;
})}
<g transform="translate(${plotStart}, ${height - 10})" font-size="11" fill="${MUTED}">
<circle cx="0" cy="-4" r="5" fill="#fff" stroke="${BASELINE}" stroke-width="2.5"/><text x="10" y="0">baseline</text>
<circle cx="78" cy="-4" r="5" fill="${CURRENT}"/><text x="88" y="0">current</text>
<rect x="147" y="-9" width="9" height="9" fill="${PENDING}" transform="rotate(45 151.5 -4.5)"/>
<text x="162" y="0">if pending orders are signed</text>
</g>
</svg>`;
}
