/* The test taker's screen. Talks only to the public JSON API of this token:
 *   GET  /v1/take/{token}?lang=…           the current page (resumes where the person stopped)
 *   POST /v1/take/{token}/answers?lang=…   save answers, get the next page (identical retries are harmless)
 * Answers wait in localStorage until the server has them, so a lost connection or a closed tab loses nothing.
 */
(function () {
  "use strict";

  var ALL = JSON.parse(document.getElementById("strings").textContent);
  var screen = document.getElementById("screen");
  var token = decodeURIComponent(location.pathname.split("/")[2] || "");
  var api = "/v1/take/" + encodeURIComponent(token);
  var params = new URLSearchParams(location.search);
  var lang = params.get("lang") === "en" || params.get("lang") === "zh-CN" ? params.get("lang") : (screen.dataset.lang || "zh-CN");
  var K_PENDING = "pathfit:pending:" + token, K_INTRO = "pathfit:intro:" + token;

  var page = null;          // the latest TakePage from the server
  var pending = [];         // answers given but not yet acknowledged
  var introDone = {};       // part index -> instructions seen
  var drainPromise = null;
  var online = true;
  var deadline = null, tick = null, warned = false, timeUpPart = null;
  var shownAt = Date.now();
  var view = {kind: "loading"};

  function S(key, values) {
    var text = (ALL[lang] && ALL[lang][key]) || key;
    if (values) Object.keys(values).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  function readStore(key, fallback) {
    try { var v = localStorage.getItem(key); return v ? JSON.parse(v) : fallback; } catch (e) { return fallback; }
  }
  function writeStore(key, value) {
    try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: memory only */ }
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function announce(text) {
    var live = document.getElementById("announce");
    live.textContent = "";
    setTimeout(function () { live.textContent = text; }, 50);
  }

  /* ---------------- network ---------------- */

  function request(method, body) {
    return fetch(api + (method === "POST" ? "/answers" : "") + "?lang=" + encodeURIComponent(lang), {
      method: method, cache: "no-store", credentials: "omit",
      headers: body ? {"Content-Type": "application/json"} : {},
      body: body ? JSON.stringify(body) : undefined
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        return {status: response.status, data: data};
      });
    });
  }

  function setOnline(state) {
    var net = document.getElementById("net");
    if (state === online) return;
    online = state;
    net.hidden = false;
    net.className = state ? "net ok" : "net down";
    net.textContent = S(state ? "online" : "offline");
    if (state) setTimeout(function () { if (online) net.hidden = true; }, 3000);
  }

  /* Run ``send`` until the server answers (network errors and 5xx are retried, waiting 1, 2, 4, 8 s…). */
  function withRetry(send) {
    var delay = 1000;
    return new Promise(function (resolve) {
      (function attempt() {
        send().then(function (result) {
          if (result.status >= 500 || result.status === 429 || result.status === 0) throw new Error("HTTP " + result.status);
          setOnline(true);
          resolve(result);
        }).catch(function () {
          setOnline(false);
          setTimeout(attempt, delay);
          delay = Math.min(delay * 2, 8000);
        });
      })();
    });
  }

  function fetchPage() {
    return withRetry(function () { return request("GET"); }).then(function (result) {
      if (result.status === 200) page = result.data;
      else fatal(result.status === 404 ? "bad_link" : "error");
      return page;
    });
  }

  function queue(answer) {
    pending = pending.filter(function (a) { return !(a.item_id === answer.item_id && a.instrument_id === answer.instrument_id); });
    pending.push(answer);
    writeStore(K_PENDING, pending);
  }

  /* Send every pending answer, in order; resolves with the newest page. */
  function drain() {
    if (!drainPromise) drainPromise = drainLoop().then(function (p) {
      drainPromise = null;
      return pending.length ? drain() : p;  // answers queued while the last request was finishing
    });
    return drainPromise;
  }

  function drainLoop() {
    if (!pending.length) return Promise.resolve(page);
    var batch = pending.slice();
    return withRetry(function () { return request("POST", {answers: batch}); }).then(function (result) {
      pending = pending.filter(function (a) { return batch.indexOf(a) < 0; });
      writeStore(K_PENDING, pending.length ? pending : null);
      if (result.status === 200) { page = result.data; updateChrome(); return null; }
      if (result.status === 404) { pending = []; fatal("bad_link"); return null; }
      // 409 (time is up, the test is finished, the page moved on) or 422: this answer cannot be stored; go on.
      return fetchPage();
    }).then(drainLoop);
  }

  /* ---------------- chrome: part, progress, timer ---------------- */

  function updateChrome() {
    var wrap = document.getElementById("progress-wrap");
    if (!page) return;
    var bar = document.getElementById("progress");
    wrap.hidden = false;
    bar.max = Math.max(page.planned, 1);
    bar.value = Math.min(page.answered, bar.max);
    document.getElementById("progress-text").textContent = S("progress", {a: page.answered, p: page.planned});
    var partLabel = document.getElementById("part-label");
    if (page.status === "completed" || !page.part) {
      partLabel.textContent = "";
      stopTimer();
      return;
    }
    partLabel.textContent = S("part", {i: page.part.index + 1, n: page.part.count});
    var timed = page.part.seconds_left !== null && page.part.seconds_left !== undefined;
    if (!timed || !introDone[page.part.index]) { stopTimer(); return; }  // no countdown while reading instructions
    deadline = Date.now() + page.part.seconds_left * 1000;
    document.getElementById("timer").hidden = false;
    if (!tick) tick = setInterval(updateTimer, 250);
    updateTimer();
  }

  function stopTimer() {
    if (tick) clearInterval(tick);
    tick = null; deadline = null; warned = false;
    document.getElementById("timer").hidden = true;
  }

  function updateTimer() {
    if (deadline === null) return;
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    var timer = document.getElementById("timer");
    document.getElementById("timer-value").textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
    timer.classList.toggle("low", left <= 60);
    if (left <= 60 && left > 0 && !warned) { warned = true; announce(S("minute_left")); }
    if (left === 0) timeUp();
  }

  /* The visible clock ran out: lock the screen, keep any answer, and wait for the server to move on. */
  function timeUp() {
    if (!page || !page.part || timeUpPart === page.part.index) return;
    var index = timeUpPart = page.part.index;
    Array.prototype.forEach.call(screen.querySelectorAll("input, button"), function (node) { node.disabled = true; });
    var note = el("p", {"class": "time-up", role: "alert", text: S("time_up")});
    screen.insertBefore(note, screen.firstChild);
    drain().then(function poll() {
      return fetchPage().then(function (p) {
        if (!p || p.status === "completed" || !p.part || p.part.index !== index) { timeUpPart = null; show(); return null; }
        return new Promise(function (r) { setTimeout(r, 3000); }).then(poll);
      });
    });
  }

  /* ---------------- screens ---------------- */

  function setScreen(nodes, focusId) {
    screen.innerHTML = "";
    nodes.forEach(function (n) { screen.appendChild(n); });
    screen.dataset.view = view.kind;
    screen.dataset.seq = String(Number(screen.dataset.seq || 0) + 1);  // lets tests wait for the next screen
    shownAt = Date.now();
    var target = focusId && document.getElementById(focusId);
    (target || screen).focus();
  }

  function fatal(key) {
    stopTimer();
    view = {kind: "fatal", key: key};
    document.getElementById("progress-wrap").hidden = true;
    setScreen([el("h1", {id: "h", tabindex: "-1", "class": "message", text: S(key)})], "h");
  }

  function show() {
    if (!page || view.kind === "fatal") return;
    updateChrome();
    if (page.status === "completed") return renderDone();
    if (!introDone[page.part.index]) return renderIntro();
    var items = page.items || [];
    if (!items.length) { setTimeout(function () { fetchPage().then(show); }, 2000); return; }
    if (items[0].format === "likert") {
      var run = [];
      for (var i = 0; i < items.length && items[i].format === "likert"; i++) run.push(items[i]);
      return renderLikert(run);
    }
    return renderItem(items[0]);
  }

  function renderIntro() {
    var inst = page.part.instrument;
    view = {kind: "intro"};
    var minutes = inst.time_limit ? Math.round(inst.time_limit.seconds / 60) : null;
    var hasPractice = inst.practice && inst.practice.length > 0;
    var start = el("button", {type: "button", "class": "primary", id: "go",
                              text: hasPractice ? S("practice_button") : S("start_button")});
    start.addEventListener("click", function () {
      if (hasPractice) renderPractice(0); else { finishIntro(); }
    });
    setScreen([el("section", {"class": "card intro"}, [
      el("h1", {id: "h", tabindex: "-1", text: inst.title}),
      el("h2", {"class": "sr-only", text: S("instructions")}),
      el("p", {"class": "instructions", text: inst.instructions}),
      el("p", {"class": "time-note", text: minutes ? S("time_limit", {m: minutes}) : S("time_none")}),
      el("div", {"class": "actions"}, [start])
    ])], "h");
  }

  function finishIntro() {
    introDone[page.part.index] = true;
    writeStore(K_INTRO, introDone);
    // The part's clock starts now, not while the instructions were read; if this request fails the
    // first answer starts it instead, so the page simply goes on.
    fetch(api + "/start?lang=" + encodeURIComponent(lang), {method: "POST", cache: "no-store", credentials: "omit"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) page = data; }, function () {})
      .then(show);
  }

  /* One question with radio options; ``onAnswer(value, form)`` runs when the person confirms. */
  function itemForm(item, heading, buttonText, onAnswer) {
    var name = "q-" + item.id;
    var options = item.options.map(function (option, i) {
      var input = el("input", {type: "radio", name: name, value: option.id, id: name + "-" + i});
      var parts = [input, el("span", {"class": "num", "aria-hidden": "true", text: String(i + 1)})];
      var text = option.text || (item.format === "same_different" ? S(option.id) : null);
      if (option.svg) {
        var pic = el("span", {"class": "option-svg", "aria-hidden": "true"});
        pic.innerHTML = option.svg;  // drawings from the instrument bank (trusted data, no scripts under the CSP)
        parts.push(pic);
      }
      parts.push(text ? el("span", {"class": "option-text", text: text})
                      : el("span", {"class": "sr-only", text: S("option", {n: i + 1})}));
      return el("label", {"class": "option", "for": input.id}, parts);
    });
    var legend = el("legend", {}, [el("h1", {id: "h", tabindex: "-1"}, [
      el("span", {"class": "qno", text: heading}), el("span", {"class": "qtext", text: item.text})])]);
    var extra = [];
    if (item.stimulus_svg) {
      var fig = el("div", {"class": "stimulus", role: "img", "aria-label": S("stimulus")});
      fig.innerHTML = item.stimulus_svg;
      extra.push(fig);
    }
    if (item.pair && item.pair.length === 2) {
      extra.push(el("div", {"class": "pair"}, [
        el("span", {"class": "pair-side", "aria-label": S("left")}, [el("span", {text: item.pair[0]})]),
        el("span", {"class": "pair-side", "aria-label": S("right")}, [el("span", {text: item.pair[1]})])]));
    }
    var button = el("button", {type: "submit", "class": "primary", disabled: true, text: buttonText});
    var fieldset = el("fieldset", {}, [legend].concat(extra, [el("div", {"class": "options" + (item.options.length > 4 ? " many" : "")}, options)]));
    var form = el("form", {"class": "item card", novalidate: true}, [
      fieldset, el("p", {"class": "hint", text: S("keys_hint")}), el("div", {"class": "actions"}, [button])]);
    form.addEventListener("change", function () { button.disabled = false; });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = form.querySelector("input:checked");
      if (!chosen || button.disabled) { announce(S("choose")); return; }
      onAnswer(chosen.value, form, button);
    });
    return form;
  }

  /* The right answer named the way the screen shows it: its number (1–4) and its text, or, for
     drawings, "figure n"; never the option id the data uses. */
  function answerAsShown(item) {
    var index = item.options.map(function (o) { return o.id; }).indexOf(item.answer);
    var option = item.options[index];
    var text = option.text || (item.format === "same_different" ? S(option.id) : null);
    return text ? S("practice_answer_text", {n: index + 1, text: text})
                : S("practice_answer_figure", {n: index + 1});
  }

  function renderPractice(i) {
    var inst = page.part.instrument;
    var practice = inst.practice[i];
    view = {kind: "practice", index: i};
    var last = i === inst.practice.length - 1;
    var keyed = practice.answer !== null && practice.answer !== undefined;
    // a questionnaire practice has no right answer: the button confirms the choice, it shows no answer
    var form = itemForm(practice, S("practice_title"), S(keyed ? "check" : "confirm"), function (value, f, button) {
      var feedback = f.querySelector(".feedback");
      var right = keyed ? value === practice.answer : null;
      feedback.textContent = (right === null ? "" : S(right ? "practice_right" : "practice_wrong") + " " +
                              answerAsShown(practice) + " ") + practice.feedback;
      feedback.className = "feedback " + (right === false ? "wrong" : "right");
      button.textContent = last ? S("start_button") : S("practice_next");
      button.onclick = function (event) { event.preventDefault(); if (last) finishIntro(); else renderPractice(i + 1); };
      button.type = "button";
      button.focus();
    });
    form.insertBefore(el("p", {"class": "feedback", role: "status", "aria-live": "polite"}), form.lastChild);
    setScreen([form], "h");
  }

  function renderItem(item) {
    view = {kind: "item", item: item.id};
    var form = itemForm(item, S("question", {n: page.answered + 1}), S("next"), function (value, f, button) {
      queue({instrument_id: page.part.instrument.id, item_id: item.id, answer: value,
             response_time_ms: Math.min(Date.now() - shownAt, 3600000)});
      lock(f, button);
      drain().then(show);
    });
    setScreen([form], "h");
  }

  function lock(form, button) {
    Array.prototype.forEach.call(form.querySelectorAll("input"), function (node) { node.disabled = true; });
    button.disabled = true;
    var slow = setTimeout(function () { button.textContent = S("saving"); }, 600);
    drain().then(function () { clearTimeout(slow); });
  }

  /* "找工作时，这一点对您有多重要：工资待遇好。" → lead-in and statement (null lead-in when none). */
  function splitStem(text) {
    var m = /^([^：:]+[：:])\s*(\S[\s\S]*)$/.exec(text || "");
    return m ? {stem: m[1], rest: m[2]} : {stem: null, rest: text};
  }

  function renderLikert(items) {
    view = {kind: "likert"};
    var instrumentId = page.part.instrument.id;
    var first = page.answered + 1;
    // Questions in a row that share one lead-in show it once, above them, not on every line.
    var parts = items.map(function (item) { return splitStem(item.text); });
    var shared = parts.map(function (p, k) {
      return p.stem !== null && ((k > 0 && parts[k - 1].stem === p.stem) ||
                                 (k + 1 < parts.length && parts[k + 1].stem === p.stem));
    });
    var stems = [];
    var blocks = items.map(function (item, row) {
      var name = "q-" + item.id;
      var options = item.options.map(function (option, i) {
        var input = el("input", {type: "radio", name: name, value: option.id, id: name + "-" + i});
        input.addEventListener("change", function () {
          fieldset.classList.add("done");
          queue({instrument_id: instrumentId, item_id: item.id, answer: option.id,
                 response_time_ms: Math.min(Date.now() - shownAt, 3600000)});
          drain();
        });
        return el("label", {"class": "lk-option", "for": input.id}, [input,
          el("span", {"class": "num", "aria-hidden": "true", text: String(i + 1)}),
          el("span", {"class": "option-text", text: option.text || String(i + 1)})]);
      });
      var legendId = "lg-" + row;
      var attrs = {"class": "lk", "data-item": item.id};
      if (shared[row]) {
        if (row === 0 || !shared[row - 1] || parts[row - 1].stem !== parts[row].stem) {
          stems.push(el("p", {"class": "stem", id: "stem-" + row, text: parts[row].stem}));
        }
        attrs["aria-describedby"] = stems[stems.length - 1].id;  // screen readers still hear the lead-in
      }
      var fieldset = el("fieldset", attrs, [
        el("legend", {id: legendId}, [el("span", {"class": "qno", text: (first + row) + ". "}),
                                      el("span", {text: shared[row] ? parts[row].rest : item.text})]),
        el("div", {"class": "scale"}, options)]);
      fieldset.stem = shared[row] && stems[stems.length - 1].id === "stem-" + row ? stems[stems.length - 1] : null;
      return fieldset;
    });
    var rows = [];
    blocks.forEach(function (b) { if (b.stem) rows.push(b.stem); rows.push(b); });
    var message = el("p", {"class": "hint", role: "status", id: "lk-msg"});
    var button = el("button", {type: "submit", "class": "primary", text: S("next_page")});
    var form = el("form", {"class": "likert card", novalidate: true}, [
      el("h1", {id: "h", tabindex: "-1", text: page.part.instrument.title}),
      el("p", {"class": "hint", text: S("likert_hint")})].concat(rows, [message, el("div", {"class": "actions"}, [button])]));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var open = blocks.filter(function (b) { return !b.querySelector("input:checked"); });
      if (open.length) {
        message.textContent = S("answer_all");
        open[0].querySelector("input").focus();
        return;
      }
      lock(form, button);
      drain().then(show);
    });
    setScreen([form], "h");
  }

  function renderDone() {
    view = {kind: "done"};
    writeStore(K_INTRO, null);
    writeStore(K_PENDING, null);
    setScreen([el("section", {"class": "card done"}, [
      el("h1", {id: "h", tabindex: "-1", text: S("done_title")}),
      el("p", {text: S("done_text")})])], "h");
  }

  /* ---------------- keyboard ---------------- */

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var form = screen.querySelector("form");
    if (!form) return;
    var digit = /^[1-9]$/.test(event.key) ? Number(event.key) : null;
    if (digit !== null) {
      var group = form.classList.contains("likert")
        ? (document.activeElement.closest && document.activeElement.closest("fieldset.lk")) ||
          Array.prototype.find.call(form.querySelectorAll("fieldset.lk"), function (f) { return !f.querySelector("input:checked"); })
        : form;
      if (!group) return;
      var radios = group.querySelectorAll("input[type=radio]");
      var radio = radios[digit - 1];
      if (!radio || radio.disabled) return;
      event.preventDefault();
      radio.checked = true;
      radio.dispatchEvent(new Event("change", {bubbles: true}));
      if (form.classList.contains("likert")) {
        var sets = Array.prototype.slice.call(form.querySelectorAll("fieldset.lk"));
        var next = sets.slice(sets.indexOf(group) + 1).find(function (f) { return !f.querySelector("input:checked"); });
        (next ? next.querySelector("input") : form.querySelector("button[type=submit]")).focus();
      } else {
        radio.focus();
      }
      return;
    }
    if (event.key === "Enter" && document.activeElement && document.activeElement.tagName === "INPUT") {
      event.preventDefault();
      var button = form.querySelector(".actions button");
      if (button && !button.disabled) button.click();
    }
  });

  /* ---------------- language ---------------- */

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.title = S("title");
    document.getElementById("brand").textContent = S("title");
    document.getElementById("timer-label").textContent = S("time_left");
    document.getElementById("progress-label").textContent = S("progress_label");
    var switcher = document.getElementById("lang-switch");
    switcher.textContent = S("switch");
    switcher.setAttribute("aria-label", S("switch_label"));
    switcher.setAttribute("lang", lang === "en" ? "zh-CN" : "en");
    var net = document.getElementById("net");
    if (!net.hidden) net.textContent = S(online ? "online" : "offline");
  }

  document.getElementById("lang-switch").addEventListener("click", function () {
    lang = lang === "en" ? "zh-CN" : "en";
    params.set("lang", lang);
    history.replaceState(null, "", location.pathname + "?" + params.toString());
    applyLanguage();
    var before = view;
    drain().then(fetchPage).then(function () {
      if (before.kind === "practice" && page && page.part && !introDone[page.part.index]) { updateChrome(); renderPractice(before.index); }
      else show();
    });
  });

  /* ---------------- start: send what was left over, then show where the person stands ---------------- */

  introDone = readStore(K_INTRO, {}) || {};
  pending = readStore(K_PENDING, []) || [];
  applyLanguage();
  (pending.length ? drain().then(function (p) { return p || fetchPage(); }) : fetchPage()).then(function () {
    if (page) show();
  });
})();
