/**
 * Builders for the serialized Lakeview (AI/BI dashboard) format of `.lvdash.json` files: datasets
 * (named SQL queries with parameters) and pages of widgets on a 6-column grid. Widget specs follow
 * what Databricks exports: counters are version 2, bar and line charts version 3, tables version 1.
 */

/** A query parameter of a dataset (`:keyword` in its SQL). */
export interface LakeviewParameter {
  readonly displayName: string;
  readonly keyword: string;
  readonly dataType: 'DATE' | 'STRING';
  readonly defaultSelection: { readonly values: { readonly dataType: 'DATE' | 'STRING'; readonly values: readonly { readonly value: string }[] } };
}

/** A named query of the dashboard; widgets select fields from it. */
export interface LakeviewDataset {
  readonly name: string;
  readonly displayName: string;
  /** The SQL, one entry per line, each but the last ending with `\n`. */
  readonly queryLines: readonly string[];
  readonly parameters?: readonly LakeviewParameter[];
}

/** A field a widget query selects: a column (`` `col` ``) or an aggregate (`` SUM(`col`) ``). */
export interface LakeviewField {
  readonly name: string;
  readonly expression: string;
}

/** One query of a widget over a dataset. */
export interface LakeviewWidgetQuery {
  readonly name: string;
  readonly query: {
    readonly datasetName: string;
    readonly fields?: readonly LakeviewField[];
    readonly parameters?: readonly { readonly name: string; readonly keyword: string }[];
    readonly disaggregated: boolean;
  };
}

/** A widget: a text box, or queries plus a visualization spec. */
export interface LakeviewWidget {
  readonly name: string;
  readonly queries?: readonly LakeviewWidgetQuery[];
  readonly spec?: Readonly<Record<string, unknown>>;
  readonly multilineTextboxSpec?: { readonly lines: readonly string[] };
}

/** Where a widget sits on the page grid (6 columns wide; heights in grid rows). */
export interface LakeviewPosition {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A page of the dashboard. */
export interface LakeviewPage {
  readonly name: string;
  readonly displayName: string;
  readonly layout: readonly { readonly widget: LakeviewWidget; readonly position: LakeviewPosition }[];
}

/** A whole dashboard as written to `.lvdash.json`. */
export interface LakeviewDashboard {
  readonly datasets: readonly LakeviewDataset[];
  readonly pages: readonly LakeviewPage[];
}

/** How a value is shown: pesos, a count, a percentage, a date, text or a yes/no flag. */
export type ValueFormat = 'php' | 'count' | 'percent' | 'date' | 'text' | 'boolean';

/** The SQL of a dataset as Lakeview stores it: lines with their newline kept. */
export function queryLines(sql: string): string[] {
  const lines = sql.replace(/\s+$/, '').split('\n');
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line));
}

/** A DATE parameter of a dataset whose default is today (Lakeview's relative date `now/d`). */
export function dateParameter(keyword: string, displayName: string): LakeviewParameter {
  return { displayName, keyword, dataType: 'DATE', defaultSelection: { values: { dataType: 'DATE', values: [{ value: 'now/d' }] } } };
}

const column = (name: string): LakeviewField => ({ name, expression: `\`${name}\`` });
const sum = (name: string): LakeviewField => ({ name: `sum(${name})`, expression: `SUM(\`${name}\`)` });
const monthly = (name: string): LakeviewField => ({ name: `monthly(${name})`, expression: `DATE_TRUNC("MONTH", \`${name}\`)` });

const PHP_FORMAT = { type: 'number-currency', currencyCode: 'PHP', abbreviation: 'compact', decimalPlaces: { type: 'max', places: 2 } } as const;

const frame = (title: string, description?: string) => ({ showTitle: true, title, ...(description ? { showDescription: true, description } : {}) });

/** A Markdown text box. */
export function textWidget(name: string, markdown: string): LakeviewWidget {
  return { name, multilineTextboxSpec: { lines: queryLines(markdown) } };
}

/**
 * A counter showing the sum of one column (one-row datasets show the value itself).
 *
 * @example
 * counterWidget('overdue', 'ds_bir_filing_status_summary', 'overdue_filings', 'Overdue returns', 'count');
 */
export function counterWidget(name: string, dataset: string, field: string, title: string, format: 'php' | 'count'): LakeviewWidget {
  const f = sum(field);
  return {
    name,
    queries: [{ name: 'main_query', query: { datasetName: dataset, fields: [f], disaggregated: false } }],
    spec: {
      version: 2,
      widgetType: 'counter',
      encodings: { value: { fieldName: f.name, displayName: title, ...(format === 'php' ? { format: PHP_FORMAT } : {}) } },
      frame: frame(title),
    },
  };
}

/** Options of {@link chartWidget}. */
export interface ChartWidgetOptions {
  readonly name: string;
  readonly dataset: string;
  readonly title: string;
  readonly kind: 'bar' | 'line';
  /** The category axis: a DATE column bucketed by month, or a text column. */
  readonly x: { readonly field: string; readonly temporal: boolean; readonly title: string };
  /** One or more value columns (summed); with several, each is a series. */
  readonly y: readonly { readonly field: string; readonly title: string }[];
  readonly yTitle: string;
  readonly yFormat: 'php' | 'count';
  /** A text column splitting the values into series (only with one `y`). */
  readonly color?: { readonly field: string; readonly title: string };
  readonly stacked?: boolean;
  /** Bars along the y axis (category on y). */
  readonly horizontal?: boolean;
  readonly description?: string;
}

/**
 * A bar or line chart: the category (`x`, monthly buckets when temporal) against summed values,
 * split into series by several value columns or by a `color` column.
 */
export function chartWidget(o: ChartWidgetOptions): LakeviewWidget {
  const xField = o.x.temporal ? monthly(o.x.field) : column(o.x.field);
  const yFields = o.y.map((y) => sum(y.field));
  const fields = [xField, ...yFields, ...(o.color ? [column(o.color.field)] : [])];
  const category = {
    fieldName: xField.name,
    displayName: o.x.title,
    scale: o.x.temporal ? { type: 'temporal' } : { type: 'categorical', sort: { by: o.horizontal ? 'y-reversed' : 'natural-order' } },
    axis: { title: o.x.title },
  };
  const value = {
    ...(yFields.length === 1 ? { fieldName: (yFields[0] as LakeviewField).name, displayName: (o.y[0] as { title: string }).title } : { fields: yFields.map((f, i) => ({ fieldName: f.name, displayName: (o.y[i] as { title: string }).title })) }),
    scale: { type: 'quantitative' },
    axis: { title: o.yTitle },
    ...(o.yFormat === 'php' ? { format: PHP_FORMAT } : {}),
  };
  return {
    name: o.name,
    queries: [{ name: 'main_query', query: { datasetName: o.dataset, fields, disaggregated: false } }],
    spec: {
      version: 3,
      widgetType: o.kind,
      encodings: {
        ...(o.horizontal ? { x: value, y: category } : { x: category, y: value }),
        ...(o.color ? { color: { fieldName: o.color.field, displayName: o.color.title, scale: { type: 'categorical' } } } : {}),
      },
      // Several bar series stack by default; side by side is the `group` layout.
      ...(o.kind === 'bar' && !o.stacked && (yFields.length > 1 || o.color) ? { mark: { layout: 'group' } } : {}),
      frame: frame(o.title, o.description),
    },
  };
}

const TABLE_TYPES: Record<ValueFormat, { type: string; displayAs: string; alignContent: 'left' | 'right'; numberFormat?: string; dateTimeFormat?: string }> = {
  php: { type: 'decimal', displayAs: 'number', alignContent: 'right', numberFormat: '#,##0.00' },
  count: { type: 'integer', displayAs: 'number', alignContent: 'right', numberFormat: '#,##0' },
  percent: { type: 'decimal', displayAs: 'number', alignContent: 'right', numberFormat: '0.00' },
  date: { type: 'date', displayAs: 'datetime', alignContent: 'right', dateTimeFormat: 'YYYY-MM-DD' },
  text: { type: 'string', displayAs: 'string', alignContent: 'left' },
  boolean: { type: 'boolean', displayAs: 'boolean', alignContent: 'left' },
};

/**
 * A table of dataset columns in the given order.
 *
 * @example
 * tableWidget('calendar', 'ds_bir_filing_calendar', 'Filing calendar', [{ field: 'form', title: 'Form', format: 'text' }]);
 */
export function tableWidget(name: string, dataset: string, title: string, columns: readonly { readonly field: string; readonly title: string; readonly format: ValueFormat }[]): LakeviewWidget {
  return {
    name,
    queries: [{ name: 'main_query', query: { datasetName: dataset, fields: columns.map((c) => column(c.field)), disaggregated: true } }],
    spec: {
      version: 1,
      widgetType: 'table',
      allowHTMLByDefault: false,
      condensed: true,
      withRowNumber: false,
      itemsPerPage: 25,
      paginationSize: 'default',
      encodings: {
        columns: columns.map((c, i) => {
          const t = TABLE_TYPES[c.format];
          return {
            fieldName: c.field,
            displayName: c.title,
            title: c.title,
            type: t.type,
            displayAs: t.displayAs,
            alignContent: t.alignContent,
            ...(t.numberFormat ? { numberFormat: t.numberFormat } : {}),
            ...(t.dateTimeFormat ? { dateTimeFormat: t.dateTimeFormat } : {}),
            ...(c.format === 'boolean' ? { booleanValues: ['no', 'yes'] } : {}),
            allowHTML: false,
            allowSearch: false,
            highlightLinks: false,
            preserveWhitespace: false,
            useMonospaceFont: false,
            visible: true,
            order: 100000 + i,
          };
        }),
      },
      frame: frame(title),
    },
  };
}

/**
 * A date picker bound to a DATE parameter of several datasets (all get the same value).
 *
 * @example
 * datePickerWidget('as_of', 'as_of', 'Filing status as of', ['ds_bir_filing_calendar']);
 */
export function datePickerWidget(name: string, keyword: string, title: string, datasets: readonly string[]): LakeviewWidget {
  const queries = datasets.map((dataset) => ({
    name: `parameter_${dataset}_${keyword}`,
    query: { datasetName: dataset, parameters: [{ name: keyword, keyword }], disaggregated: false },
  }));
  return {
    name,
    queries,
    spec: {
      version: 2,
      widgetType: 'filter-date-picker',
      encodings: { fields: queries.map((q) => ({ parameterName: keyword, queryName: q.name })) },
      frame: frame(title),
    },
  };
}
