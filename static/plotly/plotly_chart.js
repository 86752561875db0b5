// A Plotly chart per mounted component, kept across Streamlit reruns (dashboard/plotly_chart.py).
//
// Loads the vendored plotly.js basic bundle once per tab, draws the figure it is sent with
// Plotly.react (so a zoom survives a rerun that keeps the figure's uirevision), and reports
// the points a click, box or lasso selected (their customdata, as st.plotly_chart does) and
// the visible x range, as component state.

const TAB = (window.__southCaucasusPlotly = window.__southCaucasusPlotly || { plotly: null, charts: new WeakMap() });

// The page's look, under whatever the figure sets itself: Streamlit's light theme for Plotly
// (what st.plotly_chart applied), its fonts, sizes and greys.
const FONT = '"Source Sans", sans-serif';
const TEXT = "#31333F";
const FADED = "rgba(49, 51, 63, 0.6)";
const LINE = "#e6eaf1";
const AXIS = { zerolinecolor: LINE, gridcolor: LINE, tickcolor: LINE, tickfont: { color: FADED, size: 12 },
  title: { font: { color: FADED, size: 14 } }, automargin: true };
const LOOK = {
  layout: {
    font: { color: FADED, family: FONT, size: 12 },
    title: { font: { family: FONT, size: 16, color: TEXT }, xanchor: "left", x: 0 },
    legend: { title: { font: { size: 12, color: FADED }, side: "top" }, valign: "top", borderwidth: 0,
      font: { size: 12, color: TEXT } },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    xaxis: { ...AXIS, showgrid: false, zeroline: false },
    yaxis: { ...AXIS, ticklabelposition: "outside" },
    margin: { pad: 8, r: 0, l: 0 },
    hoverlabel: { bgcolor: "#ffffff", bordercolor: LINE, font: { color: TEXT, family: FONT, size: 12 } },
  },
};

function ensurePlotly(url) {
  if (!TAB.plotly) {
    TAB.plotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        TAB.plotly = null; // the next rerun tries again
        script.remove();
        reject(new Error(`could not load ${url}`));
      };
      document.head.appendChild(script);
    });
  }
  return TAB.plotly;
}

// What st.plotly_chart reports of a point; Plotly's own point objects hold the whole figure.
function point(p) {
  const out = { curve_number: p.curveNumber, point_number: p.pointNumber, point_index: p.pointIndex, x: p.x, y: p.y };
  if (p.customdata !== undefined) out.customdata = p.customdata;
  return out;
}

// Full screen, as st.plotly_chart's toolbar had: a modebar button spreads the chart over the
// window (at least its own height; the overlay scrolls when the chart is taller), Escape or the
// button again puts it back. CSS, not the Fullscreen API, so it works in every browser and frame.
const EXPAND = { width: 24, height: 24, path: "M3 3h7v2H5v5H3V3zm11 0h7v7h-2V5h-5V3zM3 14h2v5h5v2H3v-7zm16 0h2v7h-7v-2h5v-5z" };
const SHRINK = { width: 24, height: 24, path: "M8 3h2v7H3V8h5V3zm6 0h2v5h5v2h-7V3zM3 14h7v7H8v-5H3v-2zm11 0h7v2h-5v5h-2v-7z" };

function fullHeight(chart) {
  return Math.max(window.innerHeight - 32, chart.height);
}

// The chart's config with its full-screen button, one object per state (in the page, in full
// screen), made once: Plotly.react rebuilds a chart from scratch whenever its config changes,
// and a new button (a new click function) on every rerun would be such a change.
function configFor(chart) {
  const key = String(chart.full);
  if (!chart.configs[key]) {
    const base = chart.config;
    chart.configs[key] = { ...base, modeBarButtonsToAdd: [...(base.modeBarButtonsToAdd || []), fullButton(chart)] };
  }
  return chart.configs[key];
}

// Only the page's own state: the class that spreads the chart and the Escape listener.
function markFull(chart, on) {
  chart.full = on;
  chart.parent.classList.toggle("scp-full", on);
  document.documentElement.classList.toggle("scp-full-open", on);
  if (chart.onKey) document.removeEventListener("keydown", chart.onKey);
  chart.onKey = on ? (e) => e.key === "Escape" && setFull(chart, false) : null;
  if (on) document.addEventListener("keydown", chart.onKey);
}

function setFull(chart, on) {
  markFull(chart, on);
  const layout = { ...chart.gd.layout, height: on ? fullHeight(chart) : chart.height };
  if (chart.alignTo) layout.margin = { ...chart.figMargin, ...(on ? {} : chart.margin || {}) };
  window.Plotly.react(chart.gd, chart.gd.data, layout, configFor(chart))
    .then(() => !on && chart.alignTo && align(chart));
}

function fullButton(chart) {
  return {
    name: "fullscreen",
    title: chart.full ? "Exit full screen (Esc)" : "View full screen",
    icon: chart.full ? SHRINK : EXPAND,
    click: () => setFull(chart, !chart.full),
  };
}

// A chart drawn over the same dates as another (the count strip above the lanes): its plotting
// area is kept exactly over the other's, whatever the other's container adds (a scrolling box's
// padding and scrollbar) or its axes push, so a date is at the same x on both.
function targetOf(chart) {
  return chart.alignTo && document.querySelector(`${chart.alignTo} .js-plotly-plot`);
}

function alignment(chart) {
  const target = targetOf(chart);
  if (!target || !target._fullLayout || !chart.gd._fullLayout) return null;
  const size = target._fullLayout._size;
  const them = target.getBoundingClientRect();
  const own = chart.gd.getBoundingClientRect();
  const l = Math.round(them.left + size.l - own.left);
  const r = Math.round(own.right - (them.left + size.l + size.w));
  return l >= 0 && r >= 0 ? { l, r } : null;
}

function align(chart) {
  if (chart.full) return; // over the whole window: lined up with nothing
  followTarget(chart); // once the other chart is there, whichever drew first
  const m = chart.gd.isConnected && alignment(chart);
  if (!m) return;
  chart.margin = m;
  const now = chart.gd._fullLayout.margin;
  const change = {};
  if (now.l !== m.l || now.r !== m.r) Object.assign(change, { "margin.l": m.l, "margin.r": m.r });
  // and the same dates: the other's range, however it got there (a zoom, room for its labels)
  const theirs = targetOf(chart)._fullLayout.xaxis.range;
  const ours = chart.gd._fullLayout.xaxis.range;
  if (String(theirs[0]) !== String(ours[0]) || String(theirs[1]) !== String(ours[1])) change["xaxis.range"] = [...theirs];
  if (Object.keys(change).length) window.Plotly.relayout(chart.gd, change);
}

function followTarget(chart) {
  const target = targetOf(chart);
  if (!target || target.__scpFollowers?.has(chart)) return;
  if (!target.__scpFollowers) {
    target.__scpFollowers = new Set();
    target.on("plotly_afterplot", () => target.__scpFollowers.forEach((c) => (c.gd.isConnected ? align(c) : target.__scpFollowers.delete(c))));
  }
  target.__scpFollowers.add(chart);
}

// Lane labels sit inside the plot, left of the first mark: the default range leaves room for
// them as a share of the dates, which on a narrow chart (a phone) is narrower than the labels.
// There, the range starts earlier than the one the app sent until the widest label clears the
// first mark (data.label_room: that mark's date; only on the app's default range, never over a
// range the user chose), and is worked out again from the sent range when the width changes.
// Changes made here are not reported as a zoom (chart.quiet counts them while they run).
function quietly(chart, change) {
  chart.quiet += 1;
  return window.Plotly.relayout(chart.gd, change).finally(() => { chart.quiet -= 1; });
}

function makeLabelRoom(chart) {
  const gd = chart.gd;
  const fl = gd._fullLayout;
  if (!chart.labelRoom || chart.zoomed || !chart.sentRange || !fl || !fl.xaxis) return Promise.resolve();
  const widths = [...gd.querySelectorAll(".ytick text")].map((t) => t.getBoundingClientRect().width);
  const ax = fl.xaxis;
  const width = fl._size.w;
  const a = ax.r2l(chart.sentRange[0]);
  const b = ax.r2l(chart.sentRange[1]);
  const f = ax.d2l(chart.labelRoom);
  const k = Math.min((Math.max(0, ...widths) + 12) / width, 0.4); // at most 40 % of a phone's dates
  const tight = f > a && b > f && ((f - a) / (b - a)) * width < k * width;
  const start = tight ? ax.l2r((f - k * b) / (1 - k)) : chart.sentRange[0];
  if (ax.r2l(ax.range[0]) === ax.r2l(start) && ax.r2l(ax.range[1]) === b) return Promise.resolve();
  return quietly(chart, { "xaxis.range": [start, chart.sentRange[1]] });
}

// A double-click is "zoom out": back to the app's default view (reported as no range; the
// default's room for the labels comes back at once). Plotly's own double-click is off on these
// charts: it resets to the range of the chart's first drawing, which would read as a zoom.
function zoomOut(chart) {
  chart.zoomed = false;
  chart.setStateValue("range", null);
  makeLabelRoom(chart); // the sent range, with its room for the labels where they need it
}

// Listeners for what Python asked to hear about (data.report), through the chart's current
// setStateValue. Every pick is a new value (seq), so picking the same marks again is reported.
function wire(chart, report) {
  const gd = chart.gd;
  if (report.selection) {
    const select = (e) => {
      if (!e || !e.points) return;
      chart.seq += 1;
      chart.setStateValue("selection", { points: e.points.map(point), seq: chart.seq });
    };
    gd.on("plotly_selected", select);
    gd.on("plotly_click", select);
    gd.on("plotly_deselect", () => {
      chart.seq += 1;
      chart.setStateValue("selection", { points: [], seq: chart.seq });
    });
  }
  if (report.range) {
    gd.on("plotly_doubleclick", () => zoomOut(chart));
    gd.on("plotly_relayout", (e) => {
      if (chart.quiet) return; // the room made for the lane labels, not the user's zoom
      let range = null;
      if (e["xaxis.range[0]"] !== undefined) range = [e["xaxis.range[0]"], e["xaxis.range[1]"]];
      else if (Array.isArray(e["xaxis.range"])) range = e["xaxis.range"];
      else return; // not a change of dates
      chart.zoomed = true;
      chart.setStateValue("range", range.map(String));
    });
  }
}

export default async function render({ data, parentElement, setStateValue }) {
  let chart = TAB.charts.get(parentElement);
  if (!chart) {
    const gd = document.createElement("div");
    gd.className = "scp-chart";
    parentElement.appendChild(gd);
    chart = { gd, parent: parentElement, drawn: null, seq: 0, gen: 0, wired: false, observer: null, setStateValue,
      full: false, height: 450, config: {}, configs: {}, onKey: null, alignTo: null, margin: null, labelRoom: null,
      quiet: 0, zoomed: false, sentRange: null, figMargin: {} };
    TAB.charts.set(parentElement, chart);
  }
  const gen = ++chart.gen; // a later render of this chart supersedes this one
  chart.setStateValue = setStateValue;
  // Streamlit calls the cleanup of a render that a newer one replaced before it finished (say,
  // while plotly.js was still loading): only the newest render's cleanup tears the chart down.
  const cleanup = () => {
    if (chart.gen !== gen) return;
    TAB.charts.delete(parentElement);
    if (chart.observer) chart.observer.disconnect();
    if (chart.full) markFull(chart, false);
    if (window.Plotly) window.Plotly.purge(chart.gd);
    chart.gd.remove();
  };
  const Plotly = await ensurePlotly(data.plotly);
  if (chart.gen !== gen) return cleanup;
  const key = data.figure + JSON.stringify(data.config);
  if (chart.drawn !== key) {
    chart.drawn = key;
    const fig = JSON.parse(data.figure);
    chart.height = fig.layout.height || 450;
    chart.sentRange = fig.layout.xaxis && Array.isArray(fig.layout.xaxis.range) ? [...fig.layout.xaxis.range] : null;
    chart.figMargin = { ...(fig.layout.margin || {}) };
    const layout = { ...fig.layout, template: LOOK, autosize: true };
    if (chart.full) layout.height = fullHeight(chart);
    chart.alignTo = data.align_to || null;
    if (chart.alignTo && chart.margin && !chart.full) layout.margin = { ...layout.margin, ...chart.margin }; // as last aligned
    // As st.plotly_chart did for a chart with a selection callback: a click selects (shift adds).
    if (data.report.selection && layout.clickmode === undefined) layout.clickmode = "event+select";
    const config = { responsive: true, showTips: false, ...data.config };
    if (data.report.range) config.doubleClick = false; // zoomOut() instead
    if (JSON.stringify(config) !== JSON.stringify(chart.config)) {
      chart.config = config;
      chart.configs = {};
    }
    await Plotly.react(chart.gd, fig.data || [], layout, configFor(chart));
    chart.labelRoom = data.label_room || null;
    if (!chart.labelRoom) chart.zoomed = false; // the app has the user's range now
    await makeLabelRoom(chart);
    if (chart.alignTo) {
      followTarget(chart);
      align(chart);
    }
    if (!chart.wired) {
      chart.wired = true;
      wire(chart, data.report);
      // follow the container's width (a sidebar opening or closing), not only the window's
      chart.observer = new ResizeObserver(() => {
        if (!chart.gd.isConnected) return;
        if (chart.full && chart.gd.layout.height !== fullHeight(chart)) Plotly.relayout(chart.gd, { height: fullHeight(chart) });
        else
          Plotly.Plots.resize(chart.gd).then(() => {
            makeLabelRoom(chart);
            if (chart.alignTo) align(chart);
          });
      });
      chart.observer.observe(parentElement);
    }
  }
  return cleanup;
}
