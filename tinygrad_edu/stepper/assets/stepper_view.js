// The graph pane: the SVG shown through a moving window (its viewBox). Fit to the pane,
// zoom (buttons, +/-, Ctrl+wheel, pinch), pan (drag), and follow a node smoothly.
function makeCamera(pane) {
  var cam = {svg: null, s: 1, x: 0, y: 0, full: null, dragged: false, moving: false};
  var anim = null;

  function size() {
    var box = cam.svg ? cam.svg.parentNode : pane;
    return {w: box.clientWidth || 1, h: box.clientHeight || 1};
  }
  function apply() {
    if (!cam.svg) return;
    var p = size();
    cam.svg.setAttribute("viewBox", [cam.x, cam.y, p.w / cam.s, p.h / cam.s].join(" "));
  }
  // Where the drawing is, in its own units (Graphviz writes points; its viewBox says).
  cam.attach = function (svg) {
    cam.svg = svg;
    if (!svg.dataset.full) svg.dataset.full = svg.getAttribute("viewBox");
    var v = svg.dataset.full.split(/[ ,]+/).map(Number);
    cam.full = {x: v[0], y: v[1], w: v[2], h: v[3]};
    svg.removeAttribute("width"); svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
  };
  cam.fit = function () {
    if (!cam.full) return;
    var p = size(), f = cam.full, pad = 8;
    cam.s = Math.min((p.w - 2 * pad) / f.w, (p.h - 2 * pad) / f.h, 2.5);
    cam.x = f.x - (p.w / cam.s - f.w) / 2;
    cam.y = f.y - (p.h / cam.s - f.h) / 2;
    stopAnim(); apply();
  };
  cam.zoomAt = function (factor, px, py) {  // px, py: pane pixels that stay put
    var p = size();
    if (px === undefined) { px = p.w / 2; py = p.h / 2; }
    var s = Math.max(0.05, Math.min(8, cam.s * factor));
    var gx = cam.x + px / cam.s, gy = cam.y + py / cam.s;
    cam.s = s; cam.x = gx - px / s; cam.y = gy - py / s;
    stopAnim(); apply();
  };
  cam.panBy = function (dx, dy) { cam.x -= dx / cam.s; cam.y -= dy / cam.s; apply(); };
  // A box in drawing units: is it in view? If not, glide so it is (centred).
  cam.follow = function (box, smooth) {
    if (!box) return;
    var p = size(), vw = p.w / cam.s, vh = p.h / cam.s;
    if (box.w > vw || box.h > vh) {  // too big to show whole: zoom out to it
      cam.s = Math.min(cam.s, 0.9 * Math.min(p.w / box.w, p.h / box.h));
      vw = p.w / cam.s; vh = p.h / cam.s;
    }
    // The least move that brings the box in, with some room around it when there is.
    var mx = Math.min(60 / cam.s, (vw - box.w) / 2), my = Math.min(60 / cam.s, (vh - box.h) / 2);
    var tx = cam.x, ty = cam.y;
    if (box.x < cam.x) tx = box.x - mx; else if (box.x + box.w > cam.x + vw) tx = box.x + box.w + mx - vw;
    if (box.y < cam.y) ty = box.y - my; else if (box.y + box.h > cam.y + vh) ty = box.y + box.h + my - vh;
    if (tx === cam.x && ty === cam.y) { apply(); return; }
    if (!smooth) { cam.x = tx; cam.y = ty; apply(); return; }
    glide(tx, ty);
  };
  function moving(on) { cam.moving = on; pane.dataset.moving = on ? "1" : "0"; }  // tests wait on it
  function stopAnim() { if (anim) cancelAnimationFrame(anim); anim = null; moving(false); }
  function glide(tx, ty) {
    stopAnim();
    var x0 = cam.x, y0 = cam.y, t0 = null, ms = 350;
    moving(true);
    function step(t) {
      if (t0 === null) t0 = t;
      var k = Math.min(1, (t - t0) / ms), e = k * (2 - k);
      cam.x = x0 + (tx - x0) * e; cam.y = y0 + (ty - y0) * e; apply();
      if (k < 1) anim = requestAnimationFrame(step); else { anim = null; moving(false); }
    }
    anim = requestAnimationFrame(step);
  }

  // -- the mouse and fingers: drag to pan, Ctrl+wheel (or a trackpad pinch) to zoom ----
  var pointers = {}, pinch = null, start = null;
  pane.addEventListener("wheel", function (e) {
    if (!e.ctrlKey && !e.metaKey) return;  // a plain wheel scrolls the page
    e.preventDefault();
    var r = pane.getBoundingClientRect();
    cam.zoomAt(Math.exp(-e.deltaY / 300), e.clientX - r.left, e.clientY - r.top);
  }, {passive: false});
  pane.addEventListener("pointerdown", function (e) {
    if (e.target.closest && e.target.closest("button, .tg-legend")) return;
    pointers[e.pointerId] = {x: e.clientX, y: e.clientY};
    start = {x: e.clientX, y: e.clientY}; cam.dragged = false;
    var ids = Object.keys(pointers);
    if (ids.length === 2) {
      var a = pointers[ids[0]], b = pointers[ids[1]];
      pinch = Math.hypot(a.x - b.x, a.y - b.y);
    }
  });
  pane.addEventListener("pointermove", function (e) {
    var last = pointers[e.pointerId];
    if (!last) return;
    var ids = Object.keys(pointers);
    pointers[e.pointerId] = {x: e.clientX, y: e.clientY};
    if (ids.length === 2 && pinch) {
      var a = pointers[ids[0]], b = pointers[ids[1]], d = Math.hypot(a.x - b.x, a.y - b.y);
      var r = pane.getBoundingClientRect();
      cam.zoomAt(d / pinch, (a.x + b.x) / 2 - r.left, (a.y + b.y) / 2 - r.top);
      pinch = d; cam.dragged = true;
      return;
    }
    if (Math.abs(e.clientX - start.x) + Math.abs(e.clientY - start.y) > 4) cam.dragged = true;
    if (cam.dragged) { stopAnim(); cam.panBy(e.clientX - last.x, e.clientY - last.y); }
  });
  function up(e) { delete pointers[e.pointerId]; if (Object.keys(pointers).length < 2) pinch = null; }
  pane.addEventListener("pointerup", up);
  pane.addEventListener("pointercancel", up);
  pane.addEventListener("pointerleave", up);
  return cam;
}

// A node's box in drawing units (the <g>'s bounding box through its group's transform).
function boxOf(g) {
  if (!g) return null;
  var b = g.getBBox(), m = g.parentNode.transform.baseVal.consolidate();
  m = m ? m.matrix : {a: 1, d: 1, e: 0, f: 0};
  return {x: b.x * m.a + m.e, y: b.y * m.d + m.f, w: b.width * m.a, h: b.height * m.d};
}
