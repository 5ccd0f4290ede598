// The explorer: vanilla JS and SVG, reading window.DPRK_DATA (data.js) and window.DPRK_BASEMAP
// (basemap.js), both written beside this file by `dprk-data site`. It loads nothing else.
"use strict";
(function () {
  const D = window.DPRK_DATA;
  // the data file names each column once (site.py, packed): back to one object per row
  const unpack = (t) => t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c, row[i]])));
  for (const table of Object.keys(D.events)) D.events[table] = unpack(D.events[table]);
  D.sources = Object.fromEntries(unpack(D.sources).map(({ source_id, ...s }) => [source_id, s]));
  const B = window.DPRK_BASEMAP;
  const SVGNS = "http://www.w3.org/2000/svg"; // a namespace name, not a request
  const KINDS = { launch: "launches", meeting: "meetings", transfer: "transfers",
    nuclear_test: "nuclear_tests" };
  const KIND_OF = Object.fromEntries(Object.entries(KINDS).map(([k, t]) => [t, k]));
  const KEYS = { launches: "launch_id", meetings: "meeting_id", transfers: "transfer_id",
    nuclear_tests: "nuclear_test_id" };
  const LABELS = { launches: "Launches", meetings: "Meetings", transfers: "Transfers",
    nuclear_tests: "Nuclear tests" };
  const DATES = { launches: "launch_date", meetings: "start_date", transfers: "reported_date",
    nuclear_tests: "test_date" };
  const NONE = "__none__"; // filter value for "not known"
  const main = document.getElementById("main");
  const SINGULAR = { launches: "Launch", meetings: "Meeting", transfers: "Transfer",
    nuclear_tests: "Nuclear test" };
  const form = document.getElementById("filters");

  // ---- small DOM helpers (text is always set as text, never parsed as HTML) ----
  function attrs(node, spec) {
    for (const [key, value] of Object.entries(spec || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "on") {
        for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
      } else node.setAttribute(key, value === true ? "" : String(value));
    }
  }
  function add(node, kids) {
    for (const kid of kids.flat(3)) {
      if (kid === null || kid === undefined || kid === false) continue;
      node.append(kid instanceof Node ? kid : String(kid));
    }
    return node;
  }
  const el = (tag, spec, ...kids) => {
    const node = document.createElement(tag);
    attrs(node, spec);
    return add(node, kids);
  };
  const sv = (tag, spec, ...kids) => {
    const node = document.createElementNS(SVGNS, tag);
    attrs(node, spec);
    return add(node, kids);
  };
  const put = (...kids) => add(main, kids);
  const unknown = (text) => el("span", { class: "unknown" }, text || "unknown");
  const blank = (v) => v === null || v === undefined || v === "";
  const fmt = (v) => (blank(v) ? unknown() : typeof v === "boolean" ? (v ? "yes" : "no") : String(v));
  const year = (iso) => Number(String(iso).slice(0, 4));
  const plural = (n, one, many) => `${n.toLocaleString("en")} ${n === 1 ? one : many || one + "s"}`;

  // ---- indexes ----
  const byId = {};
  for (const [table, key] of Object.entries(KEYS)) {
    byId[table] = new Map(D.events[table].map((r) => [r[key], r]));
  }
  const sites = new Map(D.sites.map((s) => [s.site_id, s]));
  const located = (s) => s && s.latitude !== null && s.longitude !== null;
  const siteName = (id) => (blank(id) ? unknown() : (sites.get(id) || {}).name || id);
  const systemName = (id) => {
    if (blank(id)) return unknown("unknown (not identified)");
    const s = D.systems[id];
    return s ? s.dprk_name + (s.foreign_designations ? ` (${s.foreign_designations})` : "") : id;
  };
  const actorName = (id) => (blank(id) ? unknown() : D.actors[id] || id);
  const colour = (cls) => D.colours[cls] || "#333";
  const eventLink = (table, id) => el("a", { href: `#${KIND_OF[table]}/${encodeURIComponent(id)}` }, id);

  // the period an entry of the coverage declaration claims complete, or null where it claims none
  const claimed = (c) => (c.complete_from ? `${c.complete_from} to ${c.complete_to}` : null);

  function coverageNote(tables) {
    const items = D.coverage.filter((c) => tables.includes(c.table));
    return el("div", { class: "coverage", role: "note" },
      el("strong", {}, "Coverage. "),
      "Counts are complete only within these periods; outside them they are what was found, not a total.",
      el("ul", {}, items.map((c) => el("li", {},
        `${c.table} (${c.scope}): ${claimed(c) ? `complete ${claimed(c)}` : "no period claimed complete"}; ${c.note}.`))));
  }

  // ---- launch filters (year range, class, system, site), shared by map, timeline, table ----
  const launchYears = D.events.launches.map((l) => year(l.launch_date));
  const minYear = Math.min(...launchYears);
  const maxYear = Math.max(...launchYears);
  const state = { from: minYear, to: maxYear, cls: "", system: "", site: "" };
  const input = (id) => document.getElementById(id);

  function options(select, entries) {
    select.replaceChildren(el("option", { value: "" }, "any"),
      ...entries.map(([value, text]) => el("option", { value }, text)));
  }
  function setUpFilters() {
    for (const id of ["year-from", "year-to"]) {
      attrs(input(id), { min: minYear, max: maxYear });
    }
    input("year-from").value = minYear;
    input("year-to").value = maxYear;
    const used = (column) => new Set(D.events.launches.map((l) => l[column]));
    options(input("filter-class"), D.classes.filter((c) => used("missile_class").has(c)).map((c) => [c, c]));
    const systems = [...used("system_id")].filter((s) => !blank(s))
      .map((s) => [s, systemName(s)]).sort((a, b) => a[1].localeCompare(b[1]));
    options(input("filter-system"), [[NONE, "not identified"], ...systems]);
    const siteIds = [...used("site_id")].filter((s) => !blank(s))
      .map((s) => [s, sites.get(s).name]).sort((a, b) => a[1].localeCompare(b[1]));
    options(input("filter-site"), [[NONE, "unknown site"], ...siteIds]);
    form.addEventListener("input", readFilters);
    form.addEventListener("change", readFilters);
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("reset", (e) => {
      e.preventDefault();
      input("year-from").value = minYear;
      input("year-to").value = maxYear;
      for (const id of ["filter-class", "filter-system", "filter-site"]) input(id).value = "";
      readFilters();
    });
  }
  function readFilters() {
    const from = Number(input("year-from").value) || minYear;
    const to = Number(input("year-to").value) || maxYear;
    const next = { from: Math.min(from, to), to: Math.max(from, to),
      cls: input("filter-class").value, system: input("filter-system").value,
      site: input("filter-site").value };
    // "change" follows "input" when a field loses focus: redraw only when something changed,
    // so the element that takes the focus is not replaced under the user
    if (Object.keys(next).every((k) => next[k] === state[k])) return;
    Object.assign(state, next);
    route(false);
  }
  const matches = (wanted, value) => !wanted || (wanted === NONE ? blank(value) : value === wanted);
  function filteredLaunches() {
    return D.events.launches.filter((l) => {
      const y = year(l.launch_date);
      return y >= state.from && y <= state.to && matches(state.cls, l.missile_class) &&
        matches(state.system, l.system_id) && matches(state.site, l.site_id);
    });
  }
  function filterSummary(shown) {
    input("filter-count").value =
      `${plural(shown, "launch salvo")} of ${D.events.launches.length} match (${state.from}–${state.to})`;
  }

  // ---- map ----
  // the view: the peninsula, the coasts of China and Russia, Japan's west coast and the seas
  // (the basemap is clipped a little wider, to B.bbox)
  const [WEST, SOUTH, EAST, NORTH] = [121, 33.5, 133, 43.5];
  const SHRINK = Math.cos(((SOUTH + NORTH) / 2) * Math.PI / 180); // equirectangular, true at mid-latitude
  const PX = 64; // SVG units per degree of latitude
  const MAP_W = (EAST - WEST) * SHRINK * PX;
  const MAP_H = (NORTH - SOUTH) * PX;
  const project = (lon, lat) => [(lon - WEST) * SHRINK * PX, (NORTH - lat) * PX];
  const radius = (n) => 3 + 2.2 * Math.sqrt(n);

  function ringPath(ring) {
    return ring.map(([lon, lat], i) => {
      const [x, y] = project(lon, lat);
      return `${i ? "L" : "M"}${x.toFixed(1)} ${y.toFixed(1)}`;
    }).join("") + "Z";
  }
  function basemapLayer() {
    const layer = sv("g", { class: "basemap", "aria-hidden": "true" },
      sv("rect", { class: "sea", x: 0, y: 0, width: MAP_W, height: MAP_H }));
    for (const feature of B.features) {
      const d = feature.geometry.coordinates.map((polygon) => polygon.map(ringPath).join("")).join("");
      const prk = feature.properties.name === "North Korea" ? " prk" : "";
      layer.append(sv("path", { class: "land" + prk, d, "fill-rule": "evenodd",
        "data-name": feature.properties.name }));
    }
    for (let lon = Math.ceil(WEST / 2) * 2; lon <= EAST; lon += 2) {
      const [x] = project(lon, NORTH);
      layer.append(sv("line", { class: "graticule", x1: x, x2: x, y1: 0, y2: MAP_H }),
        sv("text", { class: "axis-label", x: x + 2, y: MAP_H - 4 }, `${lon}°E`));
    }
    for (let lat = Math.ceil(SOUTH / 2) * 2; lat <= NORTH; lat += 2) {
      const [, y] = project(WEST, lat);
      layer.append(sv("line", { class: "graticule", x1: 0, x2: MAP_W, y1: y, y2: y }),
        sv("text", { class: "axis-label", x: 3, y: y - 2 }, `${lat}°N`));
    }
    return layer;
  }
  function siteGroups(launches) {
    const groups = new Map();
    for (const l of launches) {
      const key = blank(l.site_id) ? NONE : l.site_id;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(l);
    }
    return groups;
  }
  function classCounts(launches) {
    const counts = {};
    for (const l of launches) counts[l.missile_class] = (counts[l.missile_class] || 0) + 1;
    return Object.entries(counts).sort((a, b) => b[1] - a[1]);
  }
  const classText = (launches) => classCounts(launches).map(([c, n]) => `${c} ${n}`).join(", ");

  function renderMap() {
    const launches = filteredLaunches();
    filterSummary(launches.length);
    const groups = siteGroups(launches);
    const onMap = [...groups].filter(([id]) => located(sites.get(id)))
      .sort((a, b) => b[1].length - a[1].length);
    const offMap = [...groups].filter(([id]) => !located(sites.get(id)));
    const mapped = onMap.reduce((n, [, ls]) => n + ls.length, 0);
    const caption = `Map of the Korean peninsula with ${plural(onMap.length, "launch site")} ` +
      `holding ${plural(mapped, "launch salvo")} of the ${launches.length} that match the filters ` +
      `(${state.from}–${state.to}); ${launches.length - mapped} are from an unknown site or a site ` +
      "without coordinates and are listed beside the map. Circle area grows with the launches; " +
      "colour is the site's most frequent missile class.";
    const svg = sv("svg", { viewBox: `0 0 ${MAP_W.toFixed(0)} ${MAP_H.toFixed(0)}`, role: "group",
      "aria-label": caption, id: "map-svg" }, basemapLayer());
    const circles = sv("g", { class: "sites" });
    const labels = sv("g", { class: "labels", "aria-hidden": "true" });
    const placed = [];
    for (const [id, ls] of onMap) {
      const site = sites.get(id);
      const [x, y] = project(site.longitude, site.latitude);
      const r = radius(ls.length);
      const label = `${site.name}: ${plural(ls.length, "launch salvo")} (${classText(ls)}); ` +
        `location precision: ${site.coordinate_precision || "unknown"}`;
      const circle = sv("circle", { class: "site", cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1),
        fill: colour(classCounts(ls)[0][0]), tabindex: 0, role: "button", "aria-label": label,
        "data-site": id, on: { click: () => selectSite(id),
          keydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectSite(id); } } } },
      sv("title", {}, label));
      circles.append(circle);
      placeLabel(labels, placed, `${site.name.split(" (")[0]} (${ls.length})`, x + r + 2, y + 4);
    }
    svg.append(circles, labels);
    const legend = el("ul", { class: "legend", "aria-label": "Legend: missile class" },
      classCounts(launches).map(([c]) => el("li", {}, el("span", { class: "swatch", style: `background:${colour(c)}` }), c)));
    const panel = el("div", { class: "panel", id: "site-panel", "aria-live": "polite" },
      el("p", {}, "Select a site (click it, or Tab to it and press Enter or Space) to list its launches."),
      offMapList(offMap));
    put(el("h2", {}, "Launch sites"), coverageNote(["launches"]),
      el("div", { class: "layout" },
        el("figure", {}, svg, legend, el("figcaption", {}, caption, " Basemap: Natural Earth 1:10m (public domain).")),
        panel),
      mapTable(onMap, offMap));
  }
  function placeLabel(layer, placed, text, x, y) {
    if (placed.length >= 14) return;
    const box = { x, y: y - 10, w: text.length * 6.1, h: 13 };
    if (box.x + box.w > MAP_W) { box.x = x - box.w - 8 - (x - box.x); }
    const hit = placed.some((p) => box.x < p.x + p.w && p.x < box.x + box.w && box.y < p.y + p.h && p.y < box.y + box.h);
    if (hit) return;
    placed.push(box);
    layer.append(sv("text", { class: "site-label", x: box.x.toFixed(1), y: (box.y + 10).toFixed(1) }, text));
  }
  function offMapList(offMap) {
    if (!offMap.length) return null;
    return el("div", {}, el("h3", {}, "Not on the map"),
      el("ul", {}, offMap.map(([id, ls]) => el("li", {},
        id === NONE ? "unknown site" : `${sites.get(id).name} (no coordinates)`, `: ${plural(ls.length, "launch salvo")} — `,
        ls.slice(0, 40).map((l, i) => [i ? ", " : "", eventLink("launches", l.launch_id)]),
        ls.length > 40 ? " …" : ""))));
  }
  function selectSite(id) {
    const site = sites.get(id);
    const ls = filteredLaunches().filter((l) => l.site_id === id)
      .sort((a, b) => a.launch_date.localeCompare(b.launch_date));
    for (const c of document.querySelectorAll(".site")) c.classList.toggle("selected", c.dataset.site === id);
    document.getElementById("site-panel").replaceChildren(
      el("h3", {}, site.name),
      el("p", {}, `${site.province || "province unknown"}; location precision: ${site.coordinate_precision || "unknown"}; `,
        `${site.latitude}°N ${site.longitude}°E. ${plural(ls.length, "launch salvo")} match the filters.`),
      site.notes ? el("p", {}, site.notes) : null,
      el("ul", {}, ls.map((l) => el("li", {}, eventLink("launches", l.launch_id), ": ",
        `${l.missile_class}, ${l.missiles} missile(s), system `, systemName(l.system_id)))));
  }
  function mapTable(onMap, offMap) {
    const rows = [...onMap, ...offMap].map(([id, ls]) => {
      const site = sites.get(id);
      return el("tr", {}, el("td", {}, id === NONE ? unknown("unknown site") : site.name),
        el("td", {}, site ? fmt(site.province) : unknown()),
        el("td", {}, String(ls.length)), el("td", {}, classText(ls)),
        el("td", {}, located(site) ? `${site.latitude}, ${site.longitude} (${site.coordinate_precision || "precision unknown"})` : unknown("no coordinates")));
    });
    return el("details", {}, el("summary", {}, "The map as a table"),
      el("table", {}, el("thead", {}, el("tr", {}, ["Site", "Province", "Launch salvos", "By class", "Coordinates"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, rows)));
  }

  // ---- timeline ----
  const russian = {
    meetings: () => D.events.meetings.filter((m) => m.counterpart === "RUS"),
    transfers: () => D.events.transfers.filter((t) => t.supplier_id === "rus" || t.recipient_id === "rus"),
  };
  const transferDate = (t) => t.period_start || t.reported_date;

  function renderTimeline() {
    const launches = filteredLaunches();
    filterSummary(launches.length);
    const inRange = (iso) => !blank(iso) && year(iso) >= state.from && year(iso) <= state.to;
    const meetings = russian.meetings().filter((m) => inRange(m.start_date));
    const transfers = russian.transfers().filter((t) => inRange(transferDate(t)));
    const W = 1100, LEFT = 40, RIGHT = 10, TOP = 10, BARS = 170, LANE = 26;
    const H = TOP + BARS + 2 * LANE + 30;
    const start = Date.UTC(state.from, 0, 1), end = Date.UTC(state.to + 1, 0, 1);
    const x = (iso) => LEFT + ((Date.parse(iso) - start) / (end - start)) * (W - LEFT - RIGHT);
    const months = new Map();
    for (const l of launches) {
      const month = l.launch_date.slice(0, 7);
      if (!months.has(month)) months.set(month, []);
      months.get(month).push(l);
    }
    const tallest = Math.max(1, ...[...months.values()].map((m) => m.length));
    const unit = Math.min(14, BARS / tallest);
    const monthWidth = Math.max(1.5, (W - LEFT - RIGHT) / ((state.to - state.from + 1) * 12) - 0.5);
    const caption = `Launch salvos per month by missile class, ${state.from}–${state.to}: ` +
      `${plural(launches.length, "salvo")} matching the filters; ${plural(meetings.length, "DPRK–Russia meeting")} ` +
      `(red lines) and ${plural(transfers.length, "DPRK–Russia transfer")} (purple marks, at the start ` +
      "of the transfer's period, else the date it was reported; hollow: reported only as planned). " +
      "The busiest month has " +
      `${plural(tallest, "salvo")}.`;
    const svg = sv("svg", { viewBox: `0 0 ${W} ${H}`, role: "group", "aria-label": caption, id: "timeline-svg" });
    const axisY = TOP + BARS;
    for (const m of meetings) {
      const mx = x(m.start_date);
      svg.append(sv("line", { class: "meeting-mark", x1: mx, x2: mx, y1: TOP, y2: axisY + LANE, opacity: 0.5 }));
    }
    for (const [month, ls] of [...months].sort()) {
      const g = sv("g", { class: "month" });
      ls.sort((a, b) => D.classes.indexOf(a.missile_class) - D.classes.indexOf(b.missile_class));
      ls.forEach((l, i) => g.append(sv("rect", { x: x(`${month}-01`).toFixed(1), y: (axisY - (i + 1) * unit).toFixed(1),
        width: monthWidth.toFixed(1), height: Math.max(0.5, unit - 0.4).toFixed(1), fill: colour(l.missile_class) },
      sv("title", {}, `${l.launch_date}: ${l.missile_class}, ${l.missiles} missile(s)`))));
      svg.append(g);
    }
    svg.append(sv("line", { x1: LEFT, x2: W - RIGHT, y1: axisY, y2: axisY, stroke: "#555" }));
    const step = state.to - state.from > 20 ? 5 : state.to - state.from > 8 ? 2 : 1;
    for (let y = state.from; y <= state.to + 1; y++) {
      if ((y - state.from) % step) continue;
      const tx = x(`${y}-01-01`);
      svg.append(sv("line", { x1: tx, x2: tx, y1: axisY, y2: axisY + 4, stroke: "#555" }),
        sv("text", { class: "axis-label", x: tx + 2, y: H - 4 }, String(y)));
    }
    svg.append(sv("text", { class: "axis-label", x: 2, y: axisY + LANE - 8 }, "meetings"),
      sv("text", { class: "axis-label", x: 2, y: axisY + 2 * LANE - 8 }, "transfers"));
    for (const m of meetings) {
      svg.append(sv("a", { href: `#meeting/${encodeURIComponent(m.meeting_id)}` },
        sv("circle", { cx: x(m.start_date), cy: axisY + LANE - 12, r: 4, fill: "#c62828" },
          sv("title", {}, `Meeting ${m.start_date}: ${m.city || "city unknown"} (${m.level})`))));
    }
    for (const t of transfers) {
      const tx = x(transferDate(t));
      svg.append(sv("a", { href: `#transfer/${encodeURIComponent(t.transfer_id)}` },
        sv("rect", { class: t.status === D.planned_status ? "transfer-mark planned" : "transfer-mark", x: tx - 3.5, y: axisY + 2 * LANE - 16, width: 7, height: 7,
          transform: `rotate(45 ${tx} ${axisY + 2 * LANE - 12.5})` },
        sv("title", {}, `Transfer ${t.transfer_id}: ${t.item_category}, ${t.status}`))));
    }
    const legend = el("ul", { class: "legend" },
      classCounts(launches).map(([c]) => el("li", {}, el("span", { class: "swatch", style: `background:${colour(c)}` }), c)),
      el("li", {}, el("span", { class: "swatch line" }), "DPRK–Russia meeting"),
      el("li", {}, el("span", { class: "swatch", style: "background:#6a3d9a;border-radius:0" }), "DPRK–Russia transfer"));
    put(el("h2", {}, "Timeline"), coverageNote(["launches", "meetings", "transfers"]),
      el("figure", {}, svg, legend, el("figcaption", {}, caption)),
      timelineTable(launches, meetings, transfers));
  }
  function timelineTable(launches, meetings, transfers) {
    const rows = [];
    for (let y = state.from; y <= state.to; y++) {
      const ls = launches.filter((l) => year(l.launch_date) === y);
      const ms = meetings.filter((m) => year(m.start_date) === y);
      const ts = transfers.filter((t) => year(transferDate(t)) === y);
      rows.push(el("tr", {}, el("th", { scope: "row" }, String(y)), el("td", {}, String(ls.length)),
        el("td", {}, classText(ls)),
        el("td", {}, ms.map((m, i) => [i ? ", " : "", eventLink("meetings", m.meeting_id)])),
        el("td", {}, ts.map((t, i) => [i ? ", " : "", eventLink("transfers", t.transfer_id),
          t.status === D.planned_status ? " (planned)" : ""]))));
    }
    return el("details", {}, el("summary", {}, "The timeline as a table (per year)"),
      el("table", {}, el("thead", {}, el("tr", {}, ["Year", "Launch salvos", "By class", "DPRK–Russia meetings", "DPRK–Russia transfers"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, rows)));
  }

  // ---- tables ----
  const yesNo = (v) => fmt(v);
  const COLUMNS = {
    launches: [["launch_date", "Date"], ["launch_time", "Time (KST)"], ["site_id", "Site", siteName],
      ["system_id", "System", systemName], ["missile_class", "Class"],
      ["missiles", "Missiles", null, (r) => r.missiles_min], ["outcome", "Outcome"], ["ballistic", "Ballistic", yesNo]],
    meetings: [["start_date", "Start"], ["end_date", "End"], ["city", "City"], ["country", "Country"],
      ["counterpart", "Counterpart"], ["level", "Level"]],
    transfers: [["reported_date", "Reported"], ["supplier_id", "Supplier", actorName],
      ["recipient_id", "Recipient", actorName], ["item_category", "Category"],
      ["quantity", "Quantity", (v, r) => (v === "unknown" ? unknown() : `${v} ${r.quantity_unit || ""}`), (r) => r.quantity_min],
      ["evidence_type", "Evidence"], ["status", "Status"]],
    nuclear_tests: [["test_date", "Date"], ["test_time", "Time (KST)"], ["site_id", "Site", siteName],
      ["dprk_claim", "DPRK claim"]],
  };
  const sorting = {};
  const searches = {};
  const text = (node) => (node instanceof Node ? node.textContent : String(node));

  function renderTable(table) {
    const columns = COLUMNS[table];
    const sort = sorting[table] || (sorting[table] = { column: DATES[table], dir: -1 });
    const search = el("input", { type: "search", id: "table-search", value: searches[table] || "",
      "aria-describedby": "table-count" });
    const count = el("output", { id: "table-count", "aria-live": "polite" });
    const tbody = el("tbody");
    const head = el("tr", {}, el("th", { scope: "col" }, "Record"), columns.map(([column, label]) =>
      el("th", { scope: "col", "aria-sort": sort.column === column ? (sort.dir > 0 ? "ascending" : "descending") : "none" },
        el("button", { type: "button", on: { click: () => {
          sort.dir = sort.column === column ? -sort.dir : 1;
          sort.column = column;
          route(false);
        } } }, label))));
    function fill() {
      searches[table] = search.value;
      const rows = rowsOf(table, search.value, sort);
      tbody.replaceChildren(...rows.map((r) => el("tr", {}, el("td", {}, eventLink(table, r[KEYS[table]])),
        columns.map(([column, , show]) => el("td", {}, show ? show(r[column], r) : fmt(r[column]))))));
      const all = D.events[table].length;
      count.value = `Showing ${rows.length} of ${plural(all, SINGULAR[table].toLowerCase(), LABELS[table].toLowerCase())}` +
        (table === "launches" ? " (launch filters above apply)" : "");
      if (table === "launches") filterSummary(rowsOf(table, "", sort).length);
    }
    search.addEventListener("input", fill);
    put(el("h2", {}, LABELS[table]), coverageNote([table]),
      el("p", {}, el("label", { for: "table-search" }, "Search any field (notes included): "), search, " ", count),
      el("table", { id: "events-table" }, el("caption", {}, `${LABELS[table]}; select a column heading to sort, a record to see its page`),
        el("thead", {}, head), tbody));
    fill();
  }
  function rowsOf(table, query, sort) {
    let rows = table === "launches" ? filteredLaunches() : D.events[table].slice();
    const q = query.trim().toLowerCase();
    if (q) rows = rows.filter((r) => searchText(table, r).includes(q));
    const spec = COLUMNS[table].find(([c]) => c === sort.column);
    const key = spec && spec[3] ? spec[3] : (r) => r[sort.column];
    return rows.sort((a, b) => {
      const va = key(a), vb = key(b);
      if (blank(va) || blank(vb)) return blank(va) - blank(vb); // unknown last, either way
      return (va < vb ? -1 : va > vb ? 1 : 0) * sort.dir;
    });
  }
  function searchText(table, r) {
    const names = COLUMNS[table].filter(([, , show]) => show).map(([c, , show]) => text(show(r[c], r)));
    return (Object.values(r).join(" ") + " " + names.join(" ")).toLowerCase();
  }

  // ---- one page per event ----
  const DERIVED = new Set(["missiles", "quantity"]);
  const FIELD_SHOW = { site_id: siteName, system_id: systemName, supplier_id: actorName, recipient_id: actorName };

  function renderEvent(kind, id) {
    const table = KINDS[kind];
    const record = byId[table].get(id);
    if (!record) {
      put(el("h2", {}, "Not found"), el("p", {}, `No ${kind.replace("_", " ")} ${id} in this version. `,
        el("a", { href: `#table/${table}` }, `All ${LABELS[table].toLowerCase()}`)));
      return;
    }
    const fields = el("dl", { class: "fields" }, Object.entries(record).filter(([k]) => !DERIVED.has(k)).map(([k, v]) =>
      [el("dt", {}, k), el("dd", {}, FIELD_SHOW[k] && !blank(v) ? [FIELD_SHOW[k](v), ` (${v})`] : fmt(v))]));
    put(el("h2", {}, `${SINGULAR[table]} ${id}`),
      el("p", {}, el("a", { href: `#table/${table}` }, `← all ${LABELS[table].toLowerCase()}`)),
      el("section", { "aria-labelledby": "h-fields" }, el("h3", { id: "h-fields" }, "Every field"), fields),
      el("section", { "aria-labelledby": "h-uncertain" }, el("h3", { id: "h-uncertain" }, "Uncertainty and disagreements"),
        uncertainty(table, record)),
      participants(table, id),
      el("section", { "aria-labelledby": "h-citations", id: "citations" }, el("h3", { id: "h-citations" }, "Citations"),
        citationList(table, id)),
      el("section", { "aria-labelledby": "h-breaches" }, el("h3", { id: "h-breaches" }, "UN provisions breached"),
        breachList(table, record)));
  }
  function uncertainty(table, r) {
    const items = [];
    if (table === "launches") {
      items.push(["Missiles", `${r.missiles} — ` + (r.missiles_max === null ? "open-ended: the sources say at least this many" :
        r.missiles_min === r.missiles_max ? "no cited source gives another count" : `missiles_min ${r.missiles_min} to missiles_max ${r.missiles_max}: the fewest and most any cited source reports`)]);
      items.push(["Ballistic", r.ballistic === null ? unknown("unknown: the sources do not settle whether it was ballistic") : fmt(r.ballistic)]);
      items.push(["Class", r.missile_class === "unknown" ? unknown("unknown: no source read gives a class") : r.missile_class]);
      items.push(["Outcome", fmt(r.outcome)], ["DPRK claim", fmt(r.dprk_claim)], ["Reported by", fmt(r.reported_by)]);
    } else if (table === "transfers") {
      items.push(["Quantity", r.quantity === "unknown" ? unknown() : `${r.quantity} ${r.quantity_unit || ""}`],
        ["Status", fmt(r.status)], ["Denied by", fmt(r.denied_by)], ["Evidence", fmt(r.evidence_type)],
        ["Period", [fmt(r.period_start), " to ", fmt(r.period_end)]]);
    } else if (table === "meetings") {
      items.push(["Dates", [fmt(r.start_date), " to ", r.end_date ? r.end_date : unknown("end date unknown")]], ["Outcome", fmt(r.outcome)]);
    } else {
      items.push(["DPRK claim", fmt(r.dprk_claim)]);
    }
    items.push(["Notes (dates, counts and who says what)", fmt(r.notes)]);
    const list = el("dl", { class: "fields" }, items.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    return table === "nuclear_tests" ? [list, estimates(r.nuclear_test_id)] : list;
  }
  function estimates(id) {
    const rows = D.estimates[id] || [];
    if (!rows.length) return el("p", {}, "No magnitude or yield estimates recorded.");
    const range = (e) => (e.value_max === null ? `at least ${e.value_min}` : e.value_min === e.value_max ? String(e.value_min) : `${e.value_min}–${e.value_max}`);
    return el("table", {}, el("caption", {}, "Estimates by agency (each as its source gives it)"),
      el("thead", {}, el("tr", {}, ["Estimator", "Quantity", "Value", "Source", "Locator"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map((e) => el("tr", {}, el("td", {}, e.estimator), el("td", {}, e.quantity),
        el("td", {}, range(e)), el("td", {}, sourceLink(e.source_id)), el("td", {}, fmt(e.locator))))));
  }
  function participants(table, id) {
    if (table !== "meetings") return null;
    const rows = D.participants[id] || [];
    return el("section", {}, el("h3", {}, "Participants"),
      rows.length ? el("ul", {}, rows.map((p) => el("li", {}, actorName(p.actor_id), ` (${p.side}), `, fmt(p.role_at_time)))) : el("p", {}, unknown("none recorded")));
  }
  function sourceLink(sourceId) {
    const s = D.sources[sourceId];
    if (!s) return sourceId;
    // date: the label site.py makes (the date, "..., from its web address", "..., its dateline
    // showing no year" or "undated")
    return [el("a", { href: s.url, rel: "noopener noreferrer", dir: "auto" }, `${s.publisher}: ${s.title}`), ` (${s.date})`];
  }
  function citationList(table, id) {
    const cited = D.citations[table][id] || [];
    return el("ol", { class: "citations" }, cited.map(([sourceId, locator, supports]) => {
      const s = D.sources[sourceId] || {};
      return el("li", { "data-source": sourceId }, sourceLink(sourceId),
        el("br"), `Copy: ${s.copy_kind || "unknown"}${s.originator ? `, text by ${s.originator}` : ""}. Locator: `, fmt(locator), ".",
        el("br"), el("span", { class: "supports" }, "Supports: ",
          supports.length ? supports.map((f, i) => [i ? " " : "", el("code", {}, f)]) : unknown("no field listed")));
    }));
  }
  function breachList(table, record) {
    if (!D.breaches[table]) return el("p", {}, "The package does not match meetings to UN provisions.");
    const ids = D.breaches[table][record[KEYS[table]]] || [];
    const how = "Derived by the package's breach views from the provisions table: each provision in force " +
      "on the event's date whose terms cover it.";
    if (!ids.length) {
      const why = table === "launches" && record.ballistic !== true
        ? " The views derive breaches for ballistic launches only, and this launch is recorded as " +
          (record.ballistic === false ? "not ballistic." : "of unknown type.")
        : "";
      return el("p", {}, "None derived. " + how + why);
    }
    return [el("p", {}, how), el("ul", {}, ids.map((pid) => {
      const p = D.provisions[pid] || {};
      return el("li", {}, el("strong", {}, p.resolution ? `UNSCR ${p.resolution}` : pid),
        p.paragraph ? ` ${p.paragraph}` : "", ` (adopted ${p.adopted_date || "date unknown"}; ${pid}): `, fmt(p.summary));
    }))];
  }

  // ---- about ----
  function renderAbout() {
    const rows = D.coverage.map((c) => el("tr", {}, el("td", {}, c.table), el("td", {}, String(D.events[c.table].length)),
      el("td", {}, c.scope), el("td", {}, claimed(c) || "none claimed"), el("td", {}, c.note)));
    put(el("h2", {}, "About and coverage"),
      el("p", {}, `Package version ${D.meta.version}, written ${D.meta.generated}. `,
        "Everything shown comes from the validated tables of the package; nothing is added."),
      el("table", {}, el("caption", {}, "What is complete"),
        el("thead", {}, el("tr", {}, ["Table", "Rows", "Scope", "Complete", "Note"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, rows)),
      el("p", {}, "GeoJSON (RFC 7946, longitude before latitude): launch-sites.geojson holds the sites that have " +
        "coordinates (sites without them are left out); launches.geojson holds every launch, at its site, " +
        "with a null geometry when the site is unknown or has no coordinates."));
  }

  // ---- routing ----
  function route(focus) {
    const hash = decodeURIComponent(location.hash.slice(1)) || "map";
    const [view, ...rest] = hash.split("/");
    const arg = rest.join("/");
    main.replaceChildren();
    form.hidden = !(view === "map" || view === "timeline" || (view === "table" && arg === "launches"));
    for (const a of document.querySelectorAll("nav a")) {
      if (a.getAttribute("href") === `#${hash}`) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    if (view === "map") renderMap();
    else if (view === "timeline") renderTimeline();
    else if (view === "table" && D.events[arg]) renderTable(arg);
    else if (KINDS[view]) renderEvent(view, arg);
    else if (view === "about") renderAbout();
    else put(el("h2", {}, "Not found"), el("p", {}, el("a", { href: "#map" }, "Back to the map")));
    const heading = main.querySelector("h2");
    document.title = `${heading ? heading.textContent + " — " : ""}DPRK events explorer`;
    if (focus) main.focus();
  }

  document.getElementById("title").textContent = D.meta.title;
  document.getElementById("meta").textContent = `Explorer of the data package version ${D.meta.version} ` +
    `(written ${D.meta.generated}): ${D.events.launches.length} launch salvos, ${D.events.meetings.length} meetings, ` +
    `${D.events.transfers.length} transfers, ${D.events.nuclear_tests.length} nuclear tests. Complete only for: ` +
    D.coverage.filter(claimed).map((c) => `${c.scope} ${claimed(c)}`).join("; ") + ". Works offline.";
  setUpFilters();
  window.addEventListener("hashchange", () => route(true));
  route(false);
  document.body.dataset.ready = "yes";
})();
