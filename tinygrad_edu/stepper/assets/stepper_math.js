// The explanation written as mathematics: the terminal's "x.grad += 0.5 x d(y)/d(x)"
// reads "∂L/∂x += 0.5 × ∂y/∂x" on the page. Pure string work; the result goes onto the
// page with textContent, and each line keeps the terminal's words as its tooltip.
function simpleName(s) { return /^[A-Za-z_][A-Za-z_0-9.]*$|^#\d+$/.test(s); }
function wrap(s) { return simpleName(s) ? s : "(" + s + ")"; }

// The text inside the parentheses that open at `open`, and where they close.
function balanced(text, open) {
  var depth = 0;
  for (var i = open; i < text.length; i++) {
    if (text[i] === "(") depth += 1;
    else if (text[i] === ")" && --depth === 0) return {inner: text.slice(open + 1, i), end: i + 1};
  }
  return null;
}

function mathLine(text) {
  var out = "", i = 0;
  while (i < text.length) {  // d(A)/d(B) -> ∂A/∂B
    var start = text.indexOf("d(", i);
    if (start < 0 || (start > 0 && /[A-Za-z0-9_]/.test(text[start - 1]))) {
      if (start < 0) { out += text.slice(i); break; }
      out += text.slice(i, start + 2); i = start + 2; continue;
    }
    var top = balanced(text, start + 1);
    if (!top || text.slice(top.end, top.end + 3) !== "/d(") { out += text.slice(i, start + 2); i = start + 2; continue; }
    var bottom = balanced(text, top.end + 2);
    if (!bottom) { out += text.slice(i); break; }
    out += text.slice(i, start) + "∂" + wrap(top.inner) + "/∂" + wrap(bottom.inner);
    i = bottom.end;
  }
  out = out.replace(/ x ∂/g, " × ∂").replace(/dL\/d/g, "∂L/∂");
  return out.replace(/^(\s*)(.+?)\.grad \+= /, function (m, space, name) {
    return space + "∂L/∂" + wrap(name) + " += ";
  });
}

function showLines(box, lines) {
  box.textContent = "";
  lines.forEach(function (line) {
    var row = el("div", "tg-line", mathLine(line));
    row.title = line;
    box.appendChild(row);
  });
}
