// Medians, p95s and ratios of the figures, the table printed to stdout, and results.json.

/** The `q` quantile of `values` by nearest rank (q = 0.5: the median; 0.95: p95). */
export function quantile(values, q) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  if (q === 0.5 && sorted.length % 2 === 0) return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** The figures, each with its unit and how to get its samples from a page's visits. */
export const FIGURES = [
  { key: "transfer", label: "transfer before ready, as served", unit: "KiB", samples: (v) => v.map((x) => x.bytes / 1024) },
  { key: "transferGzip", label: "same resources, gzip -9", unit: "KiB", samples: (v) => v.map((x) => x.gzipBytes / 1024) },
  { key: "ready", label: "navigation to ready", unit: "ms", samples: (v) => v.map((x) => x.readyMs) },
  { key: "keystroke", label: "keystroke to painted digit", unit: "ms", samples: (v) => v.flatMap((x) => x.keystrokes) },
  { key: "heap", label: "JS heap after verify", unit: "MiB", samples: (v) => v.map((x) => x.heapBytes / 2 ** 20) },
  { key: "wasm", label: "wasm memory after verify", unit: "MiB", samples: (v) => v.map((x) => x.wasmBytes / 2 ** 20) },
  { key: "memory", label: "JS heap + wasm memory", unit: "MiB", samples: (v) => v.map((x) => (x.heapBytes + x.wasmBytes) / 2 ** 20) },
  { key: "longTasks", label: "long tasks during load", unit: "count", samples: (v) => v.map((x) => x.longTasks.length) },
  { key: "longTaskMs", label: "long tasks during load, total", unit: "ms", samples: (v) => v.map((x) => x.longTasks.reduce((a, b) => a + b, 0)) },
];

const round = (x) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 100) / 100);
const ratio = (a, b) => (a === null || b === null || b === 0 ? null : round(a / b));

/** { figure: { widget: {median, p95, n}, react: {...}, ratio: {median, p95} } } of one condition. */
export function summarise(visits) {
  const summary = {};
  for (const figure of FIGURES) {
    const of = (name) => {
      const samples = figure.samples(visits[name]);
      return { median: round(quantile(samples, 0.5)), p95: round(quantile(samples, 0.95)), n: samples.length };
    };
    const widget = of("widget");
    const react = of("react");
    summary[figure.key] = {
      label: figure.label,
      unit: figure.unit,
      widget,
      react,
      ratio: { median: ratio(widget.median, react.median), p95: ratio(widget.p95, react.p95) },
    };
  }
  return summary;
}

const cell = (x) => (x === null ? "—" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** The table of one condition, as printed. */
export function table(condition, summary) {
  const head = ["figure", "unit", "widget med", "react med", "ratio", "widget p95", "react p95", "ratio"];
  const rows = Object.values(summary).map((s) => [
    s.label, s.unit, cell(s.widget.median), cell(s.react.median), cell(s.ratio.median),
    cell(s.widget.p95), cell(s.react.p95), cell(s.ratio.p95),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [`${condition}`, line(head), ...rows.map(line)].join("\n");
}

const PHASES = { script: "app.js fetched", domContentLoaded: "DOMContentLoaded", wasm: "wasm fetched", instantiated: "wasm instantiated", ready: "ready" };

/** Median time (ms from navigation start) of each load step of `name`'s visits, for the log. */
export function phases(name, visits) {
  const steps = Object.entries(PHASES)
    .map(([key, label]) => [label, quantile(visits.map((v) => v.phases[key]).filter((t) => t !== null), 0.5)])
    .filter(([, median]) => median !== null)
    .map(([label, median]) => `${label} ${Math.round(median)}`);
  return `${name}, medians in ms from navigation start: ${steps.join(", ")}`;
}
