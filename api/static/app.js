/* The department collaboration network page.
 *
 * Reads /api/reports and /api/network (positions x, y are computed once by the server),
 * draws the network with sigma.js + graphology, and lists a department's tasks from
 * /api/departments/{id}/tasks. window.govkg exposes the drawn counts and the selection.
 */
(function () {
  "use strict";

  // Categorical palette (Tableau 10 + 2) for communities; larger ids cycle through it.
  const PALETTE = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#7f8c8d", "#1b9e77", "#d95f02",
  ];
  const FADED_NODE = "#e3e6ea";
  const EDGE_COLOR = "#ccd3dc";
  const EDGE_FOCUS = "#e58a98";
  const LABEL_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';
  const ROLE_NAMES = { lead: "牵头 Lead", assist: "配合 Assist", responsible: "责任 Responsible" };
  const BASIS_NAMES = { first_listed: "首位推定 first listed", explicit: "" };
  const CLOSEST = 10; // partners labelled around a focused department
  const LEGEND_GROUPS = 4; // communities named in the legend (the biggest)

  const $ = (id) => document.getElementById(id);

  const state = {
    network: { nodes: [], links: [] },
    reports: [],
    selected: null,
    hovered: null,
    matches: new Set(),
    role: "any",
    taskRequest: 0,
    networkRequest: 0,
    closest: new Map(),
    labelled: new Set(),
    focusLabelled: new Set(),
    clusterBoxes: [],
  };

  // Read by the browser test and handy in the console.
  const exposed = {
    ready: false,
    nodeCount: 0,
    edgeCount: 0,
    selected: null,
    matches: [],
    tasksLoaded: false,
    error: null,
    searchStatus: "",
    viewLoaded: null,
    uploadStatus: null,
    changeLoaded: false,
    sourceLoaded: null,
  };
  window.govkg = exposed;

  const graph = new graphology.Graph({ type: "undirected", multi: false });
  let renderer = null;

  // ---------- helpers ----------

  function communityColor(community) {
    if (community === null || community === undefined || community < 0) return "#9aa5b1";
    return PALETTE[community % PALETTE.length];
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  async function getJSON(url, options) {
    const response = await fetch(url, { headers: { Accept: "application/json" }, ...(options || {}) });
    if (!response.ok) {
      let detail = response.statusText;
      let body = {};
      try { body = await response.json(); detail = body.detail || detail; } catch (_) { /* not JSON */ }
      const error = new Error(`${response.status} ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
      error.status = response.status;
      error.body = body;
      throw error;
    }
    return response.json();
  }

  function showNotice(text, isError) {
    const notice = $("notice");
    notice.textContent = text || "";
    notice.hidden = !text;
    notice.classList.toggle("error", Boolean(isError));
  }

  function filterParams() {
    const params = new URLSearchParams();
    for (const [name, id] of [["report", "f-report"], ["year", "f-year"], ["jurisdiction", "f-jurisdiction"]]) {
      const value = $(id).value;
      if (value) params.set(name, value);
    }
    const minWeight = Math.max(1, parseInt($("f-min-weight").value, 10) || 1);
    params.set("min_weight", String(minWeight));
    return params;
  }

  // ---------- sizes ----------

  // Sizes are in pixels at the default zoom; big networks get smaller marks so they stay legible.
  function crowding(nodeCount) {
    return Math.min(1, Math.max(0.2, Math.sqrt(80 / Math.max(1, nodeCount))));
  }

  function nodeSize(node, maxLead, scale) {
    const lead = node.lead_count || 0;
    return Math.max(1.5, (3 + 15 * Math.sqrt(lead / Math.max(1, maxLead))) * scale);
  }

  function edgeSize(weight, maxWeight, scale) {
    return Math.max(0.3, (0.6 + 5 * Math.sqrt((weight - 1) / Math.max(1, maxWeight - 1))) * scale);
  }

  // ---------- drawing ----------

  function setNetwork(network) {
    state.network = network;
    const maxLead = network.nodes.reduce((m, n) => Math.max(m, n.lead_count || 0), 1);
    const maxWeight = network.links.reduce((m, l) => Math.max(m, l.weight || 1), 1);
    const scale = crowding(network.nodes.length);
    graph.clear();
    state.closest.clear();
    for (const node of network.nodes) {
      graph.addNode(node.id, {
        x: node.x,
        y: node.y,
        label: node.label,
        size: nodeSize(node, maxLead, scale),
        color: communityColor(node.community),
        data: node,
      });
    }
    for (const link of network.links) {
      if (!graph.hasNode(link.source) || !graph.hasNode(link.target)) continue;
      if (graph.hasEdge(link.source, link.target)) continue;
      graph.addEdge(link.source, link.target, {
        size: edgeSize(link.weight || 1, maxWeight, scale),
        weight: link.weight || 1,
        color: EDGE_COLOR,
      });
    }
    if (state.selected && !graph.hasNode(state.selected)) clearSelection();
    exposed.nodeCount = graph.order;
    exposed.edgeCount = graph.size;
    updateCounts();
    updateLegend();
    placeLabels();
    updateClusterLabels();
    updateTopLeads();
    updateSearchOptions();
    applySearch($("search").value, false);
    showNotice(graph.order ? "" : "没有符合条件的部门 — no department matches these filters.");
    renderer.refresh();
    // Positions never change; the camera follows the selection instead.
    if (state.selected) {
      showDepartment(state.selected);
      focusCamera(state.selected);
    } else {
      fitCamera(graph.nodes(), 1.1);
    }
  }

  function updateCounts() {
    const reports = $("f-report").options.length - 1;
    $("counts").innerHTML = "";
    $("counts").append(
      el("b", { id: "node-count" }, graph.order), " 个部门 departments · ",
      el("b", { id: "edge-count" }, graph.size), " 条协作 links · ",
      el("b", {}, reports), " 份报告 reports",
    );
  }

  function updateLegend() {
    const members = new Map();
    for (const node of state.network.nodes) {
      const list = members.get(node.community) || [];
      list.push(node);
      members.set(node.community, list);
    }
    const groups = [...members.entries()].sort((a, b) => b[1].length - a[1].length);
    const list = $("legend-communities");
    list.innerHTML = "";
    for (const [community, nodes] of groups.slice(0, LEGEND_GROUPS)) {
      const top = nodes.reduce((a, b) => ((b.lead_count || 0) > (a.lead_count || 0) ? b : a));
      const place = mostCommon(nodes.map((n) => n.jurisdiction)) || "辖区不明";
      list.append(el("li", { title: `${place}: ${top.label} 等 ${nodes.length} 个部门` },
        el("span", { class: "swatch", style: `background:${communityColor(community)}` }),
        el("b", {}, place), ` ${top.label}等 ${nodes.length}`));
    }
    if (groups.length > LEGEND_GROUPS) list.append(el("li", { class: "muted" }, `… +${groups.length - LEGEND_GROUPS}`));
  }

  function mostCommon(values) {
    const counts = new Map();
    for (const v of values) if (v) counts.set(v, (counts.get(v) || 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] || null;
  }

  // One label per jurisdiction at the centre of its departments, kept in place as the camera moves.
  function updateClusterLabels() {
    const layer = $("cluster-labels");
    layer.innerHTML = "";
    if (!renderer) return;
    const groups = new Map();
    graph.forEachNode((id, attrs) => {
      const place = attrs.data.jurisdiction || "辖区不明";
      const at = renderer.graphToViewport(attrs);
      const g = groups.get(place) || { x: 0, top: Infinity, n: 0 };
      g.x += at.x; g.top = Math.min(g.top, at.y); g.n += 1;
      groups.set(place, g);
    });
    const labels = [];
    const boxes = [];
    for (const [place, g] of groups) {
      if (g.n < 3) continue;
      // above the cluster, so that it never hides a department's label
      const top = Math.max(12, g.top - 26);
      labels.push(place);
      layer.append(el("span", { class: "cluster-label", style: `left:${g.x / g.n}px;top:${top}px` }, place));
      const half = (16 + 16 * [...place].length) / 2;  // centred on (x, top), 15 px bold with padding
      boxes.push({ x0: g.x / g.n - half, y0: top - 12, x1: g.x / g.n + half, y1: top + 12 });
    }
    exposed.clusterLabels = labels;
    state.clusterBoxes = boxes;
    exposed.clusterBoxes = boxes;
  }

  function updateTopLeads() {
    const list = $("top-leads");
    list.innerHTML = "";
    const top = [...state.network.nodes]
      .filter((n) => (n.lead_count || 0) > 0)
      .sort((a, b) => b.lead_count - a.lead_count || a.label.localeCompare(b.label))
      .slice(0, 12);
    if (!top.length) list.append(el("li", { class: "muted" }, "—"));
    for (const node of top) {
      list.append(el("li", {}, el("button", { type: "button", class: "link", dataset: { node: node.id },
        onclick: () => select(node.id, true) },
      el("span", { class: "name" }, node.label),
      el("span", { class: "num" }, `${node.lead_count} 项牵头 · ${node.jurisdiction || ""}`))));
    }
  }

  function updateSearchOptions() {
    const options = $("search-options");
    options.innerHTML = "";
    const labels = [...new Set(state.network.nodes.map((n) => n.label))].sort();
    for (const label of labels) options.append(el("option", { value: label }));
  }

  // The labels drawn when nothing is focused: biggest nodes first, each only where its box
  // overlaps no label already placed (sigma's label grid alone lets long Chinese names overlap).
  function placeLabels() {
    if (!renderer) return;
    const nodes = graph.nodes().sort((a, b) => graph.getNodeAttribute(b, "size") - graph.getNodeAttribute(a, "size"));
    const { shown, boxes } = freeLabels(nodes);
    state.labelled = shown;
    exposed.labelBoxes = boxes;
    placeFocusLabels();
  }

  // Greedy placement: each node in turn gets its label where the label's box overlaps none placed.
  // Labels keep clear of the jurisdiction labels and stay inside the drawing.
  function freeLabels(nodes) {
    const boxes = [];
    const shown = new Set();
    const taken = [...state.clusterBoxes];
    const { width, height } = renderer.getDimensions();
    const ratio = renderer.getCamera().getState().ratio;
    for (const id of nodes) {
      const attrs = graph.getNodeAttributes(id);
      const at = renderer.graphToViewport(attrs);
      const radius = renderer.scaleSize ? renderer.scaleSize(attrs.size) : attrs.size / Math.sqrt(ratio);
      const box = { x0: at.x + radius + 1, y0: at.y - 9, x1: at.x + radius + 3 + 13 * [...attrs.label].length, y1: at.y + 9 };
      if (box.x1 > width || box.y0 < 0 || box.y1 > height) continue;
      if (taken.some((b) => box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1)) continue;
      boxes.push(box);
      taken.push(box);
      shown.add(id);
    }
    return { shown, boxes };
  }

  // Around a focused department: its label, then its closest partners' where they do not overlap.
  function placeFocusLabels() {
    const focus = state.hovered || state.selected;
    if (!renderer || !focus || !graph.hasNode(focus)) {
      state.focusLabelled = new Set();
      exposed.focusLabelBoxes = [];
      return;
    }
    const ranked = graph.mapEdges(focus, (edge, attrs, source, target) => [source === focus ? target : source, attrs.weight])
      .sort((a, b) => b[1] - a[1]).map(([id]) => id).filter((id) => closest(focus).has(id));
    const { shown, boxes } = freeLabels([focus, ...ranked]);
    shown.add(focus);
    state.focusLabelled = shown;
    exposed.focusLabelBoxes = boxes;
  }

  // Fades everything but the focused node, its neighbours and the search matches.
  function nodeReducer(node, data) {
    const focus = state.hovered || state.selected;
    const out = { ...data };
    if (!focus && !state.matches.size) {
      if (state.labelled.has(node)) out.forceLabel = true;
      else out.label = "";
      return out;
    }
    if (state.matches.size) {
      if (state.matches.has(node)) {
        out.highlighted = true;
        out.forceLabel = true;
      } else if (!focus) {
        out.color = FADED_NODE;
        out.label = "";
      }
    }
    if (focus) {
      if (node === focus) {
        out.highlighted = true;
        out.forceLabel = true;
        out.zIndex = 2;
      } else if (graph.areNeighbors(node, focus)) {
        out.forceLabel = state.focusLabelled.has(node);
        if (!out.forceLabel) out.label = "";
        out.zIndex = 1;
      } else if (!state.matches.has(node)) {
        out.color = FADED_NODE;
        out.label = "";
        out.zIndex = 0;
      }
    }
    return out;
  }

  function edgeReducer(edge, data) {
    const focus = state.hovered || state.selected;
    if (!focus) return state.matches.size ? { ...data, hidden: !touchesMatch(edge) } : data;
    if (graph.hasExtremity(edge, focus)) return { ...data, color: EDGE_FOCUS, zIndex: 1 };
    return { ...data, hidden: true };
  }

  function touchesMatch(edge) {
    return graph.extremities(edge).some((n) => state.matches.has(n));
  }

  function createRenderer() {
    renderer = new Sigma(graph, $("graph"), {
      labelFont: LABEL_FONT,
      labelSize: 13,
      labelWeight: "500",
      labelColor: { color: "#1f2933" },
      labelDensity: 1,
      labelGridCellSize: 110,
      labelRenderedSizeThreshold: 4,
      // Marks grow at most 1.7x when zooming in, so a zoomed cluster stays legible.
      zoomToSizeRatioFunction: (ratio) => Math.max(Math.sqrt(ratio), 0.6),
      defaultEdgeColor: EDGE_COLOR,
      zIndex: true,
      minCameraRatio: 0.05,
      maxCameraRatio: 4,
      stagePadding: 40,
      nodeReducer,
      edgeReducer,
    });
    // The server's layout spans [-1, 1]: keep that frame so filtered views don't jump around.
    renderer.setCustomBBox({ x: [-1, 1], y: [-1, 1] });
    // Where a node is drawn, in pixels from the top left of the drawing (for tests and tooling).
    exposed.nodePosition = (id) => {
      if (!graph.hasNode(id)) return null;
      const { x, y } = renderer.graphToViewport(graph.getNodeAttributes(id));
      const box = $("graph").getBoundingClientRect();
      return { x: box.left + x, y: box.top + y };
    };
    exposed.cameraIdle = () => !renderer.getCamera().isAnimated();
    renderer.on("enterNode", ({ node }) => { state.hovered = node; placeFocusLabels(); renderer.refresh({ skipIndexation: true }); });
    renderer.on("leaveNode", () => { state.hovered = null; placeFocusLabels(); renderer.refresh({ skipIndexation: true }); });
    renderer.on("clickNode", ({ node }) => select(node, false));
    renderer.on("clickStage", () => clearSelection());
    let relabel = null;
    renderer.getCamera().on("updated", () => {
      updateClusterLabels();
      clearTimeout(relabel);  // labels are placed again once the camera rests
      relabel = setTimeout(() => { placeLabels(); renderer.refresh({ skipIndexation: true }); }, 80);
    });
    $("graph").style.cursor = "default";
    renderer.on("enterNode", () => { $("graph").style.cursor = "pointer"; });
    renderer.on("leaveNode", () => { $("graph").style.cursor = "default"; });
  }

  // The partners a focused node shares most tasks with: their labels are always shown.
  function closest(nodeId) {
    if (!state.closest.has(nodeId)) {
      const ranked = graph.mapEdges(nodeId, (edge, attrs, source, target) => [source === nodeId ? target : source, attrs.weight])
        .sort((a, b) => b[1] - a[1])
        .slice(0, CLOSEST);
      state.closest.set(nodeId, new Set(ranked.map(([id]) => id)));
    }
    return state.closest.get(nodeId);
  }

  // Moves the camera so that the given nodes fill the view, with `margin` times their extent.
  function fitCamera(nodeIds, margin) {
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const id of nodeIds) {
      const p = renderer.getNodeDisplayData(id);
      if (!p) continue;
      [x0, x1, y0, y1] = [Math.min(x0, p.x), Math.max(x1, p.x), Math.min(y0, p.y), Math.max(y1, p.y)];
    }
    if (x0 > x1) return;
    const ratio = Math.min(1, Math.max(0.08, Math.max(x1 - x0, y1 - y0) * margin));
    renderer.getCamera().animate({ x: (x0 + x1) / 2, y: (y0 + y1) / 2, ratio }, { duration: 400 });
  }

  // Centres the camera on a node and zooms so that it and its closest partners fill the view.
  function focusCamera(nodeId) {
    fitCamera([nodeId, ...closest(nodeId)], 2);
  }

  // ---------- selection and side panel ----------

  function select(nodeId, moveCamera) {
    if (!graph.hasNode(nodeId)) return;
    state.selected = nodeId;
    exposed.selected = nodeId;
    writeHash();
    updateDownload();
    showDepartment(nodeId);
    if (moveCamera) focusCamera(nodeId);
    placeFocusLabels();
    renderer.refresh({ skipIndexation: true });
  }

  function clearSelection() {
    state.selected = null;
    exposed.selected = null;
    writeHash();
    updateDownload();
    exposed.tasksLoaded = false;
    $("panel-dept").hidden = true;
    $("panel-empty").hidden = false;
    placeFocusLabels();
    if (renderer) renderer.refresh({ skipIndexation: true });
  }

  function showDepartment(nodeId) {
    const node = graph.getNodeAttribute(nodeId, "data");
    $("panel-empty").hidden = true;
    $("panel-dept").hidden = false;
    $("dept-name").textContent = node.label;
    renderMeta(node, []);
    renderStats(node);
    renderNeighbours(nodeId);
    loadTasks(nodeId);
  }

  function renderMeta(node, aliases) {
    const others = [...new Set(aliases)].filter((a) => a !== node.label);
    const parts = [node.jurisdiction, node.kind, others.length ? `又称 ${others.join("、")}` : null];
    $("dept-meta").textContent = parts.filter(Boolean).join(" · ");
  }

  function renderStats(node) {
    const stats = [
      ["牵头 lead", node.lead_count],
      ["配合 assist", node.assist_count],
      ["协作部门 partners", node.degree],
      ["共同任务 shared", node.weighted_degree],
      ["中介性 betweenness", (node.betweenness || 0).toFixed(3)],
      ["社区 community", node.community],
    ];
    const list = $("dept-stats");
    list.innerHTML = "";
    for (const [name, value] of stats) {
      list.append(el("div", {}, el("dt", {}, name), el("dd", {}, value ?? "–")));
    }
  }

  function renderNeighbours(nodeId) {
    const list = $("dept-neighbours");
    list.innerHTML = "";
    const neighbours = graph.mapEdges(nodeId, (edge, attrs, source, target) => ({
      id: source === nodeId ? target : source,
      weight: attrs.weight,
    })).sort((a, b) => b.weight - a.weight).slice(0, 10);
    if (!neighbours.length) list.append(el("li", { class: "muted" }, "—"));
    for (const { id, weight } of neighbours) {
      list.append(el("li", {}, el("button", { type: "button", class: "chip", dataset: { node: id }, title: id,
        onclick: () => select(id, true) },
      graph.getNodeAttribute(id, "label"), el("span", { class: "num" }, weight))));
    }
  }

  async function loadTasks(nodeId) {
    const request = ++state.taskRequest;
    exposed.tasksLoaded = false;
    const list = $("task-list");
    list.innerHTML = "";
    list.append(el("li", { class: "empty" }, "Loading…"));
    const params = new URLSearchParams({ role: state.role });
    for (const name of ["report", "year"]) {
      const value = filterParams().get(name);
      if (value) params.set(name, value);
    }
    let body;
    try {
      body = await getJSON(`/api/departments/${encodeURIComponent(nodeId)}/tasks?${params}`);
    } catch (error) {
      if (request !== state.taskRequest) return;
      list.innerHTML = "";
      list.append(el("li", { class: "empty" }, `无法读取任务 Could not load tasks: ${error.message}`));
      return;
    }
    if (request !== state.taskRequest) return;
    renderMeta(graph.getNodeAttribute(nodeId, "data"), body.department.aliases || []);
    renderTasks(body.tasks);
    exposed.tasksLoaded = true;
  }

  function renderTasks(tasks) {
    const list = $("task-list");
    list.innerHTML = "";
    $("task-count").textContent = `(${tasks.length})`;
    if (!tasks.length) list.append(el("li", { class: "empty" }, "没有任务 No tasks."));
    for (const task of tasks) {
      const text = el("p", { class: "task-text" }, task.text);
      const item = el("li", { class: "task", dataset: { taskId: task.id, role: task.role, basis: task.basis || "" } });
      expandable(item, text, task.id);
      list.append(item);
      item.append(
        el("div", { class: "task-top" },
          el("span", { class: `badge ${task.role}` }, ROLE_NAMES[task.role] || task.role),
          BASIS_NAMES[task.basis] ? el("span", { class: "badge basis", title: "责任单位未分牵头，按惯例首位牵头" }, BASIS_NAMES[task.basis]) : null,
          el("span", {}, [task.year, task.report_title].filter(Boolean).join(" · ")),
          task.deadline ? el("span", {}, `时限 ${task.deadline}`) : null),
        text);
    }
  }

  // A task's source (GET /api/tasks/{id}/source): the passage of the report around it with the
  // clause naming its units highlighted, then every unit with its role and the rules that found it.
  function expandable(item, text, taskId) {
    text.title = "点击展开原文 click for the source text";
    text.addEventListener("click", () => {
      text.classList.toggle("open");
      if (text.classList.contains("open") && !item.querySelector(".units")) showTaskSource(item, taskId);
    });
  }

  async function showTaskSource(item, taskId) {
    const box = el("div", { class: "units" }, "Loading…");
    item.append(box);
    let body;
    try {
      body = await getJSON(`/api/tasks/${encodeURIComponent(taskId)}/source`);
    } catch (error) {
      box.textContent = `无法读取 Could not load: ${error.message}`;
      return;
    }
    box.innerHTML = "";
    const task = body.task;
    const where = task.span ? `第 ${task.span[0]}–${task.span[1]} 字 characters ${task.span[0]}–${task.span[1]}` : "";
    box.append(el("p", { class: "source-head" }, el("b", {}, "原文 Source"), " ",
      el("span", { class: "muted" }, [body.source || task.report_title, where].filter(Boolean).join(" · "))));
    if (!body.text_stored) {
      box.append(el("p", { class: "muted" }, "此报告的原文未存储（较早的存储）；重新 govkg build 即可 — the report's text was stored before govkg kept texts; build it again."));
    }
    body.excerpts.forEach((excerpt, i) => {
      if (i > 0) box.append(el("p", { class: "gap muted", "aria-label": "omitted" }, "⋯"));
      box.append(renderExcerpt(excerpt, body.clauses, task.units));
    });
    const list = el("ul", { class: "unit-roles" });
    for (const u of task.units) {
      const evidence = (u.evidence || []).map((e) => el("code", { class: "evidence", title: "识别规则 the rule that found it" }, e));
      list.append(el("li", { dataset: { role: u.role, unit: u.id } },
        el("span", { class: `badge ${u.role}` }, ROLE_NAMES[u.role] || u.role),
        el("button", { type: "button", class: "link", title: u.id, onclick: () => select(u.id, true) }, u.label),
        u.printed && u.printed !== u.label ? el("span", { class: "muted" }, ` 原文 “${u.printed}”`) : null,
        u.basis === "first_listed" ? el("span", { class: "badge basis", title: "责任单位未分牵头，按惯例首位牵头 an undifferentiated list: its first unit leads" }, "首位推定 first listed") : null,
        ...evidence,
        u.confidence !== null && u.confidence !== undefined && u.confidence < 1
          ? el("span", { class: "muted" }, ` ${Math.round(u.confidence * 100)}%`) : null));
    }
    if (!task.units.length) list.append(el("li", { class: "muted" }, "没有责任单位 No unit named"));
    box.append(list);
    exposed.sourceLoaded = taskId;
  }

  // One excerpt: context muted, the task's own text plain, each clause one <mark class="clause">
  // holding its units as <mark class="unit lead|assist">.
  function renderExcerpt(excerpt, clauses, units) {
    const label = new Map(units.map((u) => [u.id, u]));
    const out = el("blockquote", { class: "source-text", dataset: { start: excerpt.start, end: excerpt.end } });
    let open = null; // the clause mark being filled, with its range
    for (const seg of excerpt.segments) {
      const range = seg.clause ? clauses.find(([a, b]) => a <= seg.start && seg.start < b) : null;
      if (!range) open = null;
      else if (!open || open.range !== range) {
        open = { range, node: el("mark", { class: "clause", title: "责任条款 the clause naming the units" }) };
        out.append(open.node);
      }
      const unit = seg.unit ? label.get(seg.unit) : null;
      const piece = seg.role
        ? el("mark", { class: `unit ${seg.role}`, dataset: { role: seg.role, unit: seg.unit },
          title: `${ROLE_NAMES[seg.role] || seg.role}: ${unit ? unit.label : seg.unit}${unit && unit.evidence.length ? ` (${unit.evidence.join(", ")})` : ""}` }, seg.text)
        : el("span", { class: seg.in_task ? "in-task" : "context" }, seg.text);
      (open ? open.node : out).append(piece);
    }
    return out;
  }

  // ---------- search ----------

  function findMatches(query) {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    return state.network.nodes
      .filter((n) => n.label.toLowerCase().includes(q) || n.id.toLowerCase().includes(q))
      .sort((a, b) => (b.label === query.trim()) - (a.label === query.trim())
        || (b.lead_count || 0) - (a.lead_count || 0))
      .map((n) => n.id);
  }

  function applySearch(query, selectBest) {
    const matches = findMatches(query);
    state.matches = new Set(matches);
    exposed.matches = matches;
    const q = query.trim();
    if (!q) setSearchStatus("");
    else if (!matches.length) setSearchStatus(`找不到 “${q}” — nothing found; 回车查询近似名称 press Enter for suggestions`);
    else setSearchStatus(`${matches.length} 个匹配 of ${graph.order} departments`);
    if (selectBest && matches.length) select(matches[0], true);
    else if (renderer) renderer.refresh({ skipIndexation: true });
  }

  function setSearchStatus(text, choices) {
    const status = $("search-status");
    status.innerHTML = "";
    status.hidden = !text;
    status.append(text || "");
    for (const choice of choices || []) {
      status.append(" ", el("button", { type: "button", class: "chip", onclick: () => resolveName(choice) }, choice));
    }
    exposed.searchStatus = status.textContent;
  }

  // The one resolver of names (GET /api/departments/{name}): ambiguous names list candidates
  // that pick one, unknown names get suggestions.
  async function resolveName(query) {
    const q = query.trim();
    if (!q) return;
    $("search").value = q;
    try {
      const profile = await getJSON(`/api/departments/${encodeURIComponent(q)}`);
      const id = profile.department.id;
      if (graph.hasNode(id)) {
        state.matches = new Set([id]);
        exposed.matches = [id];
        setSearchStatus(`${profile.department.label} (${profile.department.jurisdiction || "辖区不明"})`);
        select(id, true);
      } else {
        setSearchStatus(`${profile.department.label} 不在当前视图中 — not in the current view; clear the filters`);
      }
    } catch (error) {
      if (error.status === 409) {
        setSearchStatus(`“${q}” 有多个 — several match:`, (error.body.candidates || []).map((c) => c.name));
      } else if (error.status === 404 && state.matches.size) {
        // not a name, but part of some: the best of the highlighted departments
        const [best] = findMatches(q);
        setSearchStatus(`${state.matches.size} 个部门名称包含 “${q}” — ${state.matches.size} names contain it`);
        select(best, true);
      } else if (error.status === 404) {
        const close = error.body.suggestions || [];
        setSearchStatus(`找不到 “${q}” — nothing found${close.length ? "; 是否要找 did you mean:" : ""}`, close);
      } else {
        setSearchStatus(`无法查询 Could not search: ${error.message}`);
      }
    }
  }

  // ---------- views: tasks without a lead, targets, change ----------

  async function showView(kind) {
    const title = kind === "no-lead" ? "无牵头单位的任务 Tasks without a lead" : "量化目标 Targets";
    const params = new URLSearchParams();
    for (const name of ["report", "year"]) {
      const value = filterParams().get(name);
      if (value) params.set(name, value);
    }
    const url = kind === "no-lead" ? `/api/tasks/without-lead?${params}` : `/api/targets?${params}`;
    $("view").hidden = false;
    const list = $("view-list");
    list.innerHTML = "";
    let rows;
    try {
      rows = await getJSON(url);
    } catch (error) {
      list.append(el("li", { class: "empty" }, `无法读取 Could not load: ${error.message}`));
      return;
    }
    $("view-title").textContent = `${title} (${rows.length})`;
    if (!rows.length) list.append(el("li", { class: "empty" }, "没有 None."));
    for (const row of rows.slice(0, 200)) {
      const top = kind === "no-lead"
        ? [row.year, row.report_title, `第 ${row.number} 项`]
        : [row.year, row.indicator, `${row.measure || ""} ${row.value}${row.unit || ""}`];
      const taskId = kind === "no-lead" ? row.id : row.task;
      const text = el("p", { class: "task-text" }, row.text);
      const item = el("li", { class: "task", dataset: { taskId: taskId || "" } },
        el("div", { class: "task-top" }, el("span", {}, top.filter(Boolean).join(" · "))), text);
      if (taskId) expandable(item, text, taskId);
      list.append(item);
    }
    exposed.viewLoaded = kind;
  }

  function fillChangeReports() {
    for (const id of ["change-from", "change-to"]) {
      const select = $(id);
      select.innerHTML = "";
      for (const r of state.reports) {
        select.append(el("option", { value: r.id }, [r.year, r.jurisdiction, r.title || r.source].filter(Boolean).join(" · ")));
      }
    }
    if (state.reports.length > 1) $("change-to").selectedIndex = state.reports.length - 1;
  }

  async function showChange(event) {
    event.preventDefault();
    const box = $("change-result");
    box.innerHTML = "";
    exposed.changeLoaded = false;
    if (!state.selected) return;
    const params = new URLSearchParams({ from: $("change-from").value, to: $("change-to").value });
    let body;
    try {
      body = await getJSON(`/api/departments/${encodeURIComponent(state.selected)}/change?${params}`);
    } catch (error) {
      box.append(el("p", { class: "muted" }, `无法对比 Could not compare: ${error.message}`));
      return;
    }
    box.append(el("p", {}, `牵头 lead ${body.before.lead} → ${body.after.lead} · 配合 assist ${body.before.assist} → ${body.after.assist}`));
    for (const [name, rows] of [["新增 gained", body.gained || []], ["不再 lost", body.lost || []]]) {
      box.append(el("h4", {}, `${name} (${rows.length})`));
      const list = el("ul", { class: "tasks" });
      for (const t of rows.slice(0, 50)) {
        const text = el("p", { class: "task-text" }, t.text);
        const item = el("li", { class: "task", dataset: { taskId: t.id } }, text);
        expandable(item, text, t.id);
        list.append(item);
      }
      box.append(list);
    }
    exposed.changeLoaded = true;
  }

  // ---------- upload and download ----------

  async function upload(event) {
    event.preventDefault();
    const file = $("upload-file").files[0];
    if (!file) return;
    const form = new FormData();
    form.append("file", file);
    const place = $("upload-jurisdiction").value.trim();
    if (place) form.append("jurisdiction", place);
    $("upload-status").textContent = "上传中 Uploading…";
    try {
      const added = await getJSON("/api/documents", { method: "POST", body: form });
      const what = added.status === "added" ? "已加入 added" : "已存在 already there";
      $("upload-status").textContent = `${file.name}: ${what}, ${added.tasks} 项任务 tasks`;
      exposed.uploadStatus = added.status;
      state.reports = await getJSON("/api/reports");
      for (const id of ["f-report", "f-year", "f-jurisdiction"]) {
        const control = $(id);
        while (control.options.length > 1) control.remove(1);
      }
      fillFilters(state.reports);
      await loadNetwork();
    } catch (error) {
      $("upload-status").textContent = `${file.name}: ${error.message}`;
      exposed.uploadStatus = "error";
    }
  }

  // The tracking sheet of what is on screen: the filters, and the selected department.
  function updateDownload() {
    const params = new URLSearchParams();
    for (const name of ["report", "year", "jurisdiction"]) {
      const value = filterParams().get(name);
      if (value) params.set(name, value);
    }
    if (state.selected) {
      params.set("department", state.selected);
      if (state.role !== "any") params.set("role", state.role);
    }
    const query = params.toString();
    $("download-sheet").href = `/api/tasks.xlsx${query ? `?${query}` : ""}`;
  }

  // ---------- filters ----------

  function fillFilters(reports) {
    state.reports = reports;
    const byYear = (a, b) => (b.year || 0) - (a.year || 0) || String(a.title).localeCompare(String(b.title));
    for (const report of [...reports].sort(byYear)) {
      const title = report.title || report.source;
      const label = [report.year, report.jurisdiction, title].filter(Boolean).join(" · ");
      $("f-report").append(el("option", { value: report.id, title: label }, label));
    }
    const years = [...new Set(reports.map((r) => r.year).filter(Boolean))].sort((a, b) => b - a);
    for (const year of years) $("f-year").append(el("option", { value: year }, year));
    const places = [...new Set(reports.map((r) => r.jurisdiction).filter(Boolean))].sort();
    for (const place of places) $("f-jurisdiction").append(el("option", { value: place }, place));
    fillChangeReports();
  }

  async function loadNetwork() {
    const request = ++state.networkRequest;
    exposed.ready = false;
    writeHash();
    let network;
    try {
      network = await getJSON(`/api/network?${filterParams()}`);
    } catch (error) {
      if (request !== state.networkRequest) return;
      exposed.error = error.message;
      showNotice(`无法读取网络 Could not load the network: ${error.message}`, true);
      exposed.ready = true;
      return;
    }
    if (request !== state.networkRequest) return;  // a newer filter won
    setNetwork(network);
    updateDownload();
    exposed.error = null;
    exposed.ready = true;
  }

  // The filters and the selected department live in the URL's hash, so a view can be shared.
  const HASH_FIELDS = [["report", "f-report"], ["year", "f-year"], ["jurisdiction", "f-jurisdiction"],
    ["min_weight", "f-min-weight"]];

  function writeHash() {
    const params = new URLSearchParams();
    for (const [name, id] of HASH_FIELDS) {
      const value = $(id).value;
      if (value && !(name === "min_weight" && value === "1")) params.set(name, value);
    }
    if (state.selected) params.set("dept", state.selected);
    const hash = params.toString();
    history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
  }

  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    for (const [name, id] of HASH_FIELDS) {
      const value = params.get(name);
      const control = $(id);
      if (value === null) continue;
      if (control.tagName === "SELECT" && ![...control.options].some((o) => o.value === value)) continue;
      control.value = value;
    }
    return params.get("dept");
  }

  function bindControls() {
    for (const id of ["f-report", "f-year", "f-jurisdiction", "f-min-weight"]) {
      $(id).addEventListener("change", loadNetwork);
    }
    $("filters").addEventListener("submit", (event) => event.preventDefault());
    const search = $("search");
    search.addEventListener("input", () => {
      // Picking an entry of the datalist selects it; typing only highlights.
      const exact = state.network.nodes.some((n) => n.label === search.value);
      applySearch(search.value, exact);
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); resolveName(search.value); }
      if (event.key === "Escape") { search.value = ""; applySearch("", false); }
    });
    $("panel-close").addEventListener("click", clearSelection);
    $("view-no-lead").addEventListener("click", () => showView("no-lead"));
    $("view-targets").addEventListener("click", () => showView("targets"));
    $("upload").addEventListener("submit", upload);
    $("change").addEventListener("submit", showChange);
    $("role-tabs").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-role]");
      if (!button) return;
      state.role = button.dataset.role;
      for (const tab of $("role-tabs").querySelectorAll("button")) {
        tab.setAttribute("aria-selected", String(tab === button));
      }
      if (state.selected) loadTasks(state.selected);
      updateDownload();
    });
    const camera = () => renderer.getCamera();
    $("zoom-in").addEventListener("click", () => camera().animatedZoom({ duration: 250 }));
    $("zoom-out").addEventListener("click", () => camera().animatedUnzoom({ duration: 250 }));
    $("zoom-reset").addEventListener("click", () => camera().animatedReset({ duration: 250 }));
    const header = document.querySelector(".topbar");
    const fit = () => {
      document.documentElement.style.setProperty("--header-height", `${header.offsetHeight}px`);
      updateClusterLabels();
    };
    window.addEventListener("resize", fit);
    fit();
  }

  async function main() {
    bindControls();
    createRenderer();
    try {
      fillFilters(await getJSON("/api/reports"));
    } catch (error) {
      showNotice(`无法读取报告 Could not load the reports: ${error.message}`, true);
    }
    const dept = readHash();
    await loadNetwork();
    if (dept && graph.hasNode(dept)) select(dept, true);
  }

  main();
})();
