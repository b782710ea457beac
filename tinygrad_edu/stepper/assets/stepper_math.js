// The explanation written as mathematics: the terminal's "x.grad += 0.5 x d(y)/d(x)"
// reads "∂L/∂x += 0.5 × ∂y/∂x" on the page. Pure string work; the result goes onto the
// page with textContent, and each line keeps the terminal's words as its tooltip (each
// number its exact value).
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

// One operand of a fraction starting at `at`: a parenthesised group or a plain name.
function operandEnd(text, at) {
  if (text[at] === "(") { var group = balanced(text, at); return group ? group.end : -1; }
  var m = /^[^\s()\[\]\/=,]+/.exec(text.slice(at));
  return m ? at + m[0].length : -1;
}

// Math text onto `row`, each fraction ∂A/∂B in a span that never breaks across lines.
function appendMath(row, text) {
  var at = 0, i = text.indexOf("∂");
  while (i >= 0) {
    var top = operandEnd(text, i + 1);
    var end = top > 0 && text.slice(top, top + 2) === "/∂" ? operandEnd(text, top + 2) : -1;
    if (end > 0) {
      row.appendChild(document.createTextNode(text.slice(at, i)));
      row.appendChild(el("span", "tg-frac", text.slice(i, end)));
      at = end;
    }
    i = text.indexOf("∂", Math.max(at, i + 1));
  }
  row.appendChild(document.createTextNode(text.slice(at)));
}

// Each line as mathematics, its numbers as they are shown (rounded) in spans whose
// tooltip is the exact value; spans = [[start, end, exact], ...] in the line's units.
function showLines(box, lines, numbers) {
  box.textContent = "";
  lines.forEach(function (line, k) {
    var row = el("div", "tg-line"), at = 0;
    row.title = line;
    ((numbers && numbers[k]) || []).forEach(function (span) {
      appendMath(row, mathLine(line.slice(at, span[0])));
      var number = el("span", "tg-num", line.slice(span[0], span[1]));
      number.title = span[2];
      row.appendChild(number);
      at = span[1];
    });
    appendMath(row, mathLine(line.slice(at)));
    box.appendChild(row);
  });
}
