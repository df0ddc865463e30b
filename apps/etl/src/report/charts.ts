import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One series of a chart: a label and one value per category (null leaves a gap). */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  /** Draw this series as a line on a bar chart (mixed chart). */
  readonly kind?: 'bar' | 'line';
  /** A CSS color; default: the report palette in series order. */
  readonly color?: string;
}

/**
 * A chart as data: what the inline runtime turns into a Chart.js configuration in the browser.
 * Values are plain numbers; tables carry the exact figures.
 */
export interface ChartSpec {
  /** The id of the `<canvas>` element. */
  readonly id: string;
  readonly kind: 'bar' | 'line';
  /** Category labels (months already formatted, agencies, vendors, …). */
  readonly labels: readonly string[];
  readonly series: readonly ChartSeries[];
  /** Format values as pesos (axis ticks compact, tooltips exact to the centavo). */
  readonly money: boolean;
  readonly stacked?: boolean;
  /** Bars along the y axis (long category names). */
  readonly horizontal?: boolean;
}

/** The package and file of the charting library inlined into every report (no CDN: reports open offline). */
export const CHART_LIBRARY = { name: 'chart.js', file: 'chart.umd.js' } as const;

let librarySource: Promise<string> | undefined;

/**
 * The built UMD file of Chart.js, read from node_modules (resolved like an import from this app),
 * for inlining into the report.
 */
export async function chartLibrarySource(): Promise<string> {
  librarySource ??= (async () => {
    // The package's exports map hides dist/; its main entry lives in the same folder as the UMD build.
    const entry = createRequire(import.meta.url).resolve(CHART_LIBRARY.name);
    return readFile(join(dirname(entry), CHART_LIBRARY.file), 'utf8');
  })();
  librarySource.catch(() => (librarySource = undefined));
  return librarySource;
}

/** Whether a chart has anything to draw. */
export function hasData(spec: ChartSpec): boolean {
  return spec.labels.length > 0 && spec.series.some((s) => s.values.some((v) => v !== null));
}

/**
 * The inline script that draws every chart of the report from the JSON in
 * `<script type="application/json" id="report-charts">`. Animations are off, so each chart is
 * drawn completely as soon as the page has loaded (and before a screenshot or print).
 * It marks `<html data-charts-drawn="N">` when done.
 */
export const CHART_RUNTIME = String.raw`(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('report-charts').textContent);
  var PALETTE = ['#0f766e', '#c2410c', '#1d4ed8', '#a16207', '#7c3aed', '#be123c', '#15803d', '#0369a1', '#9d174d', '#4d7c0f', '#b45309', '#475569'];
  var pesos = new Intl.NumberFormat('en-PH', { style: 'currency', currency: 'PHP', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var pesosCompact = new Intl.NumberFormat('en-PH', { style: 'currency', currency: 'PHP', notation: 'compact', maximumFractionDigits: 1 });
  var count = new Intl.NumberFormat('en-PH', { maximumFractionDigits: 2 });
  Chart.defaults.animation = false;
  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#334155';
  var drawn = 0;
  specs.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) return;
    var valueAxis = spec.horizontal ? 'x' : 'y';
    var categoryAxis = spec.horizontal ? 'y' : 'x';
    var scales = {};
    scales[categoryAxis] = { stacked: !!spec.stacked, grid: { display: false } };
    scales[valueAxis] = {
      stacked: !!spec.stacked,
      beginAtZero: true,
      ticks: { callback: function (value) { return spec.money ? pesosCompact.format(value) : count.format(value); } }
    };
    var datasets = spec.series.map(function (series, i) {
      var color = series.color || PALETTE[i % PALETTE.length];
      var line = (series.kind || spec.kind) === 'line';
      return {
        type: series.kind || spec.kind,
        label: series.label,
        data: series.values,
        backgroundColor: color,
        borderColor: color,
        borderWidth: line ? 2 : 0,
        pointRadius: line ? 2 : 0,
        cubicInterpolationMode: 'monotone',
        spanGaps: true,
        order: line ? 0 : 1
      };
    });
    new Chart(canvas, {
      type: spec.kind,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? 'y' : 'x',
        interaction: { mode: 'index', intersect: false, axis: categoryAxis },
        plugins: {
          legend: { display: spec.series.length > 1, position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: function (context) {
                var value = spec.horizontal ? context.parsed.x : context.parsed.y;
                return context.dataset.label + ': ' + (spec.money ? pesos.format(value) : count.format(value));
              }
            }
          }
        },
        scales: scales
      }
    });
    drawn += 1;
  });
  document.documentElement.setAttribute('data-charts-drawn', String(drawn));
})();
`;
