import type { VariantSummary } from './results.js';

const COLORS = { baseline: '#8c8c8c', floor: '#bdbdbd', ours: '#e0234e', peer: '#3b6ea5' } as const;
const ROW_HEIGHT = 26;
const LABEL_WIDTH = 400;
const PLOT_WIDTH = 420;
const TOP = 46;

/**
 * A horizontal bar chart of each variant's throughput ratio to its unprotected baseline (1.0 = no cost),
 * written by hand as SVG: no chart library, readable in a README on GitHub. A ratio to another baseline than
 * the app's unprotected route (the MCP pair's) names it next to the value.
 */
export function ratioChartSvg(summaries: VariantSummary[], subtitle: string): string {
  const rows = summaries.filter((summary) => summary.ratio !== undefined);
  const maxRatio = Math.max(1, ...rows.map((row) => Math.max(row.ratio!, row.cpuRatio ?? 0)));
  const scaleMax = Math.ceil(maxRatio * 4) / 4;
  const x = (ratio: number) => LABEL_WIDTH + (ratio / scaleMax) * PLOT_WIDTH;
  const height = TOP + rows.length * ROW_HEIGHT + 44;
  const width = LABEL_WIDTH + PLOT_WIDTH + 70;

  const ticks: string[] = [];
  for (let tick = 0; tick <= scaleMax + 1e-9; tick += 0.25) {
    const tx = x(tick).toFixed(1);
    ticks.push(
      `<line x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${TOP + rows.length * ROW_HEIGHT}" stroke="#e6e6e6"/>`,
      `<text x="${tx}" y="${TOP + rows.length * ROW_HEIGHT + 16}" text-anchor="middle" class="tick">${tick.toFixed(2)}</text>`,
    );
  }
  // Per variant: the throughput ratio as the main bar, the CPU ratio as a thin lighter bar under it.
  const bars = rows.map((row, i) => {
    const y = TOP + i * ROW_HEIGHT;
    const barWidth = Math.max(1, x(row.ratio!) - LABEL_WIDTH);
    const cpuWidth = row.cpuRatio === undefined ? 0 : Math.max(1, x(row.cpuRatio) - LABEL_WIDTH);
    const color = COLORS[row.variant.kind];
    const to = row.variant.comparedTo === undefined ? '' : ` to (${escapeXml(row.baseline!)})`;
    return [
      `<text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end" class="label">(${escapeXml(row.variant.id)}) ${escapeXml(row.variant.chartLabel ?? row.variant.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${barWidth.toFixed(1)}" height="14" fill="${color}"/>`,
      `<text x="${(LABEL_WIDTH + barWidth + 6).toFixed(1)}" y="${y + 15}" class="value">${row.ratio!.toFixed(2)}${to}</text>`,
      row.cpuRatio === undefined
        ? ''
        : `<rect x="${LABEL_WIDTH}" y="${y + 19}" width="${cpuWidth.toFixed(1)}" height="4" fill="${color}" fill-opacity="0.45"/>` +
          `<text x="${(LABEL_WIDTH + cpuWidth + 6).toFixed(1)}" y="${y + 24}" class="cpu">${row.cpuRatio.toFixed(2)} CPU</text>`,
    ].join('');
  });
  const one = x(1).toFixed(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif">
<style>.title{font-size:15px;font-weight:600}.subtitle{font-size:11px;fill:#555}.label{font-size:12px;fill:#222}.value{font-size:12px;fill:#222;font-weight:600}.tick{font-size:10px;fill:#777}.cpu{font-size:9px;fill:#666}</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="12" y="20" class="title">Throughput relative to an unprotected baseline (higher is better, 1.00 = free)</text>
<text x="12" y="36" class="subtitle">${escapeXml(subtitle)}</text>
${ticks.join('\n')}
${bars.join('\n')}
<line x1="${one}" y1="${TOP - 6}" x2="${one}" y2="${TOP + rows.length * ROW_HEIGHT}" stroke="#333" stroke-dasharray="4 3"/>
<text x="12" y="${height - 8}" class="subtitle"><tspan fill="${COLORS.ours}">■</tspan> nestjs-mcp-auth   <tspan fill="${COLORS.peer}">■</tspan> peer middleware in the same Nest app   <tspan fill="${COLORS.baseline}">■</tspan> unprotected   · thick bar: req/s ratio, thin bar: server CPU per request ratio</text>
</svg>
`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
