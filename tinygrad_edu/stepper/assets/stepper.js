// The stepper page: steps through frames built in Python (stepper/frames.py). All text
// from the data goes onto the page through textContent; nothing in it is run.
var script = document.currentScript;
var root = script ? script.parentElement : null;
if (!root || root.dataset.ready) {  // a notebook may run scripts without currentScript
  var all = document.querySelectorAll(".tg-stepper:not([data-ready])");
  root = all[all.length - 1];
}
if (!root) return;
root.dataset.ready = "1";
root.tabIndex = 0;
var data = JSON.parse(root.querySelector(".tg-data").textContent);
var frames = data.frames, nodes = data.nodes, n = frames.length;
var $ = function (sel) { return root.querySelector(sel); };
var linesBox = $(".tg-lines"), quizBox = $(".tg-quiz"), counter = $(".tg-counter");
var pane = $(".tg-graph"), whereBox = $(".tg-where");
var index = 0, timer = null, selected = null, hovered = false;
var answered = {}, score = {right: 0, asked: 0};
var cam = makeCamera(pane);
gradientLegend($(".tg-legend"), data.legend);

// -- the views: graphviz names each node and edge in its <title> ----------------------
var views = data.views, view = 0, viewBoxes = root.querySelectorAll(".tg-view"), maps = [];
viewBoxes.forEach(function (box) {
  var m = {nodes: {}, edges: {}, ready: false};
  box.querySelectorAll("svg g.node").forEach(function (g) {
    var t = g.querySelector("title"); if (t) m.nodes[t.textContent] = g;
  });
  box.querySelectorAll("svg g.edge").forEach(function (g) {
    var t = g.querySelector("title"); if (t) m.edges[t.textContent] = g;
  });
  maps.push(m);
});
// Once a view is on screen: centre each value box's lines (they change length as the
// gradient arrives) and remember its text rows.
function prepare(k) {
  var m = maps[k];
  if (m.ready) return;
  m.ready = true;
  Object.keys(m.nodes).forEach(function (name) {
    var g = m.nodes[name], shape = g.querySelector("path, polygon, ellipse");
    if (!shape || name[0] !== "v") return;
    var b = shape.getBBox(), texts = g.querySelectorAll("text");
    texts.forEach(function (t) { t.setAttribute("text-anchor", "middle"); t.setAttribute("x", b.x + b.width / 2); });
    g.valueText = texts[texts.length - 1];
  });
}

// -- controls -------------------------------------------------------------------------
var bar = $(".tg-controls");
function button(label, title, fn, cls) {
  var b = el("button", cls || "tg-" + title.toLowerCase().replace(/[^a-z]+/g, "-"), label);
  b.title = title; b.type = "button";
  b.addEventListener("click", function () { fn(); root.focus({preventScroll: true}); });
  bar.appendChild(b);
  return b;
}
button("« first", "First", function () { go(0); });
button("‹ back", "Back", function () { go(index - 1); });
var playButton = button("▶ play", "Play", function () { toggle(); });
button("next ›", "Next", function () { next(); });
button("last »", "Last", function () { go(n - 1); });
var speed = el("select", "tg-speed");
[["slow", 1500], ["normal", 800], ["fast", 300]].forEach(function (o) {
  var opt = el("option", null, o[0]); opt.value = o[1];
  if (o[0] === "normal") opt.selected = true;
  speed.appendChild(opt);
});
bar.appendChild(speed);
var slider = el("input", "tg-slider");
slider.type = "range"; slider.min = 0; slider.max = n - 1; slider.value = 0;
slider.addEventListener("input", function () { go(Number(slider.value)); });
bar.appendChild(slider);
button("−", "Zoom out (-)", function () { zoom(1 / 1.25); }, "tg-zoom-out");
button("+", "Zoom in (+)", function () { zoom(1.25); }, "tg-zoom-in");
button("fit", "Fit the graph to the pane (0)", function () { cam.fit(); }, "tg-fit");
button("present", "Presentation mode (f)", function () { present(); }, "tg-present-button");
var scoreBox = el("span", "tg-score", "");
bar.appendChild(scoreBox);

// -- state after frame k: values, gradients so far, nodes whose gradient is final ---
function stateAt(k) {
  var values = [], grads = [], shortGrads = [], final = {};
  for (var f = 0; f <= k; f++) {
    var fr = frames[f];
    fr.changes.forEach(function (c) {
      if (c[1] !== null) values[c[0]] = c[1];
      if (c[2] !== null) { grads[c[0]] = c[2]; shortGrads[c[0]] = c[3]; }
    });
    if (fr.phase === "backward") final[fr.cursor] = f;
  }
  return {values: values, grads: grads, shortGrads: shortGrads, final: final};
}

function asking(k) { return data.predict && frames[k].questions.length > 0 && !answered[k]; }

function paint(st, k) {
  var backward = frames[k].phase === "backward", v = views[view], m = maps[view];
  var cursorAt = v.where[frames[k].cursor];
  Object.keys(m.nodes).forEach(function (name) {
    m.nodes[name].classList.toggle("tg-current", name === cursorAt ||
      (name === "o" + frames[k].cursor && cursorAt === "v" + frames[k].cursor));
  });
  nodes.forEach(function (node, i) {
    if (v.where[i] !== "v" + i) return;  // inside a closed module's box
    ["v" + i, "o" + i].forEach(function (name) {
      var g = m.nodes[name];
      if (!g) return;
      g.classList.toggle("tg-done", st.values[i] !== undefined && !backward);
      g.classList.toggle("tg-todo", st.values[i] === undefined);
      g.classList.toggle("tg-partial", backward && st.grads[i] !== undefined && !(i in st.final));
      var shape = g.querySelector("polygon, path, ellipse");
      var coloured = backward && i in st.final && node.fill;
      if (shape && name[0] === "v") shape.style.fill = coloured ? node.fill : "";
      if (name[0] === "v") g.querySelectorAll("text").forEach(function (t) { t.style.fill = coloured ? node.ink : ""; });
      if (g.valueText) {
        var grad = st.shortGrads[i];
        g.valueText.textContent = node.shown + (grad ? " | grad " + grad : "");
      }
    });
  });
  Object.keys(m.edges).forEach(function (title) {
    var info = v.edges[title], g = m.edges[title];
    var reached = backward && info !== undefined && info[0] in st.final;
    var colour = reached ? info[1] : "";
    g.querySelectorAll("path, polygon").forEach(function (s) {
      s.style.stroke = colour; if (s.tagName === "polygon") s.style.fill = colour;
    });
    g.classList.toggle("tg-reached", reached);
  });
}

function showView(k) {
  view = k;
  viewBoxes.forEach(function (box, j) { box.hidden = j !== k; });
  cam.attach(viewBoxes[k].querySelector("svg"));
  prepare(k);
  whereBox.textContent = "";
  if (views.length > 1) {
    whereBox.appendChild(el("span", null, "showing " + views[k].name + " (click a box to open it) "));
    if (views[k].parent !== null) {
      var up = el("button", "tg-up", "up: " + views[views[k].parent].name);
      up.type = "button";
      up.addEventListener("click", function () { showView(views[k].parent); root.focus({preventScroll: true}); });
      whereBox.appendChild(up);
    }
  }
  sizePane(); cam.fit(); readable();
  show(index);
}
// A graph so big that fitting it makes its text specks opens at a readable size instead,
// around the current node ("fit" still shows it whole).
function readable() { if (cam.s < 0.35) cam.zoomAt(0.8 / cam.s, 0, 0); }

function show(k, smooth) {
  var fr = frames[k];
  counter.textContent = "[" + (k + 1) + "/" + n + "] " + fr.title;
  slider.value = k;
  quizBox.textContent = "";
  var hide = asking(k);
  // While a prediction is pending, show the state before this frame (no answers).
  paint(stateAt(hide && k > 0 ? k - 1 : k), k);
  showLines(linesBox, hide ? [fr.lines[0]] : fr.lines);
  if (hide) runQuiz({data: data, frames: frames, answered: answered, score: score,
                     scoreBox: scoreBox, box: quizBox, show: show}, k);
  if (selected !== null) detail(selected, k);
  cam.follow(currentBox(), smooth);
}

// The current node's shapes (in backward, its value box and the op that made it) as one box.
function currentBox() {
  var box = null;
  root.querySelectorAll(".tg-view:not([hidden]) g.node.tg-current").forEach(function (g) {
    var b = boxOf(g);
    if (!box) { box = b; return; }
    var x = Math.min(box.x, b.x), y = Math.min(box.y, b.y);
    box = {x: x, y: y, w: Math.max(box.x + box.w, b.x + b.w) - x, h: Math.max(box.y + box.h, b.y + b.h) - y};
  });
  return box;
}

// Zooming by keys or buttons keeps the current node where it is on screen (so in view).
function zoom(factor) {
  var box = currentBox();
  if (!box) { cam.zoomAt(factor); return; }
  cam.zoomAt(factor, (box.x + box.w / 2 - cam.x) * cam.s, (box.y + box.h / 2 - cam.y) * cam.s);
  cam.follow(box, false);
}

function detail(i, k) {
  showDetail({nodes: nodes, stateAt: stateAt, asking: asking, box: $(".tg-detail")}, i, k);
}

maps.forEach(function (m, k) {
  Object.keys(m.nodes).forEach(function (name) {
    m.nodes[name].style.cursor = "pointer";
    m.nodes[name].addEventListener("click", function () {
      if (cam.dragged) return;  // the end of a drag, not a click
      if (name in views[k].expand) { showView(views[k].expand[name]); return; }
      selected = Number(name.slice(1)); detail(selected, index);
    });
  });
});

// -- the pane's size: a page gives the graph the window's height; presentation, all ----
function sizePane() {
  if (root.classList.contains("tg-full") || root.classList.contains("tg-presenting")) {
    var top = pane.getBoundingClientRect().top - root.getBoundingClientRect().top;
    var room = (root.classList.contains("tg-presenting") ? window.innerHeight : window.innerHeight - 14) - top - 10;
    pane.style.height = Math.max(240, room) + "px";
  }
}
function present() {
  root.classList.toggle("tg-presenting");
  sizePane(); cam.fit(); show(index);
}
window.addEventListener("resize", function () { sizePane(); cam.fit(); readable(); show(index); });

// -- moving -----------------------------------------------------------------------------
function go(k) { index = Math.max(0, Math.min(n - 1, k)); show(index, true); }
function next() {
  if (asking(index)) return;  // answer first
  if (index >= n - 1) { stop(); return; }
  go(index + 1);
}
function stop() { if (timer) { clearInterval(timer); timer = null; } playButton.textContent = "▶ play"; }
function toggle() {
  if (timer) { stop(); return; }
  playButton.textContent = "⏸ pause";
  timer = setInterval(next, Number(speed.value));
}
// Keys belong to the stepper that has the focus, or, when nothing has, the one under the
// mouse (or the only one on the page): two steppers in a notebook never both move.
root.addEventListener("pointerenter", function () { hovered = true; });
root.addEventListener("pointerleave", function () { hovered = false; });
root.addEventListener("pointerdown", function (e) {
  if (!(e.target.closest && e.target.closest("input, select, button"))) root.focus({preventScroll: true});
});
document.addEventListener("keydown", function (e) {
  var active = document.activeElement, idle = !active || active === document.body;
  var alone = document.querySelectorAll(".tg-stepper").length === 1;
  if (!(root.contains(active) || (idle && (hovered || alone)))) return;
  if (active && active.tagName === "INPUT" && active.type === "text") return;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  var keys = {ArrowRight: next, ArrowLeft: function () { go(index - 1); }, " ": toggle,
              Home: function () { go(0); }, End: function () { go(n - 1); },
              "+": function () { zoom(1.25); }, "=": function () { zoom(1.25); },
              "-": function () { zoom(1 / 1.25); }, "0": function () { cam.fit(); },
              f: present, Escape: function () { if (root.classList.contains("tg-presenting")) present(); }};
  if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
});
showView(0);
