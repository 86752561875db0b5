// The live map: one Leaflet map per mounted component, kept across Streamlit reruns.
//
// Python (dashboard/live_map.py) sends, on every rerun, only what changes: the filtered
// events, the selection, a legend, and (with a new sequence number) a view to apply.
// The base and reference layers arrive once per browser tab and are cached here by hash.
// The map reports back its view (centre, zoom, base layer, hidden overlays) as state, and
// a clicked event as a trigger. Everything that comes from the data is escaped in Python
// (Jinja2 autoescape) before it reaches a popup; tooltips and labels are set as text.

const TAB = (window.__southCaucasusMap = window.__southCaucasusMap || {
  bases: new Map(), // base hash -> base payload (survives remounts within the tab)
  maps: new WeakMap(), // parentElement -> map state
  leaflet: null, // promise of window.L with the marker-cluster plugin
});

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = false;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.appendChild(script);
  });
}

function loadCss(url) {
  if ([...document.querySelectorAll("link[rel=stylesheet]")].some((l) => l.href === url)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = url;
  document.head.appendChild(link);
}

function ensureLeaflet(assets) {
  assets.css.forEach(loadCss);
  if (!TAB.leaflet) {
    TAB.leaflet = (async () => {
      for (const url of assets.js) await loadScript(url);
      return window.L;
    })();
  }
  return TAB.leaflet;
}

// --- drawing -------------------------------------------------------------------------

// An event symbol as SVG: a circle where the event happened, a diamond for a place it
// only concerns; filled, hollow or dotted by status; larger and fainter for vaguer dates.
function symbolSvg(s, selected) {
  const r = s.r + (selected ? 3 : 0);
  const pad = selected ? 4 : 2;
  const size = 2 * r + 2 * pad;
  const c = size / 2;
  const stroke = selected ? "#000" : s.color;
  const width = selected ? 3.5 : 2;
  const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
  const common = `stroke="${stroke}" stroke-width="${width}" stroke-opacity="${selected ? 1 : s.opacity}" fill="${s.color}" fill-opacity="${s.fill}"${dash}`;
  const shapes = {
    diamond: `<path d="M${c} ${c - r} L${c + r} ${c} L${c} ${c + r} L${c - r} ${c} Z" ${common}/>`,
    square: `<rect x="${c - r * 0.8}" y="${c - r * 0.8}" width="${r * 1.6}" height="${r * 1.6}" ${common}/>`,
  };
  const shape = shapes[s.shape] || `<circle cx="${c}" cy="${c}" r="${r}" ${common}/>`;
  const dot = s.assumed ? `<circle cx="${c}" cy="${c}" r="1.8" fill="${stroke}"/>` : "";
  return { html: `<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${shape}${dot}</svg>`, size };
}

function eventIcon(L, s, selected) {
  const { html, size } = symbolSvg(s, selected);
  return L.divIcon({
    html,
    className: selected ? "scm-event scm-selected" : "scm-event",
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
    popupAnchor: [0, -size / 2],
    tooltipAnchor: [size / 2, 0],
  });
}

function textTooltip(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span;
}

function styleOf(layer, feature) {
  const own = (feature && feature.properties && feature.properties.style) || {};
  return Object.assign({}, layer.style, own);
}

function buildBase(L, map, base) {
  const overlays = {};
  for (const layer of base.layers) {
    const pane = map.getPane(layer.id) || map.createPane(layer.id);
    pane.style.zIndex = String(layer.z);
    if (!layer.interactive) pane.style.pointerEvents = "none";
    const group = L.featureGroup();
    L.geoJSON(layer.geojson, {
      pane: layer.id,
      interactive: layer.interactive,
      style: (f) => styleOf(layer, f),
      pointToLayer: (f, latlng) => L.circleMarker(latlng, Object.assign({ pane: layer.id }, styleOf(layer, f))),
      onEachFeature: (f, l) => {
        if (layer.interactive && f.properties.label) l.bindTooltip(textTooltip(f.properties.label), { sticky: true });
      },
    }).addTo(group);
    for (const label of layer.labels || []) {
      const div = document.createElement("div");
      div.textContent = label.text;
      L.marker([label.lat, label.lon], {
        pane: layer.id,
        interactive: false,
        icon: L.divIcon({ html: div.outerHTML, className: "scm-label", iconSize: [80, 30], iconAnchor: [40, 15] }),
      }).addTo(group);
    }
    if (layer.overlay) overlays[layer.id] = { name: layer.name, group };
    else group.addTo(map); // the plain land base: always there, under the tiles
  }
  return overlays;
}

// --- room for the map's controls ----------------------------------------------------------

const GAP = 8; // px kept between a popup (or a marker) and a control or the map's edge
const POPUP = { maxWidth: 360, maxHeight: 320 }; // at most; less on a small map
const POPUP_CHROME = { x: 28, y: 64 }; // a popup's margins, border and tip around its content
const CLUSTER_MAX_ZOOM = 11; // a cluster click zooms in no closer (≈ a 5 km scale bar), then spreads

// The part of the map that no control covers, as insets from its edges (in px). Each corner's
// controls are cleared from above or below when they are short (the zoom and layers controls,
// a folded legend and the scale, the attribution), from the side when they are tall (an open
// legend, an expanded layers control): a box within the insets overlaps no control.
function clearInsets(map) {
  const size = map.getSize();
  const box = map.getContainer().getBoundingClientRect();
  const ins = { top: GAP, bottom: GAP, left: GAP, right: GAP };
  for (const [name, corner] of Object.entries(map._controlCorners || {})) {
    const top = name.startsWith("top");
    const left = name.endsWith("left");
    let w = 0;
    let h = 0;
    for (const el of corner.children) {
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      w = Math.max(w, left ? r.right - box.left : box.right - r.left);
      h = Math.max(h, top ? r.bottom - box.top : box.bottom - r.top);
    }
    if (!w || !h) continue;
    if (h <= size.y * 0.3) ins[top ? "top" : "bottom"] = Math.max(ins[top ? "top" : "bottom"], Math.ceil(h) + GAP);
    else ins[left ? "left" : "right"] = Math.max(ins[left ? "left" : "right"], Math.ceil(w) + GAP);
  }
  // a tiny map keeps some room to show things in, controls or not
  if (ins.left + ins.right > size.x - 120) ins.left = ins.right = GAP;
  if (ins.top + ins.bottom > size.y - 120) ins.top = ins.bottom = GAP;
  return ins;
}

// A popup sized to the map when it opens (never wider or taller than the room the controls
// leave) and panned fully into that room.
function fitPopup(popup, map) {
  const size = map.getSize();
  const ins = clearInsets(map);
  const o = popup.options;
  o.maxWidth = Math.max(120, Math.min(POPUP.maxWidth, size.x - ins.left - ins.right - POPUP_CHROME.x));
  o.minWidth = Math.min(50, o.maxWidth);
  o.maxHeight = Math.max(100, Math.min(POPUP.maxHeight, size.y - ins.top - ins.bottom - POPUP_CHROME.y));
  o.autoPanPaddingTopLeft = [ins.left, ins.top];
  o.autoPanPaddingBottomRight = [ins.right, ins.bottom];
}

let FittedPopup = null;
function popupFor(L, html) {
  FittedPopup = FittedPopup || L.Popup.extend({
    onAdd(map) {
      fitPopup(this, map);
      L.Popup.prototype.onAdd.call(this, map);
    },
  });
  return new FittedPopup(Object.assign({}, POPUP)).setContent(html);
}

// Pan the map (not zoom) so that the container box [x0, y0, x1, y1] lies within the room the
// controls leave; when it cannot, its top left comes first.
function panIntoClear(map, [x0, y0, x1, y1], animate = false) {
  const size = map.getSize();
  const ins = clearInsets(map);
  const shift = (lo, hi, min, max) => (lo < min ? lo - min : hi > max ? Math.min(hi - max, lo - min) : 0);
  const dx = shift(x0, x1, ins.left, size.x - ins.right);
  const dy = shift(y0, y1, ins.top, size.y - ins.bottom);
  if (dx || dy) map.panBy([dx, dy], { animate });
}

// markercluster's own click zooms to fit the children's bounds exactly (to a 2 km scale bar for
// a few nearby events, some under the controls). Here: fit them with room for the controls, at
// most to CLUSTER_MAX_ZOOM, then spread (spiderfy) the children that still overlap.
function clusterGroup(st) {
  const group = st.L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 40, zoomToBoundsOnClick: false, spiderfyOnMaxZoom: false,
  });
  group.on("clusterclick", (e) => {
    openCluster(st, group, e.layer);
    if (e.originalEvent && e.originalEvent.keyCode === 13) st.map.getContainer().focus(); // as markercluster does
  });
  return group;
}

function openCluster(st, group, cluster) {
  const map = st.map;
  const markers = cluster.getAllChildMarkers();
  const ins = clearInsets(map);
  const pad = 16; // half a marker, and a little more
  const topLeft = st.L.point(ins.left + pad, ins.top + pad);
  const bottomRight = st.L.point(ins.right + pad, ins.bottom + pad);
  const zoom = Math.min(map.getBoundsZoom(cluster.getBounds(), false, topLeft.add(bottomRight)), CLUSTER_MAX_ZOOM);
  const spread = () => spreadCluster(st, group, markers);
  if (zoom <= map.getZoom()) {
    spread(); // as close as it gets: spread them where they are
    return;
  }
  map.once("moveend", () => afterClustering(group, spread));
  map.fitBounds(cluster.getBounds(), { paddingTopLeft: topLeft, paddingBottomRight: bottomRight, maxZoom: zoom });
}

function afterClustering(group, fn) {
  if (group._inZoomAnimation) group.once("animationend", () => afterClustering(group, fn));
  else fn();
}

function spreadCluster(st, group, markers) {
  const count = new Map(); // the clusters the markers are still in at this zoom
  for (const m of markers) {
    const p = group.getVisibleParent(m);
    if (p && p !== m) count.set(p, (count.get(p) || 0) + 1);
  }
  // Keep what was just spread in the clear part of the map (all of it, when the rest does not fit
  // beside it: the spread markers first; a cluster left over may go off to the side).
  const keepClear = (e) => {
    const shown = e && e.markers && e.markers.length ? e.markers : markers;
    const pts = shown.map((m) => st.map.latLngToContainerPoint((group.getVisibleParent(m) || m).getLatLng()));
    if (!pts.length) return;
    const pad = 16;
    const xs = pts.map((p) => p.x);
    const ys = pts.map((p) => p.y);
    panIntoClear(st.map, [Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad]);
  };
  // markercluster spreads one cluster at a time: the largest
  const [biggest] = [...count.entries()].sort((a, b) => b[1] - a[1])[0] || [];
  if (biggest && biggest !== group._spiderfied) {
    group.once("spiderfied", keepClear);
    biggest.spiderfy();
  } else keepClear(null);
}

// --- the component ---------------------------------------------------------------------

function report(st) {
  const c = st.map.getCenter();
  const view = {
    lat: Math.round(c.lat * 1e4) / 1e4,
    lon: Math.round(c.lng * 1e4) / 1e4,
    zoom: st.map.getZoom(),
    base: st.baseName,
    hidden: Object.keys(st.overlays).filter((id) => !st.map.hasLayer(st.overlays[id].group)),
  };
  const key = JSON.stringify(view);
  if (key !== st.lastReported) {
    st.lastReported = key;
    st.setStateValue("view", view);
  }
  updateOffView(st);
}

function applyView(st, view) {
  if (!view) return;
  if (view.bounds) st.map.fitBounds(view.bounds, { padding: [10, 10], animate: false });
  else st.map.setView([view.lat, view.lon], view.zoom, { animate: false });
  if (view.base && st.bases[view.base] && view.base !== st.baseName) {
    st.map.removeLayer(st.bases[st.baseName]);
    st.bases[view.base].addTo(st.map);
    st.baseName = view.base;
  }
  if (view.hidden) {
    for (const [id, o] of Object.entries(st.overlays)) {
      if (view.hidden.includes(id)) st.map.removeLayer(o.group);
      else if (!st.map.hasLayer(o.group)) o.group.addTo(st.map);
    }
  }
}

function mount(L, parentElement, data, setStateValue, setTriggerValue) {
  const root = document.createElement("div");
  root.className = "scm-root";
  root.style.height = `${data.height}px`;
  root.setAttribute("data-testid", "live-map");
  parentElement.appendChild(root);
  const base = TAB.bases.get(data.base.hash);
  const map = L.map(root, { minZoom: 2, maxZoom: 14, zoomSnap: 0.5, zoomControl: true, preferCanvas: false });
  L.control.scale().addTo(map);
  const st = {
    L, map, root, setStateValue, setTriggerValue, lastReported: null, viewSeq: null, focusSeq: null,
    markers: new Map(), selected: [], baseHash: data.base.hash,
  };
  root.__scm = st; // for the browser tests: the map's state, reachable from the page
  const tiles = L.tileLayer(base.tiles.url, { attribution: base.tiles.attribution, maxZoom: 14 });
  const plain = L.layerGroup();
  st.bases = { [base.tiles.id]: tiles, plain };
  st.baseName = base.tiles.id;
  tiles.addTo(map);
  st.overlays = buildBase(L, map, base);
  const overlayControl = {};
  for (const o of Object.values(st.overlays)) {
    o.group.addTo(map);
    overlayControl[o.name] = o.group;
  }
  L.control
    .layers({ [base.tiles.name]: tiles, "Plain map (no tiles)": plain }, overlayControl, { collapsed: true })
    .addTo(map);
  map.on("baselayerchange", (e) => {
    st.baseName = e.layer === plain ? "plain" : base.tiles.id;
    report(st);
  });
  map.on("overlayadd overlayremove", () => report(st));
  map.on("moveend", () => report(st));

  st.cluster = clusterGroup(st);
  st.cluster.addTo(map);
  map.createPane("scm-selected").style.zIndex = "620";
  st.highlight = L.layerGroup().addTo(map);

  st.legend = L.control({ position: "bottomleft" });
  st.legend.onAdd = () => {
    const div = L.DomUtil.create("div", "scm-legend");
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  st.legend.addTo(map);
  applyView(st, data.view);
  st.viewSeq = data.view ? data.view.seq : null;
  return st;
}

function onMarkerClick(st, id, e) {
  const additive = !!(e.originalEvent && (e.originalEvent.shiftKey || e.originalEvent.metaKey || e.originalEvent.ctrlKey));
  st.setTriggerValue("clicked", { id, additive });
}

function setEvents(st, events) {
  const L = st.L;
  const key = events.map((e) => e.id + "@" + (e.fade ?? 1)).join("|") + ":" + (events[0] && events[0].popup.length);
  if (key === st.eventsKey) return;
  st.eventsKey = key;
  st.cluster.clearLayers();
  st.markers = new Map();
  const layers = [];
  for (const ev of events) {
    // during playback, events fade in and out with the moving window
    const marker = L.marker([ev.lat, ev.lon], {
      icon: eventIcon(L, ev.style, false), keyboard: true, title: "", opacity: ev.fade ?? 1,
    });
    marker.bindTooltip(textTooltip(ev.tooltip), { direction: "top" });
    marker.bindPopup(popupFor(L, ev.popup));
    marker.on("click", (e) => onMarkerClick(st, ev.id, e));
    marker.scmEvent = ev;
    st.markers.set(ev.id, marker);
    layers.push(marker);
  }
  st.cluster.addLayers(layers);
  st.events = events;
}

function setSelection(st, selected, focus) {
  const L = st.L;
  // Highlights stay while their event stays selected (and drawn the same): a rerun re-making
  // them would close the popup a click on a selected event has just opened.
  const keep = new Map();
  st.highlight.eachLayer((hl) => {
    const m = st.markers.get(hl.scmId);
    if (selected.includes(hl.scmId) && m && m.scmEvent === hl.scmEvent) keep.set(hl.scmId, hl);
    else st.highlight.removeLayer(hl);
  });
  for (const id of selected) {
    const m = st.markers.get(id);
    if (!m || keep.has(id)) continue;
    const ev = m.scmEvent;
    const hl = L.marker([ev.lat, ev.lon], { icon: eventIcon(L, ev.style, true), pane: "scm-selected", keyboard: false });
    hl.bindTooltip(textTooltip(ev.tooltip), { direction: "top" });
    hl.bindPopup(popupFor(L, ev.popup));
    hl.on("click", (e) => onMarkerClick(st, id, e));
    hl.scmId = id;
    hl.scmEvent = ev;
    hl.addTo(st.highlight);
  }
  st.root.setAttribute("data-selected", selected.join(" "));
  // Popups of events that are not selected close.
  const open = st.map._popup;
  if (open && open.isOpen() && !(open._source && selected.includes(open._source.scmId || (open._source.scmEvent || {}).id))) {
    st.map.closePopup();
  }
  if (focus && focus.seq !== st.focusSeq) {
    st.focusSeq = focus.seq;
    // Bring the focus into view without zooming out: pan only when it is off screen or under a
    // control. A box of several events (focus.any): only when none of them is in view, then to
    // the one nearest the centre.
    const size = st.map.getSize();
    const ins = clearInsets(st.map);
    const inView = (p) => p.x >= ins.left && p.y >= ins.top && p.x <= size.x - ins.right && p.y <= size.y - ins.bottom;
    const centre = size.divideBy(2);
    const placed = (focus.any || [focus.id]).map((id) => st.markers.get(id)).filter(Boolean)
      .map((marker) => ({ ll: marker.getLatLng(), p: st.map.latLngToContainerPoint(marker.getLatLng()) }));
    if (placed.length && !placed.some((x) => inView(x.p))) {
      const nearest = placed.reduce((a, b) => (a.p.distanceTo(centre) <= b.p.distanceTo(centre) ? a : b));
      st.map.panTo(nearest.ll, { animate: false });
    }
    if (st.markers.get(focus.id)) {
      // and its open popup wholly, clear of the controls (centring it may have pushed it off the top)
      const popup = st.map._popup;
      const source = popup && popup.isOpen() && popup._source;
      if (source && (source.scmId || (source.scmEvent || {}).id) === focus.id) popup.update();
    }
  }
}

// Other people's events (imported datasets, uploads): squares in their own layers, with a
// dashed ring where the dataset gives the place only roughly; or grid cells with counts.
function setOthers(st, layers) {
  const L = st.L;
  const key = JSON.stringify(layers.map((l) => [l.id, l.kind, (l.events || l.cells || []).length,
    (l.events || []).map((e) => e.id).join(","), (l.cells || []).map((c) => c.count).join(",")]));
  if (key === st.othersKey) return;
  st.othersKey = key;
  if (st.others) st.map.removeLayer(st.others);
  st.others = L.layerGroup().addTo(st.map);
  st.othersCount = 0;
  for (const layer of layers) {
    if (layer.kind === "cells") {
      const max = Math.max(1, ...layer.cells.map((c) => c.count));
      for (const c of layer.cells) {
        const m = L.circleMarker([c.lat, c.lon], {
          radius: 6 + 16 * Math.sqrt(c.count / max), color: "#333", weight: 1, fillColor: "#777", fillOpacity: 0.45,
        });
        m.bindTooltip(textTooltip(`${c.count.toLocaleString()} ${layer.name} events in this cell`));
        m.addTo(st.others);
        st.othersCount += c.count;
      }
      continue;
    }
    const cluster = clusterGroup(st);
    for (const ev of layer.events) {
      if (ev.ring_km > 0) {
        L.circle([ev.lat, ev.lon], { radius: ev.ring_km * 1000, color: ev.style.color, weight: 1, dashArray: "4 4",
          fill: false, interactive: false }).addTo(st.others);
      }
      const m = L.marker([ev.lat, ev.lon], { icon: eventIcon(L, ev.style, false), title: "" });
      m.bindTooltip(textTooltip(ev.tooltip), { direction: "top" });
      m.bindPopup(popupFor(L, ev.popup)); // escaped by Python (Jinja2)
      m.scmOther = ev.id;
      cluster.addLayer(m);
    }
    cluster.addTo(st.others);
    st.othersCount += layer.events.length;
  }
  st.root.setAttribute("data-others", String(st.othersCount));
}

function updateOffView(st) {
  const el = st.root.querySelector(".scm-offview");
  if (!el || !st.events) return;
  const bounds = st.map.getBounds();
  const off = st.events.filter((e) => !bounds.contains([e.lat, e.lon])).length;
  el.textContent = off ? `${off} of ${st.events.length} shown events are outside this view` : "";
}

function setLegend(st, html, compact) {
  if (html === st.legendHtml) return;
  st.legendHtml = html;
  const div = st.legend.getContainer();
  div.innerHTML = html; // rendered by Python with Jinja2 autoescape
  const details = div.querySelector("details");
  // Open only where it leaves the events in view (a wide, tall map), unless the user chose.
  const size = st.map.getSize();
  if (details) {
    details.open = st.legendOpen ?? !(compact || size.x < 800 || size.y < 500);
    details.addEventListener("toggle", () => { st.legendOpen = details.open; });
  }
}

export default async function render({ data, parentElement, setStateValue, setTriggerValue }) {
  const L = await ensureLeaflet(data.assets);
  // The layers come as JSON text (the server serializes them once per process), parsed once per tab.
  if (data.base.json && !TAB.bases.has(data.base.hash)) TAB.bases.set(data.base.hash, JSON.parse(data.base.json));
  let st = TAB.maps.get(parentElement);
  if (st && st.baseHash !== data.base.hash && TAB.bases.has(data.base.hash)) {
    st.map.remove();
    st.root.remove();
    TAB.maps.delete(parentElement);
    st = null;
  }
  if (!st) {
    if (!TAB.bases.has(data.base.hash)) {
      // This tab has not seen the base layers yet (a reload keeps the session): ask for them.
      setStateValue("need_base", data.base.hash);
      return undefined;
    }
    st = mount(L, parentElement, data, setStateValue, setTriggerValue);
    TAB.maps.set(parentElement, st);
  }
  st.setStateValue = setStateValue;
  st.setTriggerValue = setTriggerValue;
  if (data.view && data.view.seq !== st.viewSeq) {
    st.viewSeq = data.view.seq;
    applyView(st, data.view);
  }
  setEvents(st, data.events);
  setOthers(st, data.others || []);
  setLegend(st, data.legend, data.compact);
  setSelection(st, data.selected || [], data.focus);
  report(st);
  return () => {
    TAB.maps.delete(parentElement);
    st.map.remove();
    st.root.remove();
  };
}
