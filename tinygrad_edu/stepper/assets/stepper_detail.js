// The detail panel: what a clicked node holds, where its gradient came from, and its
// arrays drawn (heat maps with their colour scale; images as images). Text goes in
// through textContent only.
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

var SVG_NS = "http://www.w3.org/2000/svg";

function svgEl(tag, attrs) {
  var e = document.createElementNS(SVG_NS, tag);
  Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
  return e;
}

// Blue (negative) - white (0) - red (positive), t in [-1, 1].
function diverging(t) {
  var shade = Math.round(255 * (1 - Math.min(1, Math.abs(t))));
  return t >= 0 ? "rgb(255," + shade + "," + shade + ")" : "rgb(" + shade + "," + shade + ",255)";
}

function scaleBar(left, right, colours, caption) {
  var bar = el("div", "tg-scale");
  bar.appendChild(el("span", "tg-scale-end", left));
  var ramp = el("span", "tg-ramp");
  ramp.style.background = "linear-gradient(to right, " + colours.join(", ") + ")";
  bar.appendChild(ramp);
  bar.appendChild(el("span", "tg-scale-end", right));
  if (caption) bar.appendChild(el("span", "tg-scale-caption", caption));
  return bar;
}

function heatMap(label, heat) {
  var box = el("div", "tg-heat"), grid = heat.grid;
  box.appendChild(el("div", "tg-heat-title", label + ": min " + heat.min + ", max " + heat.max));
  var flat = [].concat.apply([], grid).filter(function (v) { return v !== null; });
  var big = Math.max.apply(null, flat.map(Math.abs).concat([1e-12]));
  var cell = Math.max(6, Math.min(14, Math.floor(240 / grid[0].length)));
  var svg = svgEl("svg", {width: grid[0].length * cell, height: grid.length * cell});
  grid.forEach(function (row, r) {
    row.forEach(function (v, c) {
      svg.appendChild(svgEl("rect", {x: c * cell, y: r * cell, width: cell, height: cell,
        fill: v === null ? "#d400d4" : diverging(v / big)}));
    });
  });
  box.appendChild(svg);
  var bigText = Number(big.toPrecision(3)).toString();
  box.appendChild(scaleBar("-" + bigText, bigText, ["rgb(0,0,255)", "white", "rgb(255,0,0)"],
    grid.length * grid[0].length > 1 ? "cell colour: mean of its entries" : ""));
  return box;
}

function pictureGrid(label, pics) {
  var box = el("div", "tg-heat tg-pictures"), h = pics.side[0], w = pics.side[1];
  var shown = pics.images.length;
  box.appendChild(el("div", "tg-heat-title", label + ": " + pics.count + " images of " + h + "x" + w +
    (shown < pics.count ? " (first " + shown + ")" : "") + ", min " + pics.min + ", max " + pics.max));
  var lo = Number(pics.min), hi = Number(pics.max), span = hi - lo || 1, px = 3;
  var cols = Math.min(8, shown), gap = 3;
  var svg = svgEl("svg", {width: cols * (w * px + gap), height: Math.ceil(shown / cols) * (h * px + gap)});
  pics.images.forEach(function (image, k) {
    var ox = (k % cols) * (w * px + gap), oy = Math.floor(k / cols) * (h * px + gap);
    image.forEach(function (v, j) {
      var g = v === null ? 0 : Math.round(255 * (1 - (v - lo) / span));  // dark = large
      svg.appendChild(svgEl("rect", {x: ox + (j % w) * px, y: oy + Math.floor(j / w) * px,
        width: px, height: px, fill: "rgb(" + g + "," + g + "," + g + ")"}));
    });
  });
  box.appendChild(svg);
  box.appendChild(scaleBar(pics.min, pics.max, ["white", "black"], "pixel value"));
  return box;
}

// ctx: {nodes, stateAt, asking, box}
function showDetail(ctx, i, k) {
  var node = ctx.nodes[i], st = ctx.stateAt(k), box = ctx.box;
  box.textContent = "";
  box.appendChild(el("h4", null, node.name));
  var facts = [["computed as", node.formula], ["value", node.value]];
  if (node.shape) facts.push(["shape", "(" + node.shape.join(", ") + ") " + node.dtype]);
  if (node.first) facts.push(["first values", node.first]);
  var known = st.grads[i] !== undefined && !ctx.asking(k);
  facts.push(["grad", known ? st.grads[i] : "not yet"]);
  var dl = el("dl");
  facts.forEach(function (f) { dl.appendChild(el("dt", null, f[0])); dl.appendChild(el("dd", null, f[1])); });
  box.appendChild(dl);
  if (known && node.contributions.length) {
    box.appendChild(el("div", "tg-sum-title", "grad = sum of what each consumer sent (upstream × local = contribution):"));
    var list = el("ul", "tg-contributions");
    node.contributions.forEach(function (c) {
      var local = c.local ? " × [" + c.local + "]" : "";
      list.appendChild(el("li", null, "from " + c.from + ": " + c.upstream + local + " = " + c.contribution));
    });
    box.appendChild(list);
    box.appendChild(el("div", "tg-sum", "sum = " + node.grad));
  }
  if (node.note) box.appendChild(el("div", "tg-note", node.note));
  if (node.pictures) box.appendChild(pictureGrid("value", node.pictures));
  else if (node.heatValue) box.appendChild(heatMap("value", node.heatValue));
  if (known && node.heatGrad) box.appendChild(heatMap("grad", node.heatGrad));
}

// The gradient colour scale under the graph: pale = small |grad|, dark = large (log).
function gradientLegend(box, legend) {
  box.textContent = "";
  if (!legend) { box.hidden = true; return; }
  box.appendChild(el("span", "tg-legend-title", "node colour = mean |grad| (log scale):"));
  box.appendChild(scaleBar(legend.low, legend.high, legend.colours));
  [["vanished", legend.vanished], ["nan/inf", legend.nonfinite]].forEach(function (s) {
    var sw = el("span", "tg-swatch", s[0]); sw.style.background = s[1];
    box.appendChild(sw);
  });
}
