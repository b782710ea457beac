// Predict mode: each question of a frame asked in turn. Two tries; the local derivative
// is a hint given only when asked for; then the answer, as the page writes numbers, with
// the line that works it out. ctx: {data, frames, answered, score, scoreBox, box, show}
var TRIES = 2;

function isRight(tolerance, guess, want) {
  return want !== null && Math.abs(guess - want) <=
    Math.max(tolerance.rel * Math.max(Math.abs(guess), Math.abs(want)), tolerance.abs);
}

function runQuiz(ctx, k) {
  var questions = ctx.frames[k].questions, q = 0, tries = 0;
  var box = ctx.box, prompt = el("div", "tg-prompt"), input = el("input", "tg-answer");
  var feedback = el("div", "tg-feedback", ""), hint = el("div", "tg-hint", "");
  var check = el("button", "tg-check", "check"), ask = el("button", "tg-hint-button", "hint");
  check.type = "button"; ask.type = "button";
  ask.title = "show the local derivative";
  input.type = "text"; input.setAttribute("aria-label", "your answer");
  var log = [];  // what was said about each answered question, kept under the frame

  function pose() {
    prompt.textContent = "Predict: " + questions[q].prompt;
    input.value = ""; hint.textContent = ""; tries = 0;
    input.focus();
  }
  function say(text, cls) { feedback.textContent = text; feedback.className = "tg-feedback " + cls; }
  function done(text, cls) {
    ctx.score.asked += 1; if (cls === "tg-right") ctx.score.right += 1;
    ctx.scoreBox.textContent = "score " + ctx.score.right + "/" + ctx.score.asked;
    say(text, cls);
    log.push([text, cls]);
    q += 1;
    if (q < questions.length) { pose(); return; }
    ctx.answered[k] = true;
    ctx.show(k);
    log.forEach(function (said) { ctx.box.appendChild(el("div", "tg-feedback " + said[1], said[0])); });
  }
  function submit() {
    var text = input.value.trim(), guess = Number(text), question = questions[q];
    if (text === "" || !isFinite(guess)) {
      say("'" + text + "' is not a number; try again", "tg-typo");
      input.focus();
      return;
    }
    tries += 1;
    if (isRight(ctx.data.tolerance, guess, question.answer)) {
      done("✔ right: " + question.parent + ".grad gets " + question.shown, "tg-right");
    } else if (tries < TRIES) {
      say("✘ not quite: you said " + text + ". One more try" +
          (hint.textContent ? "" : " (the hint button shows the local derivative)"), "tg-wrong");
      input.select();
    } else {
      done("✘ not quite: you said " + text + ", the answer is " + question.shown +
           ": " + question.working.trim(), "tg-wrong");
    }
  }
  check.addEventListener("click", submit);
  ask.addEventListener("click", function () { hint.textContent = "hint: " + questions[q].hint; input.focus(); });
  input.addEventListener("keydown", function (e) {
    e.stopPropagation();
    if (e.key === "Enter") submit();
  });
  [prompt, input, check, ask, hint, feedback].forEach(function (e) { box.appendChild(e); });
  pose();
}
