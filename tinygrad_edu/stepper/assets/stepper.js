// The stepper page: steps through frames built in Python (stepper/frames.py). All text
// from the data goes onto the page through textContent; nothing in it is run.
(function () {
  "use strict";
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
  var linesBox = $(".tg-lines"), quizBox = $(".tg-quiz"), detailBox = $(".tg-detail");
  var counter = $(".tg-counter");
  var index = 0, timer = null, selected = null;
  var answered = {};            // frame index -> true once its questions are done
  var score = {right: 0, asked: 0};

  // -- the views: graphviz names each node and edge in its <title> ----------------------
  var views = data.views, view = 0;
  var viewBoxes = root.querySelectorAll(".tg-view");
  var maps = [];
  viewBoxes.forEach(function (box, k) {
    var m = {nodes: {}, edges: {}};
    box.querySelectorAll("svg g.node").forEach(function (g) {
      var t = g.querySelector("title");
      if (t) m.nodes[t.textContent] = g;
    });
    box.querySelectorAll("svg g.edge").forEach(function (g) {
      var t = g.querySelector("title");
      if (t) m.edges[t.textContent] = g;
    });
    maps.push(m);
  });
  var whereBox = $(".tg-where");
  // Graphviz sizes pictures in points: grow small ones to fill the box (at most 1.6x),
  // shrink big ones to it but not below 0.75x (then the box scrolls): text stays legible.
  function fit(box) {
    var svg = box.querySelector("svg");
    if (!svg || box.hidden) return;
    var natural = parseFloat(svg.getAttribute("width")) * 4 / 3;  // pt -> px
    var room = box.clientWidth || natural;
    if (natural) svg.style.width = Math.max(Math.min(room, natural * 1.6), natural * 0.75) + "px";
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // -- controls -------------------------------------------------------------------------
  var bar = $(".tg-controls");
  function button(label, title, fn) {
    var b = el("button", "tg-" + title.toLowerCase().replace(/[^a-z]+/g, "-"), label);
    b.title = title; b.type = "button";
    b.addEventListener("click", function () { fn(); root.focus(); });
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
  var scoreBox = el("span", "tg-score", "");
  bar.appendChild(scoreBox);

  // -- state after frame k: values, gradients so far, nodes whose gradient is final ---
  function stateAt(k) {
    var values = [], grads = [], final = {};
    for (var f = 0; f <= k; f++) {
      var fr = frames[f];
      fr.changes.forEach(function (c) {
        if (c[1] !== null) values[c[0]] = c[1];
        if (c[2] !== null) grads[c[0]] = c[2];
      });
      if (fr.phase === "backward") final[fr.cursor] = f;
    }
    return {values: values, grads: grads, final: final};
  }

  function asking(k) {
    return data.predict && frames[k].questions.length > 0 && !answered[k];
  }

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
        if (shape && name[0] === "v") shape.style.fill = (backward && i in st.final && node.fill) ? node.fill : "";
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
    fit(viewBoxes[k]);
    whereBox.textContent = "";
    if (views.length > 1) {
      whereBox.appendChild(el("span", null, "showing " + views[k].name + " (click a box to open it) "));
      if (views[k].parent !== null) {
        var up = el("button", "tg-up", "up: " + views[views[k].parent].name);
        up.type = "button";
        up.addEventListener("click", function () { showView(views[k].parent); root.focus(); });
        whereBox.appendChild(up);
      }
    }
    show(index);
  }

  function show(k) {
    var fr = frames[k];
    counter.textContent = "[" + (k + 1) + "/" + n + "] " + fr.title;
    slider.value = k;
    quizBox.textContent = "";
    var hide = asking(k);
    // While a prediction is pending, show the state before this frame (no answers).
    paint(stateAt(hide && k > 0 ? k - 1 : k), k);
    if (hide) {
      linesBox.textContent = fr.lines[0];
      quiz(k);
    } else {
      linesBox.textContent = fr.lines.join("\n");
    }
    if (selected !== null) detail(selected, k);
  }

  // -- predict mode: ask each question of a frame, keep score, retry typos ------------
  function quiz(k) {
    var questions = frames[k].questions, q = 0;
    var prompt = el("div", "tg-prompt"), input = el("input", "tg-answer");
    var feedback = el("div", "tg-feedback", "");
    var check = el("button", "tg-check", "check");
    input.type = "text"; input.setAttribute("aria-label", "your answer");
    function ask() { prompt.textContent = "Predict: " + questions[q].prompt; input.value = ""; input.focus(); }
    function submit() {
      var text = input.value.trim(), guess = Number(text), want = questions[q].answer;
      if (text === "" || !isFinite(guess)) {
        feedback.textContent = "'" + text + "' is not a number; try again";
        feedback.className = "tg-feedback tg-typo";
        input.focus();
        return;
      }
      var right = want !== null && Math.abs(guess - want) <=
        Math.max(data.tolerance.rel * Math.max(Math.abs(guess), Math.abs(want)), data.tolerance.abs);
      score.asked += 1; if (right) score.right += 1;
      scoreBox.textContent = "score " + score.right + "/" + score.asked;
      feedback.textContent = right ? "✔ right: " + want : "✘ not quite: you said " + guess + ", the answer is " + want;
      feedback.className = "tg-feedback " + (right ? "tg-right" : "tg-wrong");
      q += 1;
      if (q < questions.length) { ask(); return; }
      answered[k] = true;
      var keep = feedback.cloneNode(true);
      show(k);
      quizBox.appendChild(keep);
    }
    check.addEventListener("click", submit);
    input.addEventListener("keydown", function (e) {
      e.stopPropagation();
      if (e.key === "Enter") submit();
    });
    quizBox.appendChild(prompt); quizBox.appendChild(input); quizBox.appendChild(check);
    quizBox.appendChild(feedback);
    ask();
  }

  // -- click a node: what it holds and where its gradient came from -------------------
  function detail(i, k) {
    var node = nodes[i], st = stateAt(k);
    detailBox.textContent = "";
    detailBox.appendChild(el("h4", null, node.name));
    var facts = [["computed as", node.formula], ["value", node.value]];
    if (node.shape) facts.push(["shape", "(" + node.shape.join(", ") + ") " + node.dtype]);
    if (node.first) facts.push(["first values", node.first]);
    var known = st.grads[i] !== undefined && !asking(k);
    facts.push(["grad", known ? st.grads[i] : "not yet"]);
    var dl = el("dl");
    facts.forEach(function (f) { dl.appendChild(el("dt", null, f[0])); dl.appendChild(el("dd", null, f[1])); });
    detailBox.appendChild(dl);
    if (known && node.contributions.length) {
      detailBox.appendChild(el("div", "tg-sum-title", "grad = sum of what each consumer sent (upstream x local = contribution):"));
      var list = el("ul", "tg-contributions");
      node.contributions.forEach(function (c) {
        var local = c.local ? " x [" + c.local + "]" : "";
        list.appendChild(el("li", null, "from " + c.from + ": " + c.upstream + local + " = " + c.contribution));
      });
      detailBox.appendChild(list);
      detailBox.appendChild(el("div", "tg-sum", "sum = " + node.grad));
    }
    if (node.note) detailBox.appendChild(el("div", "tg-note", node.note));
    if (node.heatValue) detailBox.appendChild(heat("value", node.heatValue));
    if (known && node.heatGrad) detailBox.appendChild(heat("grad", node.heatGrad));
  }

  function heat(label, grid) {
    var box = el("div", "tg-heat"), ns = "http://www.w3.org/2000/svg";
    box.appendChild(el("div", null, label + " (heat map)"));
    var flat = [].concat.apply([], grid).filter(function (v) { return v !== null; });
    var big = Math.max.apply(null, flat.map(Math.abs).concat([1e-12]));
    var cell = 10, svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", grid[0].length * cell); svg.setAttribute("height", grid.length * cell);
    grid.forEach(function (row, r) {
      row.forEach(function (v, c) {
        var rect = document.createElementNS(ns, "rect"), t = v === null ? 0 : v / big;
        rect.setAttribute("x", c * cell); rect.setAttribute("y", r * cell);
        rect.setAttribute("width", cell); rect.setAttribute("height", cell);
        var shade = Math.round(255 * (1 - Math.abs(t)));
        rect.setAttribute("fill", v === null ? "#d400d4" : (t >= 0 ? "rgb(255," + shade + "," + shade + ")" : "rgb(" + shade + "," + shade + ",255)"));
        svg.appendChild(rect);
      });
    });
    box.appendChild(svg);
    return box;
  }

  maps.forEach(function (m, k) {
    Object.keys(m.nodes).forEach(function (name) {
      m.nodes[name].style.cursor = "pointer";
      m.nodes[name].addEventListener("click", function () {
        if (name in views[k].expand) { showView(views[k].expand[name]); return; }
        selected = Number(name.slice(1)); detail(selected, index);
      });
    });
  });

  // -- moving -----------------------------------------------------------------------------
  function go(k) { index = Math.max(0, Math.min(n - 1, k)); show(index); }
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
  document.addEventListener("keydown", function (e) {
    var active = document.activeElement;
    var mine = root.contains(active) || active === document.body || active === null;
    if (!mine || (active && active.tagName === "INPUT" && active.type === "text")) return;
    var keys = {ArrowRight: next, ArrowLeft: function () { go(index - 1); }, " ": toggle,
                Home: function () { go(0); }, End: function () { go(n - 1); }};
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });
  showView(0);
})();
