import type { CapacityPlan, PersonWeek } from '@scope-ledger/domain';
import { html, Html } from '../../signing/html';
import { calendarDate, hours } from './format';

// Inline SVG with presentation attributes, like charts.ts: no script, nothing a strict CSP blocks. Every cell
// writes its percentage (and "over" with a symbol when over capacity), so colour is never the only signal.

const INK = '#1d2330';
const MUTED = '#667085';
const OVER_EDGE = '#912018';
const LABEL_WIDTH = 210;
const CELL_WIDTH = 78;
const CELL_HEIGHT = 46;
const HEAD_HEIGHT = 30;

/** The bands a week's utilisation falls in: the fill, and the words the legend and cell titles use. */
export const UTILISATION_BANDS = [
  { band: 'idle', fill: '#f2f4f7', label: 'No project work' },
  { band: 'light', fill: '#d1e0ff', label: 'Under 50 %' },
  { band: 'steady', fill: '#a6f4c5', label: '50 % to 85 %' },
  { band: 'full', fill: '#fedf89', label: '85 % to 100 %' },
  { band: 'over', fill: '#fda29b', label: 'Over 100 % (hatched, outlined, ▲ over)' },
] as const;

export type Band = (typeof UTILISATION_BANDS)[number]['band'];

export function bandOf(week: Pick<PersonWeek, 'loadHours' | 'utilisation' | 'overAllocated'>): Band {
  if (week.overAllocated) return 'over';
  if (week.loadHours === 0 || week.utilisation === null) return 'idle';
  if (week.utilisation < 0.5) return 'light';
  return week.utilisation < 0.85 ? 'steady' : 'full';
}

const fillOf = (band: Band) => UTILISATION_BANDS.find((b) => b.band === band)!.fill;

/** "132 %", or "no capacity" for a week without any. */
export function percent(utilisation: number | null): string {
  return utilisation === null ? 'no capacity' : `${Math.round(utilisation * 100)} %`;
}

/** A week of one person in words: what a cell's title and the table alternative say. */
export function weekInWords(week: PersonWeek): string {
  const parts = [
    `${hours(week.loadHours)} h planned of ${hours(week.capacityHours)} h available (${percent(week.utilisation)})`,
  ];
  if (week.overAllocated) parts.push('over capacity');
  if (week.reactiveHours > 0) parts.push(`${hours(week.reactiveHours)} h reactive work`);
  if (week.timeOffDays > 0) parts.push(`${week.timeOffDays} day${week.timeOffDays === 1 ? '' : 's'} off`);
  return parts.join(', ');
}

const shortDate = (day: string) => calendarDate(day).split(' ').slice(0, 2).join(' ');

/**
 * The heat map: a row per person (name, role) and per role with unassigned demand, a column per week; each
 * person's cell links to the cards behind it (`cellHref`).
 */
export function capacityHeatMap(plan: CapacityPlan, cellHref: (personId: string, weekOf: string) => string): Html {
  const rows = plan.people.length + plan.unassigned.length;
  const width = LABEL_WIDTH + plan.weeks.length * CELL_WIDTH + 4;
  const height = HEAD_HEIGHT + rows * CELL_HEIGHT + (plan.unassigned.length ? 10 : 0) + 4;
  const x = (i: number) => LABEL_WIDTH + i * CELL_WIDTH;
  const over = plan.people.reduce((n, p) => n + p.weeks.filter((w) => w.overAllocated).length, 0);
  const desc =
    `${plan.people.length} people over ${plan.weeks.length} weeks from ${calendarDate(plan.from)}; ` +
    `${over} person-week${over === 1 ? '' : 's'} over capacity. The same figures are in the table below.`;

  const head = plan.weeks.map(
    (w, i) =>
      html`<text x="${x(i) + CELL_WIDTH / 2}" y="${HEAD_HEIGHT - 10}" font-size="12" fill="${MUTED}"
        text-anchor="middle">${shortDate(w)}</text>`,
  );

  const people = plan.people.map((person, row) => {
    const y = HEAD_HEIGHT + row * CELL_HEIGHT;
    const cells = person.weeks.map((week, i) => {
      const band = bandOf(week);
      const overCell = band === 'over';
      const title = `${person.name}, week of ${calendarDate(week.weekOf)}: ${weekInWords(week)}`;
      const label = overCell ? `▲ ${percent(week.utilisation)}` : percent(week.utilisation);
      const sub = [
        week.reactiveHours > 0 ? `R ${hours(week.reactiveHours)} h` : '',
        week.timeOffDays > 0 ? `off ${week.timeOffDays} d` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      // The <title> names the link: an aria-label would hide the percentage written in the cell.
      return html`<a href="${cellHref(person.personId, week.weekOf)}"
  data-person="${person.personId}" data-week="${week.weekOf}" data-band="${band}"><title>${title}</title>
<rect x="${x(i) + 2}" y="${y + 2}" width="${CELL_WIDTH - 4}" height="${CELL_HEIGHT - 4}" rx="4" fill="${fillOf(band)}"
  ${overCell ? html`stroke="${OVER_EDGE}" stroke-width="2.5"` : ''}/>${
    overCell
      ? html`<rect x="${x(i) + 2}" y="${y + 2}" width="${CELL_WIDTH - 4}" height="${CELL_HEIGHT - 4}" rx="4"
  fill="url(#over-hatch)"/>`
      : ''
  }
<text x="${x(i) + CELL_WIDTH / 2}" y="${y + (sub ? 20 : 27)}" font-size="13" font-weight="${overCell ? 700 : 600}"
  fill="${overCell ? OVER_EDGE : INK}" text-anchor="middle">${label}</text>${
    sub
      ? html`<text x="${x(i) + CELL_WIDTH / 2}" y="${y + 36}" font-size="10.5" fill="${INK}"
  text-anchor="middle">${sub}</text>`
      : ''
  }</a>`;
    });
    return html`<g class="heat-row">
<text x="0" y="${y + 20}" font-size="13" font-weight="600" fill="${INK}">${clip(person.name, 26)}</text>
<text x="0" y="${y + 36}" font-size="11" fill="${MUTED}">${clip(person.role, 30)}</text>
${cells}</g>`;
  });

  const demandTop = HEAD_HEIGHT + plan.people.length * CELL_HEIGHT + 10;
  const demand = plan.unassigned.map((role, row) => {
    const y = demandTop + row * CELL_HEIGHT;
    const cells = role.weeks.map(
      (week, i) => html`<g><title>Unassigned ${role.role}, week of ${calendarDate(week.weekOf)}: ${hours(
        week.hours,
      )} h no one is assigned</title>
<rect x="${x(i) + 2}" y="${y + 2}" width="${CELL_WIDTH - 4}" height="${CELL_HEIGHT - 4}" rx="4" fill="#ffffff"
  stroke="#98a2b3" stroke-dasharray="4 3"/>
<text x="${x(i) + CELL_WIDTH / 2}" y="${y + 27}" font-size="12" fill="${INK}" text-anchor="middle">${
        week.hours > 0 ? `${hours(week.hours)} h` : '—'
      }</text></g>`,
    );
    return html`<g class="demand-row">
<text x="0" y="${y + 20}" font-size="13" font-weight="600" fill="${INK}">Unassigned</text>
<text x="0" y="${y + 36}" font-size="11" fill="${MUTED}">${clip(role.role, 30)}</text>
${cells}</g>`;
  });

  return html`<svg class="heat-map" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"
  aria-labelledby="heat-map-title heat-map-desc">
<title id="heat-map-title">Capacity heat map: load against capacity per person and week</title>
<desc id="heat-map-desc">${desc}</desc>
<defs><pattern id="over-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="3" height="8" fill="${OVER_EDGE}" fill-opacity="0.22"/></pattern></defs>
${head}${people}${
    plan.unassigned.length
      ? html`<line x1="0" y1="${demandTop - 5}" x2="${width}" y2="${demandTop - 5}" stroke="#d0d5dd"/>`
      : ''
  }${demand}
</svg>`;
}

/** The legend under the map, in HTML so it reads as text. */
export function heatMapLegend(): Html {
  return html`<ul class="heat-legend" aria-label="Legend">${UTILISATION_BANDS.map(
    (b) => html`<li>${swatch(b.fill, b.band === 'over' ? OVER_EDGE : '#d0d5dd')}${b.label}</li>`,
  )}<li>${swatch('#ffffff', '#98a2b3')}Unassigned demand (hours)</li>
  <li>R: reactive ticket or outage hours that week · off: days of time off</li></ul>`;
}

function swatch(fill: string, edge: string): Html {
  return html`<svg width="14" height="14" aria-hidden="true"><rect x="1" y="1" width="12" height="12" rx="2"
  fill="${fill}" stroke="${edge}"/></svg>`;
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
